import type { Command } from 'commander';
import {
  describeSetting,
  SETTING_KEYS,
  type SettingKey,
  type StrategySettings,
} from '../src/protocol/methods/settings.js';
import type { ParamsIn } from '../src/protocol/methods.js';
import { action, usageError } from './context.js';
import { renderTable } from './ui/table.js';

export function registerSettings(program: Command): void {
  const settings = program
    .command('settings')
    .description("a strategy's housekeeping, execution, margin and risk settings");

  settings
    .command('show', { isDefault: true })
    .description('every setting of a strategy')
    .option('--strategy <name>', 'the strategy', 'default')
    .action(
      action(async (ctx, opts: { strategy: string }) => {
        const result = await (await ctx.client()).call('settings.show', { strategy: opts.strategy });
        ctx.print(result, () => `strategy ${result.strategy}\n${renderSettings(result.settings)}`);
      }),
    );

  settings
    .command('set <key=value...>')
    .description('change settings; all are validated and none is written unless every one is valid')
    .option('--strategy <name>', 'the strategy', 'default')
    .addHelpText('after', `\nKeys:\n${SETTING_KEYS.map((k) => `  ${k.padEnd(36)} ${describeSetting(k)}`).join('\n')}`)
    .action(
      action(async (ctx, pairs: string[], opts: { strategy: string }) => {
        // Values go as typed as the text allows; the daemon's schema is the judge of each.
        const patch = parseAssignments(pairs) as ParamsIn<'settings.update'>['settings'];
        const result = await (await ctx.client()).call('settings.update', { strategy: opts.strategy, settings: patch });
        ctx.print(result, () =>
          result.changed.length === 0
            ? `strategy ${result.strategy}: nothing changed`
            : result.changed.map((c) => `${result.strategy}: ${c.key} ${String(c.from)} -> ${String(c.to)}`).join('\n'),
        );
      }),
    );
}

/** `key=value` words to a typed patch. Types are checked by the daemon's schema; this only reads the text. */
export function parseAssignments(pairs: string[]): Partial<Record<SettingKey, boolean | number | string>> {
  const patch: Record<string, boolean | number | string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`expected key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    if (!(SETTING_KEYS as string[]).includes(key)) {
      throw usageError(`unknown setting ${key}; settings are: ${SETTING_KEYS.join(', ')}`, { key });
    }
    if (text === '') throw usageError(`${key}: no value given`, { key });
    patch[key] =
      text === 'true' ? true : text === 'false' ? false : Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return patch;
}

export function renderSettings(settings: StrategySettings): string {
  return renderTable(
    ['setting', 'value', 'meaning'],
    SETTING_KEYS.map((k) => [k, String(settings[k]), describeSetting(k)]),
  );
}
