import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { cleanupCommand } from './cleanup.js';
import { listCommand } from './list.js';
import { markCommand } from './mark.js';

/** `som orphans list|cleanup|mark`: protective orders that outlived their position. */
export function orphansCommand(deps: CliDeps): Command {
  return new Command('orphans')
    .description(summaryOf('orphans'))
    .addCommand(listCommand(deps), { isDefault: true })
    .addCommand(cleanupCommand(deps))
    .addCommand(markCommand(deps));
}
