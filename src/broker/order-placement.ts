import type { BrokerOrder, PlaceOrderRequest } from '../domain/order.js';
import { SomError } from '../protocol/errors.js';
import { within } from '../util/within.js';
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
 * not have it. A placement can be given a deadline: past it som stops waiting, says the fate is
 * unknown, and sends nothing more.
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
  /**
   * The whole placement settles within this many milliseconds (default: no limit). A send or a
   * look-up still unanswered then is left behind, and the fate is unknown.
   */
  deadlineMs?: number;
  /**
   * How long one send can take (the client's time-out): a resend is started only while this much
   * time is left before the deadline, so it is never cut off. Default 0.
   */
  sendTimeoutMs?: number;
  /** Milliseconds on a monotonic clock (default `performance.now`). */
  elapsedMs?: () => number;
  /**
   * Handed each send as it starts. A send left behind at the deadline settles later; until it
   * has, its order may still appear, so nothing may settle its intent as never sent.
   */
  track?: (send: Promise<unknown>) => void;
  /**
   * The intent is on disk already, written by the caller with its own record (a square-off's
   * exits, `recordNewIntents`): the first send goes without recording it again.
   */
  recorded?: boolean;
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
  /** Not in the broker's order book when it was read: it was never placed, and is not sent again. */
  notSent: 'NOT_SENT',
} as const;

/**
 * A placement whose outcome som could not learn: the order may be live at the broker. som has
 * recorded the intent as `unknown` and will not send it again; the next full read of the order
 * book settles it (order-fate.ts). `tag` is what to look for in the order book.
 */
export class OrderFateUnknown extends BrokerError {
  readonly tag: string;
  /** Why the fate could not be learned, in words. */
  readonly why: string;
  constructor(tag: string, why: string, cause: BrokerError) {
    super(
      cause.kind,
      `the order tagged ${tag} has an unknown fate: ${why}; last error: ${cause.message}. ` +
        `It may be live at the broker: look for tag ${tag} in the order book before placing it again. ` +
        'som will not send it again; it settles it when it next reads the order book',
      cause.brokerType,
      undefined,
      { tag, fate: 'unknown' },
    );
    this.name = 'OrderFateUnknown';
    this.tag = tag;
    this.why = why;
  }
}

/** The ledger code of a broker refusal: `BROKER_MARGIN`, `BROKER_ORDER`, `BROKER_INPUT`, ... */
export function intentErrorCode(err: BrokerError): string {
  return codeOfKind(err.kind);
}

function codeOfKind(kind: BrokerError['kind']): string {
  return `BROKER_${kind.toUpperCase()}`;
}

/** Refusals that are about the session or the broker, not the order: the same order may go through later. */
const RESENDABLE_KINDS: readonly BrokerError['kind'][] = ['token', 'rate_limit', 'network', 'timeout'];
const RESENDABLE_CODES: ReadonlySet<string> = new Set([
  INTENT_ERROR_CODES.notSent,
  ...RESENDABLE_KINDS.map(codeOfKind),
]);

/**
 * Whether a failed intent may be sent again under its tag: it was never placed (NOT_SENT), or
 * the broker refused it for the session (a login replaced the token while it was out), the
 * rate limit or its own unavailability, none of which says it would refuse the order again.
 */
export function isResendableFailure(code: string): boolean {
  return RESENDABLE_CODES.has(code);
}

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Place an order at most once. `input.request.tag` must be a tag som made for
 * `input.strategyId` (newOrderTag). Records the intent (unless the caller has), sends, and
 * settles the intent:
 * - accepted: `placed`;
 * - refused (input, order, margin, token, rate limit, ...): `failed`, and the BrokerError is rethrown;
 * - no clear answer (time-out, network): look the tag up in the order book; found: `placed`
 *   (`recovered: true`); read and absent: resend once with the same tag and treat that answer
 *   the same way; still unclear (or the order book could not be read, or the deadline came):
 *   `unknown`, and {@link OrderFateUnknown} is thrown;
 * - read and absent with no time left to resend: `failed` (NOT_SENT), and a BrokerError saying
 *   it was not placed.
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
  const elapsed = options.elapsedMs ?? (() => performance.now());
  const started = elapsed();
  const deadlineMs = options.deadlineMs ?? Number.POSITIVE_INFINITY;
  const left = () => deadlineMs - (elapsed() - started);
  const search: SearchOptions = {
    lookups: Math.max(1, options.lookups ?? 5),
    lookupDelayMs: options.lookupDelayMs ?? 300,
    sleep: options.sleep ?? sleepReal,
    left,
  };

  // Durable before anything is sent: after a crash the intent is what tells us to look.
  if (!options.recorded) await ledger.record({ tag, strategyId, request });

  let lastAmbiguous: BrokerError | null = null;
  for (let send = 0; send < 2; send++) {
    if (send > 0 && left() < (options.sendTimeoutMs ?? 0)) {
      return notResent(ledger, tag, lastAmbiguous!, deadlineMs);
    }
    const sent = await sendOnce(broker, request, left(), options.track);
    if (sent.kind === 'late') {
      const cause = new BrokerError('timeout', 'no answer yet when som stopped waiting');
      return fateUnknown(
        ledger,
        new OrderFateUnknown(tag, `the broker did not answer within ${seconds(deadlineMs)} s`, cause),
      );
    }
    if (sent.kind === 'answered') {
      await ledger.placed(tag, sent.orderId);
      // Answered directly (first send, or a resend after the order book showed the first absent).
      return { orderId: sent.orderId, recovered: false };
    }
    if (!sent.error.ambiguous) {
      await ledger.failed(tag, { code: intentErrorCode(sent.error), message: sent.error.message });
      throw sent.error;
    }
    lastAmbiguous = sent.error;
    const found = await searchByTag(broker, tag, search);
    if (found.kind === 'found') {
      await ledger.placed(tag, found.order.order_id);
      return { orderId: found.order.order_id, recovered: true };
    }
    if (found.kind === 'unreadable') {
      // Without a look at the order book a resend could double the order.
      return fateUnknown(
        ledger,
        new OrderFateUnknown(tag, `the order book could not be read (${found.error.message})`, lastAmbiguous),
      );
    }
    // Read and absent: the request never reached Kite; the loop sends it once more.
  }
  return fateUnknown(
    ledger,
    new OrderFateUnknown(tag, 'it was sent twice without a clear answer and is not in the order book', lastAmbiguous!),
  );
}

type Sent = { kind: 'answered'; orderId: string } | { kind: 'failed'; error: BrokerError } | { kind: 'late' };

/** One send, waited for at most `leftMs`: the broker's answer, its failure, or nothing in time. */
async function sendOnce(
  broker: Broker,
  request: PlaceOrderRequest,
  leftMs: number,
  track: ((send: Promise<unknown>) => void) | undefined,
): Promise<Sent> {
  try {
    const sending = broker.placeOrder(request);
    track?.(sending);
    const answer = await within(sending, leftMs);
    return answer.done ? { kind: 'answered', orderId: answer.value.order_id } : { kind: 'late' };
  } catch (thrown) {
    const error =
      thrown instanceof BrokerError ? thrown : new BrokerError('general', (thrown as Error)?.message ?? String(thrown));
    return { kind: 'failed', error };
  }
}

type Search = { kind: 'found'; order: BrokerOrder } | { kind: 'absent' } | { kind: 'unreadable'; error: BrokerError };

interface SearchOptions {
  lookups: number;
  lookupDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds left before the deadline. */
  left: () => number;
}

async function searchByTag(broker: Broker, tag: string, o: SearchOptions): Promise<Search> {
  let lastError: BrokerError | null = new BrokerError('timeout', 'no time was left to look');
  for (let i = 0; i < o.lookups && o.left() > o.lookupDelayMs; i++) {
    await o.sleep(o.lookupDelayMs);
    try {
      const book = await within(broker.orders(), o.left());
      if (!book.done) {
        lastError = new BrokerError('timeout', 'the order book did not come before the deadline');
        break;
      }
      const found = findByTag(book.value, tag);
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

async function fateUnknown(ledger: IntentLedger, err: OrderFateUnknown): Promise<never> {
  await ledger.unknown(err.tag, { code: INTENT_ERROR_CODES.unknown, message: err.message });
  // Keeps the ambiguous kind (timeout/network): callers must not treat it as a clean refusal.
  throw err;
}

/** The order book was read and had no such order, but no time is left to send it again. */
async function notResent(ledger: IntentLedger, tag: string, cause: BrokerError, deadlineMs: number): Promise<never> {
  const message =
    `the order tagged ${tag} was not placed: the broker did not answer (${cause.message}) and its order book ` +
    `does not have it. som did not send it again (too little of the ${seconds(deadlineMs)} s left to wait for ` +
    'an answer); place it again if you still want it';
  await ledger.failed(tag, { code: INTENT_ERROR_CODES.notSent, message });
  throw new BrokerError(cause.kind, message, cause.brokerType, undefined, { tag, fate: 'not_sent' });
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
