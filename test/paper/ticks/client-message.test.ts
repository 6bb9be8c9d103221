import { describe, expect, it } from 'vitest';
import {
  clientMessageSchema,
  MAX_TOKENS_PER_CONNECTION,
  parseClientMessage,
} from '../../../src/paper/ticks/client-message.js';

describe('parseClientMessage: what the official clients send', () => {
  it('reads subscribe, unsubscribe and mode', () => {
    expect(parseClientMessage('{"a":"subscribe","v":[408065,884737]}')).toEqual({
      ok: true,
      message: { action: 'subscribe', tokens: [408065, 884737] },
    });
    expect(parseClientMessage('{"a":"unsubscribe","v":[408065]}')).toEqual({
      ok: true,
      message: { action: 'unsubscribe', tokens: [408065] },
    });
    expect(parseClientMessage('{"a":"mode","v":["full",[408065,256265]]}')).toEqual({
      ok: true,
      message: { action: 'mode', mode: 'full', tokens: [408065, 256265] },
    });
  });

  it('reads a text message that arrives as a Buffer (ws delivers them so)', () => {
    expect(parseClientMessage(Buffer.from('{"a":"mode","v":["ltp",[1]]}'))).toEqual({
      ok: true,
      message: { action: 'mode', mode: 'ltp', tokens: [1] },
    });
  });

  it('accepts an empty token list (nothing to do)', () => {
    expect(parseClientMessage('{"a":"subscribe","v":[]}')).toEqual({
      ok: true,
      message: { action: 'subscribe', tokens: [] },
    });
  });

  it('agrees with the exported wire schema', () => {
    expect(clientMessageSchema.safeParse({ a: 'mode', v: ['quote', [1, 2]] }).success).toBe(true);
    expect(clientMessageSchema.safeParse({ a: 'mode', v: ['depth', [1]] }).success).toBe(false);
  });
});

describe('parseClientMessage: malformed input is an error value', () => {
  const codeOf = (text: string) => {
    const r = parseClientMessage(text);
    return r.ok ? 'OK' : r.error.code;
  };

  it('bad JSON', () => {
    expect(codeOf('{"a":"subscribe",')).toBe('INVALID_JSON');
    expect(codeOf('')).toBe('INVALID_JSON');
  });

  it('JSON that is not an {a, v} object', () => {
    expect(codeOf('[1,2,3]')).toBe('INVALID_MESSAGE');
    expect(codeOf('"subscribe"')).toBe('INVALID_MESSAGE');
    expect(codeOf('{"v":[1]}')).toBe('INVALID_MESSAGE');
    expect(codeOf('{"a":1,"v":[1]}')).toBe('INVALID_MESSAGE');
  });

  it('unknown action', () => {
    const r = parseClientMessage('{"a":"subscribe_all","v":[1]}');
    expect(r).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_ACTION', message: expect.stringContaining('subscribe_all') },
    });
  });

  it('tokens that are not non-negative integers', () => {
    expect(codeOf('{"a":"subscribe","v":[408065.5]}')).toBe('INVALID_TOKENS');
    expect(codeOf('{"a":"subscribe","v":["408065"]}')).toBe('INVALID_TOKENS');
    expect(codeOf('{"a":"subscribe","v":[-1]}')).toBe('INVALID_TOKENS');
    expect(codeOf('{"a":"subscribe","v":[4294967296]}')).toBe('INVALID_TOKENS'); // 2^32
    expect(codeOf('{"a":"unsubscribe","v":408065}')).toBe('INVALID_TOKENS');
    expect(codeOf('{"a":"mode","v":["full",[null]]}')).toBe('INVALID_TOKENS');
    const r = parseClientMessage('{"a":"subscribe","v":[1,2.5,3]}');
    expect(r.ok ? '' : r.error.message).toContain('2.5');
  });

  it('mode messages with a bad shape or an unknown mode', () => {
    expect(codeOf('{"a":"mode","v":[408065]}')).toBe('INVALID_MESSAGE');
    expect(codeOf('{"a":"mode","v":["full",[1],"extra"]}')).toBe('INVALID_MESSAGE');
    expect(codeOf('{"a":"mode","v":{"full":[1]}}')).toBe('INVALID_MESSAGE');
    expect(codeOf('{"a":"mode","v":["FULL",[1]]}')).toBe('INVALID_MODE');
    expect(codeOf('{"a":"mode","v":[["full"],[1]]}')).toBe('INVALID_MODE');
  });
});

describe('MAX_TOKENS_PER_CONNECTION', () => {
  it("is Kite's documented 3000 instruments per connection", () => {
    expect(MAX_TOKENS_PER_CONNECTION).toBe(3000);
  });
});
