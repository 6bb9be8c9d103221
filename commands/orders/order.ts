import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { cancelCommand } from './cancel.js';
import { modifyCommand } from './modify.js';
import { placeCommand } from './place.js';
import { showCommand } from './show.js';

/** `som order place|modify|cancel|show`. */
export function orderCommand(deps: CliDeps): Command {
  return new Command('order')
    .description(summaryOf('order'))
    .addCommand(placeCommand(deps))
    .addCommand(modifyCommand(deps))
    .addCommand(cancelCommand(deps))
    .addCommand(showCommand(deps));
}
