/**
 * Compare a paper-exchange answer with Kite's fixture: the same keys, nested the same way,
 * with the same JSON types. Values may differ. A `null` in the fixture stands for a field Kite
 * leaves empty in that sample, so any value is accepted there; a `null` in the answer where the
 * fixture has a value is a difference unless the path is listed in `nullable`. Each element of
 * an array is compared with the fixture's elements merged: Kite leaves optional fields out of
 * some records (orders.json: `tags`, `validity_ttl`), so a key present in every fixture element
 * is required, one present in some is allowed, and one in none is a difference.
 */
export function shapeDifferences(
  actual: unknown,
  fixture: unknown,
  nullable: readonly string[] = [],
  path = '$',
): string[] {
  if (fixture === null) return [];
  if (actual === null)
    return nullable.some((p) => matches(p, path)) ? [] : [`${path}: null, fixture has ${typeOf(fixture)}`];
  const a = typeOf(actual);
  const f = typeOf(fixture);
  if (a !== f) return [`${path}: ${a}, fixture has ${f}`];
  if (Array.isArray(fixture)) {
    if (fixture.length === 0) return [];
    const { sample, optional } = merge(fixture);
    return (actual as unknown[]).flatMap((item, i) => compare(item, sample, optional, nullable, `${path}[${i}]`));
  }
  return compare(actual, fixture, new Set(), nullable, path);
}

function compare(
  actual: unknown,
  fixture: unknown,
  optional: Set<string>,
  nullable: readonly string[],
  path: string,
): string[] {
  if (typeOf(fixture) !== 'object' || typeOf(actual) !== 'object') return shapeLeaf(actual, fixture, nullable, path);
  const fo = fixture as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(fo)) {
    if (!(key in ao)) {
      if (!optional.has(key)) out.push(`${path}.${key}: missing`);
    } else out.push(...shapeDifferences(ao[key], fo[key], nullable, `${path}.${key}`));
  }
  for (const key of Object.keys(ao)) if (!(key in fo)) out.push(`${path}.${key}: not in the fixture`);
  return out;
}

function shapeLeaf(actual: unknown, fixture: unknown, nullable: readonly string[], path: string): string[] {
  if (fixture === null) return [];
  if (actual === null)
    return nullable.some((p) => matches(p, path)) ? [] : [`${path}: null, fixture has ${typeOf(fixture)}`];
  const a = typeOf(actual);
  const f = typeOf(fixture);
  return a === f
    ? Array.isArray(fixture)
      ? shapeDifferences(actual, fixture, nullable, path)
      : []
    : [`${path}: ${a}, fixture has ${f}`];
}

/** Fixture array elements merged: every key seen, with its first non-null value; keys missing from some are optional. */
function merge(items: unknown[]): { sample: unknown; optional: Set<string> } {
  if (!items.every((x) => typeOf(x) === 'object')) return { sample: items[0], optional: new Set() };
  const sample: Record<string, unknown> = {};
  const counts = new Map<string, number>();
  for (const item of items as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(item)) {
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (!(k in sample) || (sample[k] === null && v !== null)) sample[k] = v;
    }
  }
  const optional = new Set([...counts].filter(([, n]) => n < items.length).map(([k]) => k));
  return { sample, optional };
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** `$.data[*].tag` style patterns: `[*]` stands for any index. */
function matches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.$]/g, (c) => `\\${c}`).replace(/\[\*\]/g, '\\[\\d+\\]')}$`);
  return re.test(path);
}
