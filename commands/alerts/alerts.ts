import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { listCommand } from './list.js';
import { readCommand } from './read.js';
import { respondCommand } from './respond.js';

/** `som alerts [list]|read|respond`. */
export function alertsCommand(deps: CliDeps): Command {
  return new Command('alerts')
    .description(summaryOf('alerts'))
    .addCommand(listCommand(deps), { isDefault: true })
    .addCommand(readCommand(deps))
    .addCommand(respondCommand(deps));
}
