/**
 * Canonical JSON: one text for one JSON value, so that a hash over it does not depend on key
 * order or on how a number happened to be written. It is the JSON Canonicalization Scheme
 * (RFC 8785), which any language can reproduce:
 *
 * - no whitespace;
 * - object keys sorted by their UTF-16 code units (JavaScript's default string order);
 * - strings as `JSON.stringify` writes them (`"`, `\` and control characters escaped);
 * - numbers as IEEE 754 doubles written the shortest way that reads back to the same double
 *   (ECMAScript's Number-to-String: `0.1`, `1e+21`, `-5`), `-0` as `0`;
 * - NaN and the infinities are refused, as are values JSON has no form for (undefined,
 *   functions, symbols, bigints, class instances such as Date).
 *
 * The text is hashed as UTF-8.
 */

export type CanonicalJson = { ok: true; text: string } | { ok: false; code: 'NOT_JSON'; message: string };

/** Why a value has no canonical form; a value, passed up rather than thrown. */
class NotJson {
  constructor(readonly message: string) {}
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string): string | NotJson {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify already writes -0 as 0 and every other double in its shortest form.
      return Number.isFinite(value)
        ? JSON.stringify(value)
        : new NotJson(`${path} is ${value}: JSON has no such number`);
    case 'object':
      break;
    default:
      return new NotJson(`${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}: not a JSON value`);
  }
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const part = write(value[i], `${path}[${i}]`);
      if (part instanceof NotJson) return part;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  if (!isPlainObject(value))
    return new NotJson(`${path} is a ${value.constructor?.name ?? 'object'}: not a JSON value`);
  for (const key of Object.keys(value).sort()) {
    const part = write(value[key], `${path}.${key}`);
    if (part instanceof NotJson) return part;
    parts.push(`${JSON.stringify(key)}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/** The canonical JSON text of `value`, or NOT_JSON naming the first part that has no JSON form. */
export function canonicalJson(value: unknown): CanonicalJson {
  const text = write(value, '$');
  return text instanceof NotJson ? { ok: false, code: 'NOT_JSON', message: text.message } : { ok: true, text };
}
