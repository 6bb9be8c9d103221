import type { Generated, Insertable, Selectable } from 'kysely';
import type { StrategySettings } from '../domain/strategy-settings.js';

/**
 * The database as kysely sees it. SQLite has no boolean: flags are stored 0/1 and converted
 * at the edge of the store (settings.ts); timestamps are ISO-8601 UTC strings.
 */
export interface Database {
  strategies: StrategiesTable;
  strategy_settings: StrategySettingsTable;
  audit_events: AuditEventsTable;
}

export interface StrategiesTable {
  id: Generated<number>;
  name: string;
  profile: string;
  created_at: string;
  total_brokerage_paid: Generated<number>;
  total_taxes_paid: Generated<number>;
  total_margin_blocked: Generated<number>;
  risk_status: Generated<string>;
  last_housekeeping_run: string | null;
}

type Stored<T> = { [K in keyof T]: T[K] extends boolean ? number : T[K] };

export type StrategySettingsTable = { strategy_id: number; updated_at: string } & Stored<StrategySettings>;

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  type: string;
  strategy_id: number | null;
  order_id: string | null;
  payload: string;
}

export type StrategyRow = Selectable<StrategiesTable>;
export type NewStrategyRow = Insertable<StrategiesTable>;
export type SettingsRow = Selectable<StrategySettingsTable>;
