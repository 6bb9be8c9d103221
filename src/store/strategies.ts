import type { Kysely } from 'kysely';
import { DEFAULT_STRATEGY, type Strategy, type StrategyWithSettings } from '../domain/strategy.js';
import { PROFILES, type ProfileName } from '../domain/strategy-settings.js';
import { SomError } from '../protocol/errors.js';
import type { Database, StrategyRow } from './schema.js';
import { readSettings, settingsToRow } from './settings.js';

/** A strategy by name or id, or NOT_FOUND naming what was asked for. */
export async function findStrategy(db: Kysely<Database>, ref: string | number): Promise<StrategyRow> {
  const row = await db
    .selectFrom('strategies')
    .selectAll()
    .where(typeof ref === 'number' ? 'id' : 'name', '=', ref)
    .executeTakeFirst();
  if (!row) {
    throw new SomError('NOT_FOUND', `no strategy ${JSON.stringify(ref)}; see \`som strategies list\``, {
      strategy: ref,
    });
  }
  return row;
}

export async function listStrategies(db: Kysely<Database>): Promise<Strategy[]> {
  const rows = await db.selectFrom('strategies').selectAll().orderBy('id').execute();
  return rows.map(toStrategy);
}

export async function getStrategyWithSettings(
  db: Kysely<Database>,
  ref: string | number,
): Promise<StrategyWithSettings> {
  const row = await findStrategy(db, ref);
  return { ...toStrategy(row), settings: await readSettings(db, row.id) };
}

/** Create a strategy with a profile's settings, in one transaction. */
export async function createStrategy(
  db: Kysely<Database>,
  name: string,
  profile: ProfileName,
  at: Date,
): Promise<StrategyRow> {
  return db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('strategies').select('id').where('name', '=', name).executeTakeFirst();
    if (exists) throw new SomError('ALREADY_EXISTS', `strategy ${name} already exists`, { strategy: name });
    const row = await trx
      .insertInto('strategies')
      .values({ name, profile, created_at: at.toISOString(), last_housekeeping_run: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('strategy_settings')
      .values({ strategy_id: row.id, updated_at: at.toISOString(), ...settingsToRow(PROFILES[profile]) })
      .execute();
    return row;
  });
}

/** The `default` strategy receives orders no strategy claims, so it must always exist. */
export async function ensureDefaultStrategy(db: Kysely<Database>, at: Date): Promise<StrategyRow | null> {
  const found = await db.selectFrom('strategies').select('id').where('name', '=', DEFAULT_STRATEGY).executeTakeFirst();
  if (found) return null;
  return createStrategy(db, DEFAULT_STRATEGY, 'default', at);
}

export function toStrategy(row: StrategyRow): Strategy {
  return {
    id: row.id,
    name: row.name,
    profile: row.profile as Strategy['profile'],
    created_at: row.created_at,
    total_brokerage_paid: row.total_brokerage_paid,
    total_taxes_paid: row.total_taxes_paid,
    realised_pnl: row.realised_pnl,
    total_margin_blocked: row.total_margin_blocked,
    risk_status: row.risk_status as Strategy['risk_status'],
    last_housekeeping_run: row.last_housekeeping_run,
  };
}

/** The id of the `default` strategy (it always exists once somd has started). */
export async function defaultStrategyId(db: Kysely<Database>): Promise<number> {
  const rows = await db.selectFrom('strategies').select(['id', 'name']).execute();
  return rows.find((r) => r.name === DEFAULT_STRATEGY)?.id ?? rows[0]?.id ?? 1;
}

/** Every strategy's name by id. */
export async function strategyNames(db: Kysely<Database>): Promise<Map<number, string>> {
  const rows = await db.selectFrom('strategies').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
