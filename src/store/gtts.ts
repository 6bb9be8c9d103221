import type { Kysely } from 'kysely';
import type { GttLegRole, GttWrite, StoredGtt } from '../housekeeping/gtt.js';
import { appendAudit } from './audit.js';
import type { Database } from './schema.js';

/** The GTT triggers som holds (every status), for folding in the broker's list. */
export async function loadStoredGtts(db: Kysely<Database>): Promise<StoredGtt[]> {
  const rows = await db.selectFrom('gtts').select(['gtt_id', 'strategy_id', 'status', 'roles', 'updated_at']).execute();
  return rows.map((r) => ({ ...r, roles: JSON.parse(r.roles) as GttLegRole[] }));
}

/**
 * Write the GTTs as the broker now lists them with som's judgement (src/housekeeping/gtt.ts),
 * and mark those it no longer lists as deleted, in one transaction. A judgement that makes a
 * leg protective is audited.
 */
export async function writeGttSync(
  db: Kysely<Database>,
  sync: { writes: readonly GttWrite[]; gone: readonly number[] },
  raw: ReadonlyMap<number, unknown>,
  at: Date,
): Promise<void> {
  if (sync.writes.length === 0 && sync.gone.length === 0) return;
  const now = at.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const g of sync.writes) {
      const columns = {
        strategy_id: g.strategy_id,
        type: g.type,
        status: g.status,
        exchange: g.exchange,
        tradingsymbol: g.tradingsymbol,
        instrument_token: g.instrument_token,
        product: g.product,
        transaction_type: g.transaction_type,
        quantity: g.quantity,
        trigger_values: JSON.stringify(g.trigger_values),
        last_price: g.last_price,
        broker_json: JSON.stringify(raw.get(g.gtt_id) ?? {}),
        roles: JSON.stringify(g.roles),
        updated_at: g.updated_at ?? now,
      };
      const judged = g.role_reason !== '' ? { role_reason: g.role_reason } : {};
      await trx
        .insertInto('gtts')
        .values({ gtt_id: g.gtt_id, ...columns, ...judged, created_at: now })
        .onConflict((oc) => oc.column('gtt_id').doUpdateSet({ ...columns, ...judged }))
        .execute();
      if (g.role_reason !== '' && g.roles.some((r) => r !== 'entry')) {
        await appendAudit(
          trx,
          {
            type: 'ROLE_JUDGED',
            strategyId: g.strategy_id,
            payload: { gtt_id: g.gtt_id, roles: g.roles, reason: g.role_reason },
          },
          at,
        );
      }
    }
    if (sync.gone.length > 0) {
      await trx
        .updateTable('gtts')
        .set({ status: 'deleted', updated_at: now })
        .where('gtt_id', 'in', [...sync.gone])
        .execute();
    }
  });
}
