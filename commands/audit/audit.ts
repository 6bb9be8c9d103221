import { Command } from '../commander.js';
import type { CliDeps } from '../context.js';
import { summaryOf } from '../manifest.js';
import { exportCommand } from './export.js';
import { listCommand } from './list.js';
import { verifyCommand } from './verify.js';

/** `som audit list|verify|export`: the audit trail, its hash chain, a copy to keep elsewhere. */
export function auditCommand(deps: CliDeps): Command {
  return new Command('audit')
    .description(summaryOf('audit'))
    .addCommand(listCommand(deps), { isDefault: true })
    .addCommand(verifyCommand(deps))
    .addCommand(exportCommand(deps));
}
