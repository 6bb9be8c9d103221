import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { executionCommand } from './execution.js';

/** `som report execution`. */
export function reportCommand(deps: CliDeps): Command {
  return new Command('report').description(summaryOf('report')).addCommand(executionCommand(deps));
}
