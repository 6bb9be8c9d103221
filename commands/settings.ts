import type { StrategyRef } from '../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../src/domain/parse/strategy-ref.js';
import { describeSetting, isSettingKey, SETTING_KEYS, type SettingKey } from '../src/domain/setting-keys.js';
import { DEFAULT_STRATEGY } from '../src/domain/strategy-name.js';
import type { ParamsIn } from '../src/protocol/methods.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO, usageError } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/** `som settings show|set`. */
export function settingsCommand(deps: CliDeps): Command {
  return new Command('settings')
    .description(summaryOf('settings'))
    .addCommand(
      new Command('show')
        .description('every setting of a strategy')
        .option('--strategy <name>', 'the strategy, name or id', flag('--strategy', parseStrategyRef), DEFAULT_STRATEGY)
        .action(action(deps, (io, flags: { strategy: StrategyRef }) => runShow(flags.strategy, io))),
      { isDefault: true },
    )
    .addCommand(
      new Command('set')
        .argument('<key=value...>', 'settings to change')
        .description('change settings; all are validated and none is written unless every one is valid')
        .option('--strategy <name>', 'the strategy, name or id', flag('--strategy', parseStrategyRef), DEFAULT_STRATEGY)
        .addHelpText(
          'after',
          `\nKeys:\n${SETTING_KEYS.map((k) => `  ${k.padEnd(36)} ${describeSetting(k)}`).join('\n')}`,
        )
        .action(
          action(deps, (io, pairs: string[], flags: { strategy: StrategyRef }) =>
            runSet(parseAssignments(pairs), flags.strategy, io),
          ),
        ),
    );
}

/**
 * `key=value` words to a patch, each value as typed as its text allows (true/false, a number,
 * else the text). Keys are checked here; each value's rules are somd's, which names the key.
 */
export function parseAssignments(pairs: string[]): Partial<Record<SettingKey, boolean | number | string>> {
  const patch: Partial<Record<SettingKey, boolean | number | string>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    if (!isSettingKey(key)) {
      throw usageError(`unknown setting ${key}; settings are: ${SETTING_KEYS.join(', ')}`, { key });
    }
    if (text === '') throw usageError(`${key}: no value given`, { key });
    patch[key] =
      text === 'true' ? true : text === 'false' ? false : Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return patch;
}

/** Ask somd for a strategy's settings. */
export async function runShow(strategy: StrategyRef, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('settings.show', { strategy });
  await io.print(
    result,
    async () => `strategy ${result.strategy}\n${(await import('./ui/settings.js')).renderSettings(result.settings)}`,
  );
}

/** Send the patch; somd writes all of it or none. */
export async function runSet(
  patch: Partial<Record<SettingKey, boolean | number | string>>,
  strategy: StrategyRef,
  io: CommandIO,
): Promise<void> {
  // The values go as the text reads; somd's schema is the judge of each.
  const settings = patch as ParamsIn<'settings.update'>['settings'];
  const result = await (await io.client()).call('settings.update', { strategy, settings });
  await io.print(result, async () => (await import('./ui/settings.js')).renderChanges(result));
}
