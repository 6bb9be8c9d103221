import type { BrokerOrder, PlaceOrderRequest } from '../domain/order.js';
import { SomError } from '../protocol/errors.js';
import type { Broker } from './broker.js';
import { BrokerError } from './errors.js';
import { parseOrderTag } from './order-tag.js';

/**
 * Never send the same order twice.
 *
 * A placement that fails with a time-out or a broken connection may have reached Kite: the
 * order can be live while the client heard nothing. Resending blindly doubles the position.
 * So every order carries a unique tag (order-tag.ts), its intent is recorded before it is sent,
 * and after an ambiguous failure the order book is searched for the tag before anything is
 * sent again. An order is resent at most once, and only when the order book was read and did
 * not have it.
 */

/** Where intents live (the store implements it); every call must be durable before it resolves. */
export interface IntentLedger {
  record(intent: { tag: string; strategyId: number; request: PlaceOrderRequest }): Promise<void>;
  placed(tag: string, orderId: string): Promise<void>;
  failed(tag: string, error: { code: string; message: string }): Promise<void>;
  unknown(tag: string, error: { code: string; message: string }): Promise<void>;
}

export interface PlaceOrderOnceOptions {
  /** Pause before each order-book look-up: Kite may take a moment to list a new order. Default 300 ms. */
  lookupDelayMs?: number;
  /** Look-ups after each ambiguous failure. Default 5 (with the default delay, about 1.5 s of waiting). */
  lookups?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PlaceOrderOnceResult {
  orderId: string;
  /** True when the order was found by its tag after an ambiguous failure (the answer was lost). */
  recovered: boolean;
}

/** `failed()`/`unknown()` codes: what the ledger records for a placement that did not land. */
export const INTENT_ERROR_CODES = {
  /** The order's fate could not be learned: it may or may not be at the broker. */
  unknown: 'ORDER_FATE_UNKNOWN',
  /** Found pending after a restart and not in the broker's order book: it was never placed. */
  notSent: 'NOT_SENT',
} as const;

/** The ledger code of a broker refusal: `BROKER_MARGIN`, `BROKER_ORDER`, `BROKER_INPUT`, ... */
export function intentErrorCode(err: BrokerError): string {
  return `BROKER_${err.kind.toUpperCase()}`;
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Place an order at most once. `input.request.tag` must be a tag som made for
 * `input.strategyId` (newOrderTag). Records the intent, sends, and settles the intent:
 * - accepted: `placed`;
 * - refused (input, order, margin, token, rate limit, ...): `failed`, and the BrokerError is rethrown;
 * - no clear answer (time-out, network): look the tag up in the order book; found: `placed`
 *   (`recovered: true`); read and absent: resend once with the same tag and treat that answer
 *   the same way; still unclear (or the order book could not be read): `unknown`, and a
 *   BrokerError saying the order's fate is unknown, naming the tag, is thrown.
 */
export async function placeOrderOnce(
  broker: Broker,
  ledger: IntentLedger,
  input: { strategyId: number; request: PlaceOrderRequest },
  options: PlaceOrderOnceOptions = {},
): Promise<PlaceOrderOnceResult> {
  const { strategyId, request } = input;
  const tag = request.tag;
  if (!tag) throw new SomError('INVALID_INPUT', 'an order som places must carry its tag (newOrderTag)');
  if (parseOrderTag(tag)?.strategyId !== strategyId) {
    throw new SomError('INVALID_INPUT', `tag ${tag} is not a som tag of strategy ${strategyId}`);
  }
  const lookupDelayMs = options.lookupDelayMs ?? 300;
  const lookups = Math.max(1, options.lookups ?? 5);
  const sleep = options.sleep ?? sleepReal;

  // Durable before anything is sent: after a crash the intent is what tells us to look.
  await ledger.record({ tag, strategyId, request });

  let lastAmbiguous: BrokerError | null = null;
  for (let send = 0; send < 2; send++) {
    try {
      const { order_id } = await broker.placeOrder(request);
      await ledger.placed(tag, order_id);
      // Answered directly (first send, or a resend after the order book showed the first absent).
      return { orderId: order_id, recovered: false };
    } catch (thrown) {
      const err =
        thrown instanceof BrokerError
          ? thrown
          : new BrokerError('general', (thrown as Error)?.message ?? String(thrown));
      if (!err.ambiguous) {
        await ledger.failed(tag, { code: intentErrorCode(err), message: err.message });
        throw err;
      }
      lastAmbiguous = err;
    }
    const search = await searchByTag(broker, tag, { lookups, lookupDelayMs, sleep });
    if (search.kind === 'found') {
      await ledger.placed(tag, search.order.order_id);
      return { orderId: search.order.order_id, recovered: true };
    }
    if (search.kind === 'unreadable') {
      // Without a look at the order book a resend could double the order.
      return fateUnknown(ledger, tag, lastAmbiguous, `the order book could not be read (${search.error.message})`);
    }
    // Read and absent: the request never reached Kite; the loop sends it once more.
  }
  return fateUnknown(
    ledger,
    tag,
    lastAmbiguous!,
    'it was sent twice without a clear answer and is not in the order book',
  );
}

type Search = { kind: 'found'; order: BrokerOrder } | { kind: 'absent' } | { kind: 'unreadable'; error: BrokerError };

async function searchByTag(
  broker: Broker,
  tag: string,
  o: { lookups: number; lookupDelayMs: number; sleep: (ms: number) => Promise<void> },
): Promise<Search> {
  let lastError: BrokerError | null = null;
  for (let i = 0; i < o.lookups; i++) {
    await o.sleep(o.lookupDelayMs);
    try {
      const found = findByTag(await broker.orders(), tag);
      if (found) return { kind: 'found', order: found };
      lastError = null;
    } catch (thrown) {
      lastError =
        thrown instanceof BrokerError
          ? thrown
          : new BrokerError('general', String((thrown as Error)?.message ?? thrown));
    }
  }
  // Absent only if the last look succeeded: an earlier success may predate the order's listing.
  return lastError ? { kind: 'unreadable', error: lastError } : { kind: 'absent' };
}

/** The order carrying this tag (Kite lists it in `tag` and in `tags`), if any. */
export function findByTag(orders: readonly BrokerOrder[], tag: string): BrokerOrder | undefined {
  return orders.find((o) => o.tag === tag || o.tags.includes(tag));
}

async function fateUnknown(ledger: IntentLedger, tag: string, cause: BrokerError, why: string): Promise<never> {
  const message =
    `the order tagged ${tag} has an unknown fate: ${why}; last error: ${cause.message}. ` +
    `It may be live at the broker: look for tag ${tag} in the order book before placing it again`;
  await ledger.unknown(tag, { code: INTENT_ERROR_CODES.unknown, message });
  // Keeps the ambiguous kind (timeout/network): callers must not treat it as a clean refusal.
  throw new BrokerError(cause.kind, message, cause.brokerType);
}

/** An intent left unsettled by a crash (the store's `order_intents` rows). */
export interface OpenIntent {
  tag: string;
  strategyId?: number;
  /**
   * The ledger's state when the caller has not filtered already: only `pending` and `unknown`
   * intents are reconciled. Absent: the caller passes only open intents.
   */
  state?: string;
}

export interface ReconcileOutcome {
  placed: { tag: string; orderId: string }[];
  notSent: string[];
}

/**
 * Start-up after a crash: settle every `pending` or `unknown` intent against the broker's order
 * book, read once. Found by tag: `placed(orderId)`. Absent: `failed('NOT_SENT')`. It never
 * resends: an order the user still wants is placed again by a person or a rule, with a new tag.
 * Rejects with the BrokerError (touching no intent) when the order book cannot be read.
 */
export async function reconcileIntents(
  broker: Broker,
  ledger: IntentLedger,
  intents: readonly OpenIntent[],
): Promise<ReconcileOutcome> {
  const open = intents.filter((i) => i.state === undefined || i.state === 'pending' || i.state === 'unknown');
  const outcome: ReconcileOutcome = { placed: [], notSent: [] };
  if (open.length === 0) return outcome;
  const book = await broker.orders();
  for (const intent of open) {
    const order = findByTag(book, intent.tag);
    if (order) {
      await ledger.placed(intent.tag, order.order_id);
      outcome.placed.push({ tag: intent.tag, orderId: order.order_id });
    } else {
      await ledger.failed(intent.tag, {
        code: INTENT_ERROR_CODES.notSent,
        message: "absent from the broker's order book after restart; not resent",
      });
      outcome.notSent.push(intent.tag);
    }
  }
  return outcome;
}
