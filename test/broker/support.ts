import { readFileSync } from 'node:fs';

/** A Kite sample response from test/fixtures/kite (its `data`). */
export function fixture<T = any>(name: string): T {
  const text = readFileSync(new URL(`../fixtures/kite/${name}`, import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as { data?: unknown };
  return (name === 'postback.json' ? parsed : parsed.data) as T;
}

/**
 * Run `fn` with the process in another time zone (Node re-reads TZ when it is assigned), then
 * put the zone back. Lets a test show a result does not depend on the host's zone.
 */
export function inZone<T>(zone: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/**
 * What kiteconnect's REST client does to a row before we see it (connect.js formatResponse):
 * 19-character timestamps in these fields become `new Date(text)`, read in the host's zone.
 */
export function asKiteconnect<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const field of ['order_timestamp', 'exchange_timestamp', 'created', 'last_instalment', 'fill_timestamp']) {
    const v = out[field];
    if (typeof v === 'string' && v.length === 19) out[field] = new Date(v);
  }
  return out as T;
}
