import { parseInstant } from '../../src/domain/parse/instant.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX } from '../../src/protocol/limits.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

export interface AuditOptions {
  strategy?: StrategyRef | undefined;
  order?: string | undefined;
  type?: string | undefined;
  since?: string | undefined;
  limit: number;
}

/** `som audit [list]`: the audit trail, newest first. */
export function listCommand(deps: CliDeps): Command {
  return new Command('list')
    .description('the audit trail, newest first (the default: `som audit --type T` is `som audit list --type T`)')
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .option('--order <id>', 'only this order')
    .option('--type <type>', 'only this event type, e.g. SETTINGS_UPDATED')
    .option(
      '--since <when>',
      'only events from this ISO instant (2026-11-24T09:15:00+05:30) or date (2026-11-24, from its IST midnight)',
      flag('--since', parseInstant),
    )
    .option(
      '--limit <n>',
      `at most this many events (1-${AUDIT_LIMIT_MAX})`,
      flag('--limit', (v, f) => parseQuantity(v, f, { max: AUDIT_LIMIT_MAX })),
      AUDIT_LIMIT_DEFAULT,
    )
    .action(action(deps, (io, flags: AuditOptions) => run(flags, io)));
}

/** Ask somd for the audit events the filters allow, newest first. */
export async function run(opts: AuditOptions, io: CommandIO): Promise<void> {
  const { events } = await (await io.client()).call('audit.list', {
    strategy: opts.strategy,
    orderId: opts.order,
    type: opts.type,
    since: opts.since,
    limit: opts.limit,
  });
  await io.print({ events }, async () => (await import('../ui/audit.js')).renderAudit(events));
}
