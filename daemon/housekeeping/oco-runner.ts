import type { NewAuditEvent } from '../../src/domain/audit.js';
import { TERMINAL_STATUSES } from '../../src/domain/order.js';
import { ocoDecisions } from '../../src/housekeeping/oco.js';
import type { HkOrder } from '../../src/housekeeping/types.js';
import type { Clock } from '../../src/market/clock.js';
import { raiseAlert } from '../../src/store/alerts.js';
import type { Store } from '../../src/store/database.js';
import { closeOcoGroup, recordHousekeepingEvent } from '../../src/store/housekeeping.js';
import type { Logger } from '../logger.js';
import { HK_ORDER_COLUMNS, type HkScope, type HkState } from './state.js';

export interface OcoRunnerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  audit(event: NewAuditEvent): Promise<void>;
  act(
    order: HkOrder,
    reason: string,
    action: { kind: 'cancel' } | { kind: 'reduce'; quantity: number },
  ): Promise<string>;
  placeMarket(
    strategyId: number,
    order: { exchange: string; tradingsymbol: string; product: string; side: 'BUY' | 'SELL'; quantity: number },
  ): Promise<string>;
}

/**
 * Apply the OCO rules to every open group in scope: shrink or cancel the other leg as one
 * fills, and on an overfill (both legs filled before the cancel landed) raise a high-priority
 * alert and, where the strategy allows, flatten the unwanted position. Returns how many
 * actions were taken, so the caller knows to re-read the account.
 */
export async function runOco(state: HkState, deps: OcoRunnerDeps, scope?: HkScope): Promise<number> {
  const { db } = deps.store;
  let groups = db.selectFrom('oco_groups as g').select(['g.id', 'g.strategy_id']).where('g.closed_at', 'is', null);
  if (scope) {
    groups = groups.where((eb) =>
      eb.exists(
        eb
          .selectFrom('orders as o')
          .select('o.order_id')
          .whereRef('o.oco_group_id', '=', 'g.id')
          .where('o.exchange', '=', scope.exchange)
          .where('o.tradingsymbol', '=', scope.tradingsymbol),
      ),
    );
  }
  let acted = 0;
  for (const group of await groups.execute()) {
    const members = (await db
      .selectFrom('orders')
      .select(HK_ORDER_COLUMNS)
      .where('oco_group_id', '=', group.id)
      .execute()) as HkOrder[];
    const first = members[0];
    if (!first) continue;
    const position =
      state.positions.find(
        (p) =>
          p.strategy_id === first.strategy_id &&
          p.exchange === first.exchange &&
          p.tradingsymbol === first.tradingsymbol &&
          p.product === first.product,
      ) ?? null;
    const settings = state.settings.get(first.strategy_id) ?? state.settings.get(state.defaultStrategyId)!;
    for (const decision of ocoDecisions({ group: members, position, settings })) {
      const now = deps.clock.now();
      if (decision.kind === 'error') {
        deps.logger.warn('oco.group_invalid', { group: group.id, code: decision.code, message: decision.message });
        await closeOcoGroup(db, group.id, decision.message, now);
        continue;
      }
      if (decision.kind === 'cancel' || decision.kind === 'reduce') {
        const order = members.find((m) => m.order_id === decision.order_id)!;
        await deps.act(
          order,
          decision.reason,
          decision.kind === 'cancel' ? { kind: 'cancel' } : { kind: 'reduce', quantity: decision.quantity },
        );
        acted++;
        continue;
      }
      // Overfill: both legs filled; the position crossed to the other side.
      acted++;
      const { alert, created } = await raiseAlert(
        db,
        {
          type: 'OCO_OVERFILL',
          priority: 'high',
          strategyId: decision.strategy_id,
          title: `Both legs filled: ${decision.exchange}:${decision.tradingsymbol} ${decision.product}`,
          message: `${decision.explanation}. ${decision.flatten ? `som is flattening ${decision.quantity} with a ${decision.side} MARKET order.` : decision.quantity > 0 ? `Flatten ${decision.quantity} yourself (flatten_on_overfill is off).` : ''}`,
          payload: {
            order_ids: decision.order_ids,
            excess: decision.excess,
            quantity: decision.quantity,
            side: decision.side,
          },
          dedupeKey: `oco-overfill:${group.id}`,
        },
        now,
      );
      if (!created) continue;
      await deps.audit({
        type: 'OCO_OVERFILL',
        strategyId: decision.strategy_id,
        payload: {
          group: group.id,
          order_ids: decision.order_ids,
          excess: decision.excess,
          quantity: decision.quantity,
          side: decision.side,
          alert_id: alert.id,
        },
      });
      let result = 'reported';
      if (decision.flatten && decision.quantity > 0) {
        try {
          const orderId = await deps.placeMarket(decision.strategy_id, {
            exchange: decision.exchange,
            tradingsymbol: decision.tradingsymbol,
            product: decision.product,
            side: decision.side,
            quantity: decision.quantity,
          });
          result = `flattened by order ${orderId}`;
          await deps.audit({
            type: 'POSITION_FLATTENED',
            strategyId: decision.strategy_id,
            orderId,
            payload: { group: group.id, quantity: decision.quantity, side: decision.side },
          });
        } catch (err) {
          result = `flatten failed: ${(err as Error).message}`;
        }
      }
      await recordHousekeepingEvent(
        db,
        {
          job: 'oco',
          strategyId: decision.strategy_id,
          action: 'overfill',
          reason: 'OCO_FILLED',
          result,
          detail: { group: group.id, ...decision },
        },
        now,
      );
      await closeOcoGroup(db, group.id, 'overfill', now);
    }
    if (members.every((m) => TERMINAL_STATUSES.has(m.status)))
      await closeOcoGroup(db, group.id, 'both legs done', deps.clock.now());
  }
  return acted;
}
