import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The command line's own preferences (`som config`), kept apart from somd's TOML: a small JSON
 * file, `$XDG_CONFIG_HOME/som/cli.json`, written by `som config set` through the conf package.
 * Every command reads it, so it is read here directly, with nothing but node's own modules
 * (conf costs a command more to load than its whole run); only `som config` loads conf.
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
];

/** The file the preferences live in. */
export function preferencesPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(preferencesDir(env), 'cli.json');
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
    case 'color': {
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
  let raw: unknown;
  try {
    raw = JSON.parse(read(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') note(`som: ignoring ${path}: ${(err as Error).message}`);
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Preferences = {};
  for (const [key, value] of Object.entries(raw)) {
    const parsed = parsePreference(key, String(value));
    if ('error' in parsed) note(`som: ignoring the preference ${key} in ${path}: ${parsed.error}`);
    else Object.assign(out, { [parsed.key]: parsed.value });
  }
  return out;
}
