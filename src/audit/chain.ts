import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/**
 * The audit trail's hash chain. Each event stores the hash of the event before it
 * (`prev_hash`) and its own `hash`:
 *
 *   hash = lowercase hex of SHA-256( UTF-8 of ( prev_hash + canonical JSON of the event ) )
 *
 * where the event is the object of its stored fields `{id, at, type, strategy_id, order_id,
 * payload}` (payload as its JSON value, not as text) and canonical JSON is RFC 8785
 * (canonical.ts). The first event of a trail has `prev_hash` = {@link GENESIS_HASH}. Changing
 * any stored field of any event changes its hash, and with it the `prev_hash` the next event
 * should have recorded.
 */

/** The `prev_hash` of the first event ever written: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A SHA-256 digest as som writes it: 64 lowercase hexadecimal digits. */
export function isHash(x: unknown): x is string {
  return typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
}

/** The fields of an event that its hash covers, as stored (payload as its JSON text). */
export interface HashedEvent {
  id: number;
  /** ISO-8601 UTC instant, as stored. */
  at: string;
  type: string;
  strategy_id: number | null;
  order_id: string | null;
  /** The payload's JSON text; its value (not its spelling) is hashed. */
  payload: string;
}

/** An audit event with its chain fields: a stored row, or a line of an export. */
export interface AuditChainRow extends HashedEvent {
  /** null on a row that was not written by som (som always sets both). */
  prev_hash: string | null;
  hash: string | null;
}

export type EventHash = { ok: true; hash: string } | { ok: false; code: 'NOT_JSON'; message: string };

/** The canonical JSON text of an event (its payload parsed), or why it has none. */
export function canonicalEvent(event: HashedEvent): ReturnType<typeof canonicalJson> {
  let payload: unknown;
  try {
    payload = JSON.parse(event.payload);
  } catch {
    return { ok: false, code: 'NOT_JSON', message: `the payload of event ${event.id} is not JSON` };
  }
  const { id, at, type, strategy_id, order_id } = event;
  return canonicalJson({ id, at, type, strategy_id, order_id, payload });
}

/** The hash an event must carry when it follows the event whose hash is `prevHash`. */
export function eventHash(prevHash: string, event: HashedEvent): EventHash {
  const canonical = canonicalEvent(event);
  if (!canonical.ok) return canonical;
  return {
    ok: true,
    hash: createHash('sha256')
      .update(prevHash + canonical.text, 'utf8')
      .digest('hex'),
  };
}

/**
 * A payload as som stores it: the canonical JSON text of what `JSON.stringify` makes of it
 * (so a value without a JSON form, such as NaN or undefined, is stored as JSON would write it:
 * null, or left out).
 */
export function storedPayload(payload: Record<string, unknown>): string {
  const value: unknown = JSON.parse(JSON.stringify(payload));
  const canonical = canonicalJson(value);
  // A value that came out of JSON.parse always has a canonical form.
  return canonical.ok ? canonical.text : '{}';
}
