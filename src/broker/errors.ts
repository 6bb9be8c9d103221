import { SomError } from '../protocol/errors.js';

/**
 * What went wrong at the broker, in som's words. Kite's exception types map onto these; the
 * broker's own message is always kept. `timeout` and `network` are ambiguous for writes: the
 * request may have reached the broker, so an order is looked up by its tag before any resend.
 */
export type BrokerErrorKind =
  | 'token' // TokenException: session expired or revoked; log in again
  | 'input' // InputException: bad parameters
  | 'order' // OrderException: the order could not be placed/modified/cancelled (RMS, state)
  | 'margin' // MarginException: insufficient funds
  | 'holding' // HoldingException: not enough holdings to sell
  | 'permission' // PermissionException: the app or user may not do this
  | 'rate_limit' // HTTP 429 (Kite reports it as a NetworkException "Too many requests")
  | 'network' // no answer, connection reset, or a 5xx without a Kite body
  | 'timeout' // the client gave up waiting; the broker may still have acted
  | 'data' // DataException / unexpected response shape
  | 'general'; // GeneralException and anything else

export class BrokerError extends SomError {
  readonly kind: BrokerErrorKind;
  /** Kite's `error_type` when there was one (TokenException, OrderException, ...). */
  readonly brokerType: string | null;
  constructor(kind: BrokerErrorKind, message: string, brokerType: string | null = null) {
    super(
      kind === 'token'
        ? 'BROKER_SESSION'
        : kind === 'network' || kind === 'timeout' || kind === 'rate_limit'
          ? 'BROKER_UNAVAILABLE'
          : 'BROKER_ERROR',
      message,
      {
        kind,
        brokerType,
      },
    );
    this.name = 'BrokerError';
    this.kind = kind;
    this.brokerType = brokerType;
  }

  /** A read may be retried after backoff on these; the request did no harm. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'rate_limit';
  }

  /** A write failing this way may or may not have been carried out by the broker. */
  get ambiguous(): boolean {
    return this.kind === 'network' || this.kind === 'timeout';
  }
}

/** Kite's words for "nothing left to cancel or modify". */
const ALREADY_CLOSED = /(complete|completed|cancel+ed|rejected|expired|not open|no longer|already|being processed)/i;

/**
 * The order a cancel or modify was aimed at had nothing left to change (or was still busy with
 * an earlier instruction): nothing to retry now, and no failure to report. The order's state,
 * read afterwards, says whether it is still open.
 */
export function isAlreadyClosed(err: unknown): boolean {
  return (
    err instanceof BrokerError && (err.kind === 'order' || err.kind === 'input') && ALREADY_CLOSED.test(err.message)
  );
}
