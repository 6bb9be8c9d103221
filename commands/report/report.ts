import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { eodCommand } from './eod.js';
import { executionCommand } from './execution.js';

/** `som report execution` and `som report eod`: the execution quality and the day's books. */
export function reportCommand(deps: CliDeps): Command {
  return new Command('report')
    .description(summaryOf('report'))
    .addCommand(executionCommand(deps))
    .addCommand(eodCommand(deps));
}
