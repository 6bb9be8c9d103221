import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { ocoLinkCommand } from './oco-link.js';
import { ocoProtectCommand } from './oco-protect.js';

/** `som oco link|protect`: one-cancels-other pairs. */
export function ocoCommand(deps: CliDeps): Command {
  return new Command('oco')
    .description(summaryOf('oco'))
    .addCommand(ocoLinkCommand(deps))
    .addCommand(ocoProtectCommand(deps));
}
