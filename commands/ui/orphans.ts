import type { OrphanView } from '../../src/protocol/methods/housekeeping.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { formatIst } from './format.js';
import { renderOrder } from './orders.js';
import { num, renderTable } from './table.js';

/** Orphaned orders with their reason and the action taken or pending. */
export function renderOrphans(orphans: readonly OrphanView[]): string {
  if (orphans.length === 0) return 'no orphaned orders';
  return renderTable(
    ['order id', 'strategy', 'symbol', 'side', num('qty'), num('pending'), 'type', 'reason', 'detected', 'action'],
    orphans.map((o) => [
      o.order_id,
      o.strategy,
      `${o.exchange}:${o.tradingsymbol}`,
      o.side,
      o.quantity,
      o.pending_quantity,
      o.order_type,
      o.reason,
      formatIst(o.detected_at),
      o.action,
    ]),
  );
}

/** `som orphans cleanup`: the orphans, what was done to each, and whether it was a dry run. */
export function renderCleanup(result: ResultOf<'orphans.cleanup'>): string {
  return [
    renderOrphans(result.orphans),
    ...(result.actions.length > 0
      ? [
          '',
          renderTable(
            ['order id', 'action', 'result'],
            result.actions.map((a) => [a.order_id, a.action, a.result]),
          ),
        ]
      : []),
    ...(result.dryRun ? ['(dry run: nothing was sent)'] : []),
  ].join('\n');
}

/** `som orphans mark`: the order now orphaned, and what became of it. */
export function renderMarked(result: ResultOf<'orphans.mark'>): string {
  return `${renderOrphans([result.orphan])}\n${result.result}`;
}

/** `som oco protect`: the pair placed, each order as the broker has it. */
export function renderProtected(result: ResultOf<'oco.protect'>): string {
  return [
    `OCO group ${result.group}: stop ${result.stop_order_id}, target ${result.target_order_id}`,
    ...[result.stop, result.target].filter((o) => o !== null).map((o) => `\n${renderOrder(o)}`),
  ].join('\n');
}

/** `som reconcile`: orders tracked, positions before and after (`*` where they changed), orphans. */
export function renderReconciled(result: ResultOf<'reconcile.strategy'>): string {
  return [
    `orders tracked: ${result.orders.before} before, ${result.orders.after} after`,
    result.positions.length === 0
      ? 'no positions'
      : renderTable(
          ['strategy', 'symbol', 'product', num('before'), num('after')],
          result.positions.map((p) => [
            p.strategy,
            `${p.exchange}:${p.tradingsymbol}`,
            p.product,
            p.before,
            p.after + (p.after !== p.before ? ' *' : ''),
          ]),
        ),
    renderOrphans(result.orphans),
  ].join('\n\n');
}
