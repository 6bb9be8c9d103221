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

/**
 * What a failed request means for what the caller does next. It is decided once, where the
 * broker's answer is read (kite-errors.ts), so that no caller has to read the broker's words.
 */
export type BrokerOutcome =
  /** No answer, a time-out, or a failure on the broker's side (5xx, its gateway): the broker is not working now. */
  | 'unavailable'
  /**
   * A cancel or modify found nothing it could do: the order has finished (complete, cancelled,
   * rejected, expired), or an earlier instruction on it is still on its way to the exchange.
   * Kite answers both with the same words, so the order's next state says which it was.
   */
  | 'already_closed'
  /** The broker answered and refused: input, margin, session, permission, rate limit and the like. */
  | 'refused';

export class BrokerError extends SomError {
  readonly kind: BrokerErrorKind;
  /** Kite's `error_type` when there was one (TokenException, OrderException, ...). */
  readonly brokerType: string | null;
  readonly outcome: BrokerOutcome;
  /**
   * `outcome` defaults to what the kind says; the adapter sets `already_closed` from Kite's
   * answer. `detail` joins `kind` and `brokerType` in the error's data (what a script reads).
   */
  constructor(
    kind: BrokerErrorKind,
    message: string,
    brokerType: string | null = null,
    outcome?: BrokerOutcome,
    detail: Record<string, unknown> = {},
  ) {
    super(
      kind === 'token'
        ? 'BROKER_SESSION'
        : kind === 'network' || kind === 'timeout' || kind === 'rate_limit'
          ? 'BROKER_UNAVAILABLE'
          : 'BROKER_ERROR',
      message,
      { kind, brokerType, ...detail },
    );
    this.name = 'BrokerError';
    this.kind = kind;
    this.brokerType = brokerType;
    this.outcome = outcome ?? outcomeOfKind(kind, brokerType);
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

/**
 * Kite's GeneralException is its 500 ("an unclassified, general error"): the broker's side
 * failed. A `general` error without Kite's type is som's own (an unexpected shape, a bug), not
 * an outage.
 */
function outcomeOfKind(kind: BrokerErrorKind, brokerType: string | null): BrokerOutcome {
  if (kind === 'network' || kind === 'timeout') return 'unavailable';
  if (kind === 'general' && brokerType === 'GeneralException') return 'unavailable';
  return 'refused';
}

/**
 * The order a cancel or modify was aimed at had nothing left to change (or was still busy with
 * an earlier instruction): nothing to retry now, and no failure to report. The order's state,
 * read afterwards, says whether it is still open.
 */
export function isAlreadyClosed(err: unknown): boolean {
  return err instanceof BrokerError && err.outcome === 'already_closed';
}

/** The broker is not working now (no answer, a time-out, a 5xx or gateway failure): its health check fails. */
export function isServerUnavailable(err: unknown): boolean {
  return err instanceof BrokerError && err.outcome === 'unavailable';
}
