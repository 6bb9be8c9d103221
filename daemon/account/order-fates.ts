import {
  fateAlertKey,
  type IntentSettlement,
  settleIntents,
  settlementResolution,
} from '../../src/broker/order-fate.js';
import { INTENT_ERROR_CODES, type IntentLedger } from '../../src/broker/order-placement.js';
import type { BrokerOrder } from '../../src/domain/order.js';
import type { Store } from '../../src/store/database.js';
import { type IntentState, listIntents } from '../../src/store/intents.js';
import type { Recorder } from '../recorder.js';

export interface FateDeps {
  store: Store;
  ledger: IntentLedger;
  recorder: Recorder;
}

export interface SettleOptions {
  /**
   * Settle `pending` intents too. Right for the first read after start-up: a pending intent
   * then is one a crash interrupted. While somd runs, a pending intent is being sent.
   */
  includePending?: boolean;
  /** Tags whose sends are still on their way: left open, since their order may yet appear. */
  sending?: ReadonlySet<string>;
}

/**
 * Settle the intents whose fate was unknown against `book`, a full read of the broker's order
 * book (GET /orders), and close their ORDER_FATE_UNKNOWN alerts saying how they ended. Found
 * by tag: the intent is placed and audited ORDER_RECOVERED. Absent: the intent failed
 * (NOT_SENT), audited ORDER_SEND_FAILED; it is never resent. Call it with every full read of
 * the order book (the account's refresh), never with a partial one.
 */
export async function settleUnknownIntents(
  book: readonly BrokerOrder[],
  deps: FateDeps,
  options: SettleOptions = {},
): Promise<IntentSettlement[]> {
  const states: IntentState[] = options.includePending ? ['pending', 'unknown'] : ['unknown'];
  const open = (await listIntents(deps.store.db, { states })).filter((i) => !options.sending?.has(i.tag));
  const settlements = settleIntents(
    open.map((i) => ({ tag: i.tag, strategyId: i.strategy_id })),
    book,
  );
  for (const s of settlements) {
    const resolution = settlementResolution(s);
    if (s.kind === 'placed') {
      await deps.ledger.placed(s.tag, s.order.order_id);
      await deps.recorder
        .audit({
          type: 'ORDER_RECOVERED',
          strategyId: s.strategyId,
          orderId: s.order.order_id,
          payload: { tag: s.tag, note: `its fate was unknown; ${resolution}, not resent` },
        })
        .catch(() => undefined);
    } else {
      const error = { code: INTENT_ERROR_CODES.notSent, message: resolution };
      await deps.ledger.failed(s.tag, error);
      await deps.recorder
        .audit({ type: 'ORDER_SEND_FAILED', strategyId: s.strategyId, payload: { tag: s.tag, error } })
        .catch(() => undefined);
    }
    // A lost write here is the recorder's to report; the other intents are still settled.
    await deps.recorder.resolve(fateAlertKey(s.tag), resolution).catch(() => undefined);
  }
  return settlements;
}
