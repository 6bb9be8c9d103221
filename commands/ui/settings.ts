import { describeSetting, SETTING_KEYS } from '../../src/domain/setting-keys.js';
import type { StrategySettings } from '../../src/domain/strategy-settings.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { renderTable } from './table.js';

/** Every setting with its value and meaning. */
export function renderSettings(settings: StrategySettings): string {
  return renderTable(
    ['setting', 'value', 'meaning'],
    SETTING_KEYS.map((k) => [k, String(settings[k]), describeSetting(k)]),
  );
}

/** `som settings set`: each change as `strategy: key from -> to`. */
export function renderChanges(result: ResultOf<'settings.update'>): string {
  return result.changed.length === 0
    ? `strategy ${result.strategy}: nothing changed`
    : result.changed.map((c) => `${result.strategy}: ${c.key} ${String(c.from)} -> ${String(c.to)}`).join('\n');
}
