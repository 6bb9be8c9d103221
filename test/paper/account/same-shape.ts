/**
 * Shape comparison against Kite's sample responses: the same keys in the same order at every
 * level, and the same JSON types (number, string, boolean, null, array, object). Arrays are
 * compared element by element against the fixture's first element. Returns the differences
 * as `path: what` strings, so a failing test names every one.
 */
import { readFileSync } from 'node:fs';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ShapeOptions {
  /** Paths (`data.avatar_url`, `data.net[].close_price`) where null and the fixture's type both pass. */
  nullable?: readonly string[];
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function shapeDiff(actual: unknown, fixture: unknown, options: ShapeOptions = {}, path = ''): string[] {
  const nullable = options.nullable ?? [];
  const here = path || '(root)';
  const a = kind(actual);
  const f = kind(fixture);
  if (nullable.includes(path) && (a === 'null' || f === 'null')) return [];
  if (a !== f) return [`${here}: ${a} where the fixture has ${f}`];
  if (f === 'array') {
    const fa = fixture as Json[];
    const aa = actual as unknown[];
    if (fa.length === 0) return [];
    return aa.flatMap((el) => shapeDiff(el, fa[0], options, `${path}[]`));
  }
  if (f === 'object') {
    const fo = fixture as Record<string, Json>;
    const ao = actual as Record<string, unknown>;
    const fk = Object.keys(fo);
    const ak = Object.keys(ao);
    const out: string[] = [];
    for (const k of fk) if (!(k in ao)) out.push(`${path ? `${path}.` : ''}${k}: missing`);
    for (const k of ak) if (!(k in fo)) out.push(`${path ? `${path}.` : ''}${k}: not in the fixture`);
    if (out.length === 0 && fk.join(',') !== ak.join(','))
      out.push(`${here}: keys in order ${ak.join(',')} where the fixture has ${fk.join(',')}`);
    for (const k of fk) {
      if (k in ao) out.push(...shapeDiff(ao[k], fo[k], options, path ? `${path}.${k}` : k));
    }
    return out;
  }
  return [];
}

/** Loads test/fixtures/kite/<name>. */
export function kiteFixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../fixtures/kite/${name}`, import.meta.url), 'utf8')) as Json;
}

/** Kite's success envelope around a `data` value. */
export function envelope(data: unknown): { status: 'success'; data: unknown } {
  return { status: 'success', data };
}
