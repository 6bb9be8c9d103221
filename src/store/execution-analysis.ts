import type { Kysely } from 'kysely';
import type { ExecutionAnalysis } from '../execution/analyze.js';
import type { ExecutionSettings } from '../execution/decision.js';
import type { LiquidityCategory } from '../execution/liquidity.js';
import type { HeldInput, QualityInput } from '../execution/quality-report.js';
import type { Database, OrderExecutionAnalysisTable } from './schema.js';

/**
 * Every market analysis som makes, in `order_execution_analysis`, with the depth it used: what
 * `som analyze` showed, what `som trade` decided on, what an order som sent was judged against
 * (linked from `orders.pre_execution_analysis_id`).
 */

export type AnalysisPurpose = OrderExecutionAnalysisTable['purpose'];

export interface NewAnalysis {
  purpose: AnalysisPurpose;
  strategyId: number | null;
  tag?: string | null;
  exchange: string;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  product?: string | null;
  settings: ExecutionSettings;
  /** The analysis, or why none could be made. */
  result: ExecutionAnalysis | { code: string; message: string };
}

/** An analysis as stored. */
export interface StoredAnalysis {
  id: number;
  at: string;
  purpose: AnalysisPurpose;
  strategy_id: number | null;
  tag: string | null;
  order_id: string | null;
  exchange: string;
  tradingsymbol: string;
  product: string | null;
  settings: ExecutionSettings;
  analysis: ExecutionAnalysis | null;
  error: { code: string; message: string } | null;
}

const isAnalysis = (r: NewAnalysis['result']): r is ExecutionAnalysis => 'decision' in r;

/** Store one analysis (or its refusal) with the depth it used; returns its id. */
export async function insertAnalysis(db: Kysely<Database>, a: NewAnalysis, now: Date): Promise<number> {
  const r = a.result;
  const figures = isAnalysis(r)
    ? {
        instrument_class: r.instrument_class,
        depth_source: r.quote.source,
        depth_at: r.quote.at,
        depth: JSON.stringify(r.depth),
        last_price: r.quote.last_price,
        bid: r.quote.bid,
        ask: r.quote.ask,
        arrival_mid: r.quote.mid,
        spread_abs: r.spread.abs,
        spread_pct: r.spread.pct,
        spread_ticks: r.spread.ticks,
        spread_category: r.spread.category,
        impact_status: r.impact.status,
        impact_vwap: r.impact.vwap,
        impact_bps: r.impact.bps,
        impact_bps_vs_touch: r.impact.bps_vs_touch,
        levels_used: r.impact.levels_used,
        impact_filled_quantity: r.impact.filled_quantity,
        impact_unfilled_quantity: r.impact.unfilled_quantity,
        slippage: r.impact.slippage,
        liquidity_score: r.liquidity.score,
        liquidity_category: r.liquidity.category,
        decision: r.decision,
        hold: r.hold ? 1 : 0,
        limit_price: r.limit_price,
        reasons: JSON.stringify(r.reasons),
        analysis: JSON.stringify(r),
        error_code: null,
        error_message: null,
      }
    : { error_code: r.code, error_message: r.message };
  const row = await db
    .insertInto('order_execution_analysis')
    .values({
      at: now.toISOString(),
      purpose: a.purpose,
      strategy_id: a.strategyId,
      tag: a.tag ?? null,
      order_id: null,
      exchange: a.exchange,
      tradingsymbol: a.tradingsymbol,
      side: a.side,
      quantity: a.quantity,
      product: a.product ?? null,
      settings: JSON.stringify(a.settings),
      ...figures,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Name the tag of the order an analysis was made for (the order desk gives it just before sending). */
export async function tagAnalysis(db: Kysely<Database>, id: number, tag: string): Promise<void> {
  await db.updateTable('order_execution_analysis').set({ tag }).where('id', '=', id).execute();
}

/**
 * Link the order the broker made to the analysis stored under its tag, both ways, in one
 * transaction (the order keeps a link it already has). Returns the analysis id, or null when
 * none was stored under the tag or the order is not stored yet.
 */
export function linkAnalysis(db: Kysely<Database>, tag: string, orderId: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const analysis = await trx
      .selectFrom('order_execution_analysis')
      .select('id')
      .where('tag', '=', tag)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!analysis) return null;
    await trx
      .updateTable('order_execution_analysis')
      .set({ order_id: orderId })
      .where('id', '=', analysis.id)
      .execute();
    const linked = await trx
      .updateTable('orders')
      .set({ pre_execution_analysis_id: analysis.id })
      .where('order_id', '=', orderId)
      .where('pre_execution_analysis_id', 'is', null)
      .executeTakeFirst();
    return Number(linked.numUpdatedRows) > 0 ? analysis.id : null;
  });
}

/** Analyses by id, in the order asked (missing ids are left out). */
export async function getAnalyses(db: Kysely<Database>, ids: readonly number[]): Promise<StoredAnalysis[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('order_execution_analysis')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        at: r.at,
        purpose: r.purpose,
        strategy_id: r.strategy_id,
        tag: r.tag,
        order_id: r.order_id,
        exchange: r.exchange,
        tradingsymbol: r.tradingsymbol,
        product: r.product,
        settings: JSON.parse(r.settings) as ExecutionSettings,
        analysis: r.analysis === null ? null : (JSON.parse(r.analysis) as ExecutionAnalysis),
        error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
      },
    ];
  });
}

export interface QualityFilter {
  /** ISO instant: analyses at or after it. */
  since: string;
  strategyId?: number | undefined;
}

/**
 * What the execution-quality report reads: each analysis made for an order som was asked to
 * send (`som trade`'s first analysis of each leg, every plain order's, and the re-check a held
 * order was sent on after the user's answer), with the order it became as the broker last
 * described it, and the period's held orders with how long the user took to answer.
 */
export async function loadQuality(
  db: Kysely<Database>,
  filter: QualityFilter,
): Promise<{ inputs: QualityInput[]; held: HeldInput[] }> {
  let q = db
    .selectFrom('order_execution_analysis as a')
    .leftJoin('orders as o', 'o.order_id', 'a.order_id')
    .leftJoin('strategies as s', 's.id', 'a.strategy_id')
    .select([
      'a.id',
      'a.purpose',
      'a.at',
      's.name as strategy',
      'a.exchange',
      'a.tradingsymbol',
      'a.side',
      'a.quantity',
      'a.decision',
      'a.error_code',
      'a.liquidity_category',
      'a.bid',
      'a.ask',
      'a.arrival_mid',
      'a.impact_vwap',
      'a.impact_status',
      'o.order_id',
      'o.order_type',
      'o.price',
      'o.status',
      'o.filled_quantity',
      'o.average_price',
    ])
    // An order sent after its user answered a hold was sent on the re-check made then.
    .where((eb) =>
      eb.or([
        eb('a.purpose', 'in', ['trade', 'place']),
        eb.and([eb('a.purpose', '=', 'recheck'), eb('a.order_id', 'is not', null)]),
      ]),
    )
    .where('a.at', '>=', filter.since);
  if (filter.strategyId !== undefined) q = q.where('a.strategy_id', '=', filter.strategyId);
  const rows = await q.orderBy('a.id').execute();
  const inputs: QualityInput[] = rows.map((r) => ({
    analysis_id: r.id,
    first: r.purpose !== 'recheck',
    at: r.at,
    strategy: r.strategy,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    side: r.side,
    quantity: r.quantity,
    decision: r.decision,
    error_code: r.error_code,
    liquidity_category: r.liquidity_category as LiquidityCategory | null,
    bid: r.bid,
    ask: r.ask,
    arrival_mid: r.arrival_mid,
    // A book too thin for the order predicts no price for the rest: no prediction to judge.
    predicted_vwap: r.impact_status === 'FILLED' ? r.impact_vwap : null,
    order:
      r.order_id === null
        ? null
        : {
            order_id: r.order_id,
            order_type: r.order_type ?? '',
            price: r.price ?? 0,
            status: r.status ?? '',
            filled_quantity: r.filled_quantity ?? 0,
            average_price: r.average_price ?? 0,
          },
  }));

  let h = db
    .selectFrom('held_orders as h')
    .select((eb) => [
      'h.state',
      eb
        .selectFrom('held_order_responses as r')
        .select('r.response_ms')
        .whereRef('r.held_order_id', '=', 'h.id')
        .orderBy('r.id')
        .limit(1)
        .as('first_response_ms'),
    ])
    .where('h.created_at', '>=', filter.since);
  if (filter.strategyId !== undefined) h = h.where('h.strategy_id', '=', filter.strategyId);
  const held = (await h.execute()).map((r) => ({ state: r.state, first_response_ms: r.first_response_ms ?? null }));
  return { inputs, held };
}
