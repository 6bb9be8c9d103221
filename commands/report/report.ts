import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { eodCommand } from './eod.js';

/** `som report eod`: the day's books. */
export function reportCommand(deps: CliDeps): Command {
  return new Command('report').description(summaryOf('report')).addCommand(eodCommand(deps));
}
