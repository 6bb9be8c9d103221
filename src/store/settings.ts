import type { Kysely } from 'kysely';
import {
  SETTING_KEYS,
  type StrategySettings,
  type StrategySettingsPatch,
  strategySettingsSchema,
} from '../domain/strategy-settings.js';
import { SomError } from '../protocol/errors.js';
import type { Database, SettingsRow, StrategySettingsTable } from './schema.js';

type StoredSettings = Omit<StrategySettingsTable, 'strategy_id' | 'updated_at'>;

export function settingsToRow(settings: StrategySettings): StoredSettings;
export function settingsToRow(settings: StrategySettingsPatch): Partial<StoredSettings>;
export function settingsToRow(settings: StrategySettingsPatch): Partial<StoredSettings> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    row[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return row as Partial<StoredSettings>;
}

export function rowToSettings(row: SettingsRow): StrategySettings {
  const value: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const stored = row[key];
    const isFlag = strategySettingsSchema.shape[key].def.type === 'boolean';
    value[key] = isFlag ? stored === 1 : stored;
  }
  // The store's CHECK constraints and this parse keep a hand-edited database from feeding
  // nonsense to the rules.
  return strategySettingsSchema.parse(value);
}

export async function readSettings(db: Kysely<Database>, strategyId: number): Promise<StrategySettings> {
  const row = await db
    .selectFrom('strategy_settings')
    .selectAll()
    .where('strategy_id', '=', strategyId)
    .executeTakeFirst();
  if (!row) throw new SomError('STORE_ERROR', `strategy ${strategyId} has no settings row`);
  return rowToSettings(row);
}

export interface SettingChange {
  key: string;
  from: unknown;
  to: unknown;
}

/** Apply a validated patch in one transaction; returns the new settings and what changed. */
export async function updateSettings(
  db: Kysely<Database>,
  strategyId: number,
  patch: StrategySettingsPatch,
  at: Date,
): Promise<{ settings: StrategySettings; changed: SettingChange[] }> {
  return db.transaction().execute(async (trx) => {
    const before = await readSettings(trx, strategyId);
    const changed = (Object.keys(patch) as (keyof StrategySettings)[])
      .filter((k) => patch[k] !== before[k])
      .map((k) => ({ key: k, from: before[k], to: patch[k] }));
    if (changed.length > 0) {
      await trx
        .updateTable('strategy_settings')
        .set({ ...settingsToRow(patch), updated_at: at.toISOString() })
        .where('strategy_id', '=', strategyId)
        .execute();
    }
    return { settings: { ...before, ...patch }, changed };
  });
}
