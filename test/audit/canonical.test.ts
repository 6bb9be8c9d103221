import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical.js';
import { canonicalEvent, eventHash, GENESIS_HASH, type HashedEvent, storedPayload } from '../../src/audit/chain.js';

const text = (v: unknown) => {
  const c = canonicalJson(v);
  if (!c.ok) throw new Error(c.message);
  return c.text;
};

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(text({ b: 1, a: { d: [3, { z: 0, y: 'x' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":"x","z":0}]},"b":1}',
    );
  });

  it('orders keys by UTF-16 code units', () => {
    // "Z" (U+005A) < "a" (U+0061) < "é" (U+00E9) < "😀" (D83D DE00) < "￿" (U+FFFF): by code
    // units the astral emoji sorts before U+FFFF, though its code point is larger.
    expect(text({ '\uffff': 5, '😀': 4, é: 3, a: 2, Z: 1 })).toBe('{"Z":1,"a":2,"é":3,"😀":4,"\uffff":5}');
  });

  it('writes numbers in the shortest form that reads back, -0 as 0', () => {
    expect(text([0.1, 1.5e-7, 1e21, 100, -5, -0, 0.30000000000000004, 123456789012])).toBe(
      '[0.1,1.5e-7,1e+21,100,-5,0,0.30000000000000004,123456789012]',
    );
  });

  it('escapes strings as JSON does', () => {
    expect(text({ s: 'a"b\\c\n\u0001é' })).toBe('{"s":"a\\"b\\\\c\\n\\u0001é"}');
  });

  it('refuses what JSON cannot hold, naming where', () => {
    expect(canonicalJson({ a: [1, Number.NaN] })).toEqual({
      ok: false,
      code: 'NOT_JSON',
      message: '$.a[1] is NaN: JSON has no such number',
    });
    expect(canonicalJson({ x: Number.POSITIVE_INFINITY })).toMatchObject({
      ok: false,
      message: '$.x is Infinity: JSON has no such number',
    });
    expect(canonicalJson({ u: undefined })).toMatchObject({ ok: false, message: '$.u is undefined: not a JSON value' });
    expect(canonicalJson({ d: new Date(0) })).toMatchObject({ ok: false, message: '$.d is a Date: not a JSON value' });
    expect(canonicalJson(10n)).toMatchObject({ ok: false, message: '$ is a bigint: not a JSON value' });
  });
});

describe('event hash', () => {
  const event: HashedEvent = {
    id: 1,
    at: '2026-11-25T04:30:00.000Z',
    type: 'DAEMON_STARTED',
    strategy_id: 1,
    order_id: null,
    payload: '{ "b": [true, null, 0.10], "a": 1 }',
  };

  it('hashes the genesis hash and the canonical event: a vector to check a re-implementation against', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    const canonical = canonicalEvent(event);
    expect(canonical).toEqual({
      ok: true,
      text: '{"at":"2026-11-25T04:30:00.000Z","id":1,"order_id":null,"payload":{"a":1,"b":[true,null,0.1]},"strategy_id":1,"type":"DAEMON_STARTED"}',
    });
    // printf '%s' "$GENESIS$CANONICAL" | sha256sum, with the two texts above:
    expect(eventHash(GENESIS_HASH, event)).toEqual({
      ok: true,
      hash: '4a864c4d743413dfe285d8d7969f101cb0da04eb6c16af63a3a93fa6e2348788',
    });
  });

  it('depends on the payload value, not its spelling; any stored field changes it', () => {
    const h = (e: HashedEvent, prev = GENESIS_HASH) => {
      const r = eventHash(prev, e);
      if (!r.ok) throw new Error(r.message);
      return r.hash;
    };
    const base = h(event);
    expect(h({ ...event, payload: '{"a":1,"b":[true,null,0.1]}' })).toBe(base);
    for (const changed of [
      { ...event, id: 2 },
      { ...event, at: '2026-11-25T04:30:00.001Z' },
      { ...event, type: 'DAEMON_STOPPED' },
      { ...event, strategy_id: null },
      { ...event, order_id: '1' },
      { ...event, payload: '{"a":2,"b":[true,null,0.1]}' },
    ]) {
      expect(h(changed)).not.toBe(base);
    }
    expect(h(event, 'f'.repeat(64))).not.toBe(base);
  });

  it('a payload that is not JSON has no hash', () => {
    expect(eventHash(GENESIS_HASH, { ...event, payload: '{oops' })).toEqual({
      ok: false,
      code: 'NOT_JSON',
      message: 'the payload of event 1 is not JSON',
    });
  });

  it('a payload is stored as the canonical text of its JSON form', () => {
    // NaN becomes null and undefined is left out, as JSON.stringify writes them.
    expect(storedPayload({ z: 1, a: { y: Number.NaN, x: undefined } })).toBe('{"a":{"y":null},"z":1}');
  });
});
