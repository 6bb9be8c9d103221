import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The command line's own preferences (`som config`), kept apart from somd's TOML: one small
 * JSON file, `$XDG_CONFIG_HOME/som/preferences.json` (0600), of `"key": "value"` entries.
 * Every command reads it at start, so it is read and written here with nothing but node's own
 * modules (a settings library costs a command more to load than its whole run).
 */
export interface Preferences {
  /** The strategy `som order place` (and any command that places orders) uses without --strategy. */
  strategy?: string;
  /** `json`: every command prints its JSON document without --json (`--no-json` gives the table back). */
  output?: 'table' | 'json';
  /** auto (by the terminal), always or never; FORCE_COLOR and NO_COLOR still win. */
  color?: ColorPreference;
  /** somd's socket, after --socket and $SOM_SOCKET. */
  socket?: string;
  /** `never`: `som trade` at a terminal sends without its confirmation box (as --yes does); default always. */
  'trade.confirm'?: 'always' | 'never';
}

export type PreferenceKey = keyof Preferences;

/** The user's colour preference (`som config set color ...`): auto follows the terminal. */
export type ColorPreference = 'auto' | 'always' | 'never';

let colorPreference: ColorPreference = 'auto';

/** Take the user's colour preference for the rest of this run (the environment still overrides it). */
export function preferColor(preference: ColorPreference): void {
  colorPreference = preference;
}

/** The colour preference taken for this run. */
export function preferredColor(): ColorPreference {
  return colorPreference;
}

/** Each key, what it means and the values it takes, in the order `som config list` shows them. */
export const PREFERENCE_KEYS: readonly { key: PreferenceKey; values: string; meaning: string }[] = [
  {
    key: 'strategy',
    values: 'a strategy name or id',
    meaning: 'the strategy orders are placed for without --strategy',
  },
  { key: 'output', values: 'table | json', meaning: 'json: every command prints its JSON document without --json' },
  { key: 'color', values: 'auto | always | never', meaning: 'colour in human output (FORCE_COLOR and NO_COLOR win)' },
  { key: 'socket', values: 'a path', meaning: "somd's socket, when neither --socket nor $SOM_SOCKET is given" },
  {
    key: 'trade.confirm',
    values: 'always | never',
    meaning: 'never: som trade at a terminal sends without its confirmation box (as --yes does)',
  },
];

/** The file the preferences live in. */
export function preferencesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(preferencesDir(env), 'preferences.json');
}

/** The directory it is in: som's own under the XDG config directory, beside somd's config.toml. */
export function preferencesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'som');
}

/**
 * A value for `key` as typed, or why it is refused. A strategy is checked as a reference here
 * only by shape (somd knows which strategies exist); `som config set` checks it fully.
 */
export function parsePreference(key: string, value: string): { key: PreferenceKey; value: string } | { error: string } {
  const spec = PREFERENCE_KEYS.find((k) => k.key === key);
  if (!spec) return { error: `no preference ${key}; preferences: ${PREFERENCE_KEYS.map((k) => k.key).join(', ')}` };
  const v = value.trim();
  switch (spec.key) {
    case 'output':
    case 'color':
    case 'trade.confirm': {
      const allowed = spec.values.split(' | ');
      return allowed.includes(v.toLowerCase())
        ? { key: spec.key, value: v.toLowerCase() }
        : { error: `${key} takes ${allowed.join(', ')}, not "${value}"` };
    }
    case 'strategy':
    case 'socket':
      return v ? { key: spec.key, value: v } : { error: `${key} takes ${spec.values}` };
  }
}

/**
 * The preferences as stored. A file that is missing is no preferences; one that cannot be read
 * or holds values som does not take is reported by `note` and those values are ignored, so a
 * bad preference never stops a command.
 */
export function readPreferences(
  env: NodeJS.ProcessEnv = process.env,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
  note: (text: string) => void = () => undefined,
): Preferences {
  const path = preferencesPath(env);
  let stored: Record<string, unknown>;
  try {
    stored = readStoredPreferences(path, read);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') note(`som: ignoring ${path}: ${(err as Error).message}`);
    return {};
  }
  const out: Preferences = {};
  for (const [key, value] of Object.entries(stored)) {
    const parsed = parsePreference(key, String(value));
    if ('error' in parsed) note(`som: ignoring the preference ${key} in ${path}: ${parsed.error}`);
    else Object.assign(out, { [parsed.key]: parsed.value });
  }
  return out;
}

/**
 * The file's entries as stored, keys flat (`{"trade": {"confirm": "never"}}` is read as
 * `trade.confirm`). Throws when the file is missing (ENOENT) or is not a JSON object.
 */
export function readStoredPreferences(
  path: string,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Record<string, unknown> {
  const raw: unknown = JSON.parse(read(path));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not a JSON object');
  const out: Record<string, unknown> = {};
  const flatten = (prefix: string, value: object) => {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) flatten(`${prefix}${k}.`, v);
      else out[`${prefix}${k}`] = v;
    }
  };
  flatten('', raw);
  return out;
}

/**
 * Write the preferences file whole: to a temporary file (0600) in the same directory, then
 * renamed over it, so a reader sees the old file or the new one, never half of one.
 */
export function writeStoredPreferences(path: string, entries: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(entries, null, '\t')}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
