import { describe, expect, it } from 'vitest';
import { BrokerError, isAlreadyClosed, isServerUnavailable } from '../../src/broker/errors.js';
import { kiteErrorIn, toBrokerError } from '../../src/broker/kite-errors.js';
import type { MessageSpec } from '../../src/paper/error-catalogue.js';
import { FAULT_KINDS, Faults } from '../../src/paper/faults.js';
import { gttError } from '../../src/paper/gtt/messages.js';
import { REJECTIONS, type RejectionCode } from '../../src/paper/matching/rejections.js';

/** A rejection as kiteconnect makes it: Kite's body, or the client's own `{ message, error_type, data }`. */
const kite = (error_type: string, message: string) => ({ status: 'error', message, error_type, data: null });

describe('toBrokerError', () => {
  it.each([
    ['TokenException', 'token', 'Incorrect `api_key` or `access_token`.'],
    ['InputException', 'input', 'Invalid `price`.'],
    ['OrderException', 'order', 'Order cannot be modified as it is being processed.'],
    ['MarginException', 'margin', 'Insufficient funds. Required margin is 95417.84 but available margin is 74251.80.'],
    ['HoldingException', 'holding', 'Insufficient holdings.'],
    ['PermissionException', 'permission', 'Insufficient permission for that call.'],
    ['UserException', 'permission', 'Your account is blocked.'],
    ['DataException', 'data', 'Unknown content type (text/html) with response: (<html>)'],
    ['GeneralException', 'general', 'Internal server error'],
    ['SomeNewException', 'general', 'something Kite added later'],
  ])('maps %s to %s and keeps the message verbatim', (type, kind, message) => {
    const err = toBrokerError(kite(type, message));
    expect(err).toBeInstanceOf(BrokerError);
    expect(err.kind).toBe(kind);
    expect(err.message).toBe(message);
    expect(err.brokerType).toBe(type);
  });

  it('reads a 429 as rate_limit, whether Kite sent its body or only the status text', () => {
    expect(toBrokerError(kite('NetworkException', 'Too many requests')).kind).toBe('rate_limit');
    // kiteconnect's own object for an error status without a Kite body: the status text
    expect(toBrokerError({ message: 'Too Many Requests', error_type: 'NetworkException', data: null }).kind).toBe(
      'rate_limit',
    );
  });

  it("reads axios's time-out as timeout: the broker may still act on the request", () => {
    const err = toBrokerError({
      message: 'No response from server with error code: ECONNABORTED',
      error_type: 'NetworkException',
      data: null,
    });
    expect(err.kind).toBe('timeout');
    expect(err.ambiguous).toBe(true);
    expect(err.code).toBe('BROKER_UNAVAILABLE');
    expect(
      toBrokerError({ message: 'No response from server with error code: ETIMEDOUT', error_type: 'NetworkException' })
        .kind,
    ).toBe('timeout');
  });

  it('reads resets, refused connections and bodiless 5xx as network', () => {
    for (const message of [
      'No response from server with error code: ECONNRESET',
      'No response from server with error code: ECONNREFUSED',
      'Service Unavailable', // a 503 with no Kite body: the status text
      'Request failed (kitetrade-oms).', // Kite's 502 body
    ]) {
      const err = toBrokerError(kite('NetworkException', message));
      expect(err.kind, message).toBe('network');
      expect(err.message).toBe(message);
    }
  });

  it('reads a 5xx carrying a Kite GeneralException body as general (a read may retry it)', () => {
    const err = toBrokerError(kite('GeneralException', 'Internal server error'));
    expect(err.kind).toBe('general');
    expect(err.retryable).toBe(false);
    expect(err.ambiguous).toBe(false);
  });

  it('maps a token error to the session code the CLI tells the user to log in with', () => {
    expect(toBrokerError(kite('TokenException', 'Token is invalid or has expired.')).code).toBe('BROKER_SESSION');
  });

  it('reads errors that are not Kite objects by their code', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toBrokerError(reset)).toMatchObject({ kind: 'network', message: 'socket hang up', brokerType: null });
    const timeout = Object.assign(new Error('timeout of 100ms exceeded'), { code: 'ECONNABORTED' });
    expect(toBrokerError(timeout).kind).toBe('timeout');
    expect(toBrokerError(new TypeError('x is undefined')).kind).toBe('general');
    expect(toBrokerError('plain text').message).toBe('plain text');
    expect(toBrokerError(undefined).kind).toBe('general');
  });

  it('passes a BrokerError through unchanged', () => {
    const e = new BrokerError('margin', 'no money', 'MarginException');
    expect(toBrokerError(e)).toBe(e);
  });
});

describe('kiteErrorIn', () => {
  it('finds the DataException object kiteconnect resolves with for an unknown content type', () => {
    expect(
      kiteErrorIn({ error_type: 'DataException', message: 'Unknown content type (text/html) with response: (x)' }),
    ).toEqual({
      error_type: 'DataException',
      message: 'Unknown content type (text/html) with response: (x)',
    });
  });

  it('finds nothing in ordinary results', () => {
    expect(kiteErrorIn([{ order_id: '1' }])).toBeNull();
    expect(kiteErrorIn({ order_id: '1' })).toBeNull();
    expect(kiteErrorIn('csv text')).toBeNull();
    expect(kiteErrorIn(null)).toBeNull();
  });
});

/** Every parameter any catalogue message takes, with plausible values. */
const PARAMS = {
  required: 95417.84,
  available: 74251.8,
  limit: 70.65,
  tick: 0.05,
  lot: 75,
  quantity: 6300,
  lots: 21,
  max: 6000,
  maxLots: 20,
  ltp: 812.4,
  filled: 10,
  field: 'price',
  product: 'CNC',
  exchange: 'NFO',
  variety: 'iceberg',
};

/** Kite's answer for a catalogue entry, as kiteconnect rejects with it. */
function rejection(code: RejectionCode) {
  const spec = REJECTIONS[code] as MessageSpec<unknown>;
  return kite(spec.error_type, spec.render(PARAMS));
}

describe("broker outcomes from Kite's own answers", () => {
  const codes = Object.keys(REJECTIONS) as RejectionCode[];

  it('a cancel or modify of a finished order is already_closed: nothing to retry, nothing to report', () => {
    for (const code of ['CANCEL_NOT_ALLOWED', 'MODIFY_NOT_ALLOWED'] as const) {
      const err = toBrokerError(rejection(code));
      expect(err.outcome, code).toBe('already_closed');
      expect(isAlreadyClosed(err), code).toBe(true);
      expect(isServerUnavailable(err), code).toBe(false);
    }
    // the same words with Kite's other type for them
    expect(
      isAlreadyClosed(toBrokerError(kite('OrderException', 'Order cannot be modified as it is being processed.'))),
    ).toBe(true);
    // a GTT that fired or was deleted meanwhile (the paper exchange's words for it)
    const gone = gttError('NOT_ACTIVE', { status: 'deleted' });
    expect(isAlreadyClosed(toBrokerError(kite(gone.error_type, gone.message)))).toBe(true);
  });

  it('every other refusal in the catalogue is refused: neither already closed nor an outage', () => {
    const others = codes.filter((c) => c !== 'CANCEL_NOT_ALLOWED' && c !== 'MODIFY_NOT_ALLOWED');
    expect(others.length).toBeGreaterThan(20);
    for (const code of others) {
      const err = toBrokerError(rejection(code));
      expect(err.outcome, `${code}: ${err.message}`).toBe('refused');
      expect(isAlreadyClosed(err), code).toBe(false);
      expect(isServerUnavailable(err), code).toBe(false);
    }
  });

  it('too many modifications is a refusal of the modify, though Kite types it NetworkException', () => {
    const err = toBrokerError(rejection('MAX_MODIFICATIONS'));
    expect(err.brokerType).toBe('NetworkException');
    expect(err.kind).toBe('order');
    // not ambiguous: the modify was not carried out, and the broker is up
    expect(err.ambiguous).toBe(false);
    expect(isServerUnavailable(err)).toBe(false);
  });

  it("Kite's 5xx and gateway answers, resets and time-outs mean the broker is unavailable; a 429 does not", () => {
    for (const kind of FAULT_KINDS) {
      const decision = new Faults(1, { errors: [{ path: '*', method: '*', kind, rate: 1 }] }).decide('GET', '/orders');
      if (decision.kind === 'none') throw new Error(`fault ${kind} did not fire`);
      // kiteconnect's own object when no answer came at all
      const raw =
        decision.kind === 'reset'
          ? { message: 'No response from server with error code: ECONNRESET', error_type: 'NetworkException' }
          : kite(decision.errorType, decision.message);
      const err = toBrokerError(raw);
      expect(isServerUnavailable(err), `${kind}: ${err.message}`).toBe(kind !== '429');
      expect(isAlreadyClosed(err), kind).toBe(false);
    }
    const timedOut = toBrokerError({
      message: 'No response from server with error code: ECONNABORTED',
      error_type: 'NetworkException',
    });
    expect(isServerUnavailable(timedOut)).toBe(true);
  });

  it("Kite's 500 is an outage; its 404 and 405, sent with the same type, are not", () => {
    expect(isServerUnavailable(toBrokerError(kite('GeneralException', 'Internal server error')))).toBe(true);
    expect(isServerUnavailable(toBrokerError(kite('GeneralException', 'Route not found')))).toBe(false);
    expect(isServerUnavailable(toBrokerError(kite('GeneralException', 'Method not allowed')))).toBe(false);
  });

  it("som's own failures are not outages, and the predicates say no to anything that is not a BrokerError", () => {
    expect(isServerUnavailable(toBrokerError(new TypeError('x is undefined')))).toBe(false);
    expect(isServerUnavailable(new Error('Service unavailable'))).toBe(false);
    expect(isAlreadyClosed(new Error('Order cannot be cancelled as it is being processed. Try later.'))).toBe(false);
    expect(isAlreadyClosed(undefined)).toBe(false);
  });
});
