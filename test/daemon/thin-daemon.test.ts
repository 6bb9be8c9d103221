import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The thin-daemon rule (DESIGN.md): a daemon service loads state through src/store, calls a
 * pure function of src/, and writes its decisions through src/store. So no file in daemon/
 * builds a query, opens a transaction or imports kysely, and none reads the broker's error
 * text: src/broker classifies a failure once, as a typed outcome.
 */

/** A kysely query builder call, a transaction, raw SQL, or kysely itself. */
const SQL = [
  /\.(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(/,
  /\.transaction\(/,
  /\bsql(`|\.raw\(|\.ref\(|\.lit\()/,
  /from\s+['"]kysely['"]/,
];

/** Reading an error's words: a regex tested on an error or its message, or a search of the message. */
const ERROR_TEXT = [
  /\.(test|exec)\(\s*[\w$.?!]*\b(err|error|e|cause|reason)\b/,
  /\.(test|exec)\(\s*[\w$.?!]*\.message\b/,
  /\b(err|error|e|cause|reason)\??\.message\??\.(match|matchAll|includes|startsWith|endsWith|search|indexOf)\(/,
];

/**
 * Files being rewritten to the rule right now, checked again once they are. This list must end
 * empty: an entry whose files all pass makes this test fail until it is removed. A path ending
 * in `/` covers the folder.
 */
const NOT_YET_THIN: string[] = [];

/** A line that is all comment (`//`, or inside a `/** ... *\/` block). */
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;

/** The lines of `text` that break the rule, as `line: text`. */
function offences(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (COMMENT_LINE.test(line)) return;
    if ([...SQL, ...ERROR_TEXT].some((p) => p.test(line))) found.push(`${i + 1}: ${line.trim()}`);
  });
  return found;
}

function daemonSources(dir = join(ROOT, 'daemon')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return daemonSources(path);
    return e.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

const allowed = (file: string) => NOT_YET_THIN.some((a) => (a.endsWith('/') ? file.startsWith(a) : file === a));

describe('the thin daemon', () => {
  const files = daemonSources();
  const offending = new Map(
    files.map((f) => [f, offences(readFileSync(join(ROOT, f), 'utf8'))] as const).filter(([, o]) => o.length > 0),
  );

  it('no file in daemon/ builds SQL, opens a transaction, imports kysely or reads error text', () => {
    expect(files.length).toBeGreaterThan(20);
    const breaking = [...offending].filter(([f]) => !allowed(f)).map(([f, o]) => `${f}\n  ${o.join('\n  ')}`);
    expect(breaking, 'move the query to src/store, the judgement to src/ (src/broker for broker errors)').toEqual([]);
  });

  it('every file on the not-yet-thin list still needs to be there', () => {
    const done = NOT_YET_THIN.filter(
      (a) => ![...offending.keys()].some((f) => allowed(f) && (a.endsWith('/') ? f.startsWith(a) : f === a)),
    );
    expect(done, 'these follow the rule now: take them off NOT_YET_THIN').toEqual([]);
  });

  it('the checks see what they are for, and pass what they are not', () => {
    for (const bad of [
      "const row = await db.selectFrom('orders').selectAll().execute();",
      "await trx.insertInto('alerts').values(v).execute();",
      'await db.transaction().execute(async (trx) => {',
      'await sql`select 1`.execute(db);',
      "import { type Kysely, sql } from 'kysely';",
      'if (ALREADY_CLOSED.test(err.message)) return;',
      "(err.kind === 'general' && /server|gateway|unavailable/i.test(err.message))",
      "if (error.message.includes('Too many')) wait();",
      'const code = NO_RESPONSE.exec(e.message)?.[1];',
    ]) {
      expect(offences(bad), bad).toHaveLength(1);
    }
    for (const fine of [
      "out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v;",
      "if (!JOB_NAME.test(def.name)) throw new SomError('INVALID_INPUT', 'bad name');",
      'return /^[A-Z0-9._-]+$/.test(text) ? text : quote(text);',
      'if (isAlreadyClosed(err)) result = "already closed";',
      "  // db.selectFrom('x') in a comment is not code",
      "   * the housekeeper's `sql` helper, in a doc comment",
      "await resolveAlerts(store.db, 'session', now);",
    ]) {
      expect(offences(fine), fine).toEqual([]);
    }
  });
});
