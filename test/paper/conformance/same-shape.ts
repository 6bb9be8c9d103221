/**
 * Compare a paper-exchange answer with Kite's fixture: the same keys, nested the same way,
 * with the same JSON types. Values may differ. A `null` in the fixture stands for a field Kite
 * leaves empty in that sample, so any value is accepted there; a `null` in the answer where the
 * fixture has a value is a difference unless the path is listed in `nullable`. Arrays are
 * compared element by element against the fixture's first element (an empty array on either
 * side checks nothing further).
 */
export function shapeDifferences(actual: unknown, fixture: unknown, nullable: readonly string[] = [], path = '$'): string[] {
  if (fixture === null) return [];
  if (actual === null) return nullable.some((p) => matches(p, path)) ? [] : [`${path}: null, fixture has ${typeOf(fixture)}`];
  const a = typeOf(actual);
  const f = typeOf(fixture);
  if (a !== f) return [`${path}: ${a}, fixture has ${f}`];
  if (Array.isArray(fixture)) {
    const sample = fixture[0];
    if (sample === undefined) return [];
    return (actual as unknown[]).flatMap((item, i) => shapeDifferences(item, sample, nullable, `${path}[${i}]`));
  }
  if (f === 'object') {
    const fo = fixture as Record<string, unknown>;
    const ao = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const key of Object.keys(fo)) {
      if (!(key in ao)) out.push(`${path}.${key}: missing`);
      else out.push(...shapeDifferences(ao[key], fo[key], nullable, `${path}.${key}`));
    }
    for (const key of Object.keys(ao)) if (!(key in fo)) out.push(`${path}.${key}: not in the fixture`);
    return out;
  }
  return [];
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
