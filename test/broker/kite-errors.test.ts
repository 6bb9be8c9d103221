import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/broker/errors.js';
import { kiteErrorIn, toBrokerError } from '../../src/broker/kite-errors.js';

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
