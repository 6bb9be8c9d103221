import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { orUsageError } from '../flags.js';
import { summaryOf } from '../manifest.js';
import {
  PREFERENCE_KEYS,
  type PreferenceKey,
  parsePreference,
  preferencesPath,
  readPreferences,
  readStoredPreferences,
  writeStoredPreferences,
} from '../preferences.js';

/** `som config get|set|unset|list|path`: the command line's own preferences. */
export function configCommand(deps: CliDeps): Command {
  const keys = PREFERENCE_KEYS.map((k) => k.key).join(', ');
  return new Command('config')
    .description(summaryOf('config'))
    .addCommand(
      new Command('list')
        .description('every preference with its value and what it does')
        .action(action(deps, (io) => runList(deps.env, io))),
      { isDefault: true },
    )
    .addCommand(
      new Command('get')
        .argument('<key>', keys)
        .description('print one preference (exit 1 when it is not set)')
        .action(action(deps, (io, key: string) => runGet(deps.env, key, io))),
    )
    .addCommand(
      new Command('set')
        .argument('<key>', keys)
        .argument('<value>', 'the value (see som config list for what each takes)')
        .description('set one preference')
        .action(action(deps, (io, key: string, value: string) => runSet(deps.env, key, value, io))),
    )
    .addCommand(
      new Command('unset')
        .argument('<key>', keys)
        .description('forget one preference (its default applies again)')
        .action(action(deps, (io, key: string) => runUnset(deps.env, key, io))),
    )
    .addCommand(
      new Command('path')
        .description('where the preferences are kept')
        .action(action(deps, (io) => io.print({ path: preferencesPath(deps.env) }, () => preferencesPath(deps.env)))),
    )
    .addHelpText(
      'after',
      "\nThese are som's own preferences, in $XDG_CONFIG_HOME/som/preferences.json; somd's configuration is its TOML file.",
    );
}

/** Every preference and its value (`-`: not set). */
export async function runList(env: NodeJS.ProcessEnv, io: CommandIO): Promise<void> {
  const preferences = readPreferences(env, undefined, (text) => io.note(text));
  await io.print({ path: preferencesPath(env), preferences }, async () => {
    const { renderTable } = await import('../ui/table.js');
    return renderTable(
      ['key', 'value', 'takes', 'meaning'],
      PREFERENCE_KEYS.map((k) => [k.key, preferences[k.key] ?? '-', k.values, k.meaning]),
    );
  });
}

/** One preference's value; exit 1 with nothing on stdout when it is not set, as `git config` does. */
export async function runGet(env: NodeJS.ProcessEnv, key: string, io: CommandIO): Promise<void> {
  const known = knownKey(key);
  const value = readPreferences(env, undefined, (text) => io.note(text))[known] ?? null;
  if (value === null && !io.json) {
    io.exitWith(1);
    return;
  }
  await io.print({ key: known, value }, () => value ?? '');
}

/** Check and store one preference (the file written whole and atomically, mode 0600). */
export async function runSet(env: NodeJS.ProcessEnv, key: string, value: string, io: CommandIO): Promise<void> {
  const parsed = parsePreference(key, value);
  if ('error' in parsed) throw usageError(parsed.error, { field: key });
  // A strategy is named as every command names one: a name or an id.
  if (parsed.key === 'strategy') orUsageError(parseStrategyRef(parsed.value, 'strategy'));
  updateStore(env, (entries) => {
    entries[parsed.key] = parsed.value;
  });
  await io.print({ key: parsed.key, value: parsed.value }, () => `${parsed.key} = ${parsed.value}`);
}

/** Forget one preference. */
export async function runUnset(env: NodeJS.ProcessEnv, key: string, io: CommandIO): Promise<void> {
  const known = knownKey(key);
  updateStore(env, (entries) => {
    delete entries[known];
  });
  await io.print({ key: known, value: null }, () => `${known} unset`);
}

function knownKey(key: string): PreferenceKey {
  const spec = PREFERENCE_KEYS.find((k) => k.key === key);
  if (!spec) throw usageError(`no preference ${key}; preferences: ${PREFERENCE_KEYS.map((k) => k.key).join(', ')}`);
  return spec.key;
}

/** Change the stored entries (those som does not take are kept as they are) and write the file again. */
function updateStore(env: NodeJS.ProcessEnv, change: (entries: Record<string, unknown>) => void): void {
  const path = preferencesPath(env);
  let entries: Record<string, unknown>;
  try {
    entries = readStoredPreferences(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read ${path}: ${(err as Error).message}; correct or remove it`);
    }
    entries = {};
  }
  change(entries);
  writeStoredPreferences(path, entries);
}
