import type { TransactionType } from '../domain/order.js';
import type { StrategySettings } from '../domain/strategy-settings.js';
import { price, sig, ticksText } from './format.js';
import type { Impact } from './impact.js';
import type { LimitPrice } from './limit-price.js';
import type { Liquidity } from './liquidity.js';
import type { Spread, SpreadRules } from './spread.js';
import { compare } from './tolerance.js';

/**
 * How som sends an order, least to most severe:
 * - EXECUTE_MARKET: a MARKET order (with market protection) costs no more than the touch.
 * - EXECUTE_LIMIT: a LIMIT order at the computed price.
 * - ALERT_USER_HIGH_COST: costly; sent as LIMIT with an alert, or held when the strategy's
 *   require_user_approval_high_impact is on.
 * - REQUIRE_APPROVAL: held for the user whatever the settings.
 */
export const EXECUTION_DECISIONS = [
  'EXECUTE_MARKET',
  'EXECUTE_LIMIT',
  'ALERT_USER_HIGH_COST',
  'REQUIRE_APPROVAL',
] as const;
export type ExecutionDecision = (typeof EXECUTION_DECISIONS)[number];

/** The strategy settings that move the decision's lines. */
export type ExecutionSettings = Pick<
  StrategySettings,
  'max_order_spread_pct' | 'min_liquidity_score' | 'max_market_impact_bps' | 'require_user_approval_high_impact'
>;

/** Each code always asks for the same decision (see {@link decideExecution}). */
export type ExecutionReasonCode =
  | 'SPREAD_TIGHT'
  | 'SPREAD_NORMAL'
  | 'SPREAD_ACCEPTED'
  | 'SPREAD_ABOVE_LIMIT'
  | 'SPREAD_VERY_WIDE'
  | 'IMPACT_AT_TOUCH'
  | 'IMPACT_WALKS_BOOK'
  | 'IMPACT_HIGH'
  | 'BOOK_INSUFFICIENT'
  | 'LIQUIDITY_HIGH'
  | 'LIQUIDITY_MEDIUM'
  | 'LIQUIDITY_LOW'
  | 'LIQUIDITY_BELOW_MINIMUM'
  | 'LIQUIDITY_ILLIQUID'
  | 'LIMIT_PRICE'
  | 'LIMIT_PARTIAL'
  | 'LIMIT_NOT_MARKETABLE'
  | 'LIMIT_NO_PRICE';

export interface ExecutionReason {
  code: ExecutionReasonCode;
  message: string;
}

/** One dimension's judgement: the decision it asks for and why. */
export interface Verdict {
  decision: ExecutionDecision;
  reason: ExecutionReason;
}

function verdict(decision: ExecutionDecision, code: ExecutionReasonCode, message: string): Verdict {
  return { decision, reason: { code, message } };
}

/** 0 (EXECUTE_MARKET) to 3 (REQUIRE_APPROVAL). */
export function decisionSeverity(d: ExecutionDecision): number {
  return EXECUTION_DECISIONS.indexOf(d);
}

/** The most severe of some decisions (EXECUTE_MARKET for none). */
export function worstDecision(decisions: readonly ExecutionDecision[]): ExecutionDecision {
  let worst: ExecutionDecision = 'EXECUTE_MARKET';
  for (const d of decisions) if (decisionSeverity(d) > decisionSeverity(worst)) worst = d;
  return worst;
}

/**
 * The spread's verdict. Within the tick rule (at most `normal_max_ticks` ticks: as tight as the
 * price allows) the category decides alone: TIGHT -> MARKET, NORMAL -> LIMIT. Otherwise the
 * strategy's max_order_spread_pct draws the line: at or within it, TIGHT -> MARKET, NORMAL ->
 * LIMIT, WIDE or VERY_WIDE -> LIMIT (SPREAD_ACCEPTED); above it, VERY_WIDE -> APPROVAL, any other
 * category -> ALERT (SPREAD_ABOVE_LIMIT).
 */
export function spreadVerdict(spread: Spread, settings: ExecutionSettings, rules: SpreadRules): Verdict {
  const what = `spread ${spread.abs} (${ticksText(spread.ticks)}, ${sig(spread.pct)}% of the mid)`;
  const limit = settings.max_order_spread_pct;
  if (spread.ticks <= rules.normal_max_ticks || compare(spread.pct, limit) <= 0) {
    const why = spread.capped_by_ticks
      ? `: ${ticksText(spread.ticks)} is as tight as the tick size allows`
      : spread.ticks <= rules.normal_max_ticks || spread.category === 'TIGHT'
        ? ''
        : `, within the strategy's ${limit}%`;
    if (spread.category === 'TIGHT') return verdict('EXECUTE_MARKET', 'SPREAD_TIGHT', `${what} is tight${why}`);
    if (spread.category === 'NORMAL') return verdict('EXECUTE_LIMIT', 'SPREAD_NORMAL', `${what} is normal${why}`);
    const category = spread.category === 'WIDE' ? 'wide' : 'very wide';
    return verdict('EXECUTE_LIMIT', 'SPREAD_ACCEPTED', `${what} is ${category}${why}`);
  }
  if (spread.category === 'VERY_WIDE') {
    return verdict('REQUIRE_APPROVAL', 'SPREAD_VERY_WIDE', `${what} is very wide, above the strategy's ${limit}%`);
  }
  return verdict(
    'ALERT_USER_HIGH_COST',
    'SPREAD_ABOVE_LIMIT',
    `${what} is above the strategy's ${limit}% (${spread.category.toLowerCase()})`,
  );
}

/**
 * The impact's verdict, on the cost of walking past the touch (bps_vs_touch): the spread is the
 * spread verdict's business, so that a one-tick spread is not counted twice. A book too thin
 * for the quantity -> APPROVAL (BOOK_INSUFFICIENT); above the strategy's max_market_impact_bps ->
 * ALERT; more than one level but within it -> LIMIT; all at the touch -> MARKET.
 */
export function impactVerdict(impact: Impact, side: TransactionType, settings: ExecutionSettings): Verdict {
  const touch = side === 'BUY' ? 'best ask' : 'best bid';
  if (impact.status === 'BOOK_INSUFFICIENT') {
    return verdict(
      'REQUIRE_APPROVAL',
      'BOOK_INSUFFICIENT',
      `the visible book fills ${impact.filled_quantity} of ${impact.filled_quantity + impact.unfilled_quantity}: ${impact.unfilled_quantity} have no visible price`,
    );
  }
  const walk = `filling across ${impact.levels_used} level${impact.levels_used === 1 ? '' : 's'} averages ${price(impact.vwap)}, ${sig(impact.bps_vs_touch)} bps past the ${touch} ${impact.touch}`;
  if (compare(impact.bps_vs_touch, settings.max_market_impact_bps) > 0) {
    return verdict(
      'ALERT_USER_HIGH_COST',
      'IMPACT_HIGH',
      `${walk}, above the strategy's ${settings.max_market_impact_bps} bps`,
    );
  }
  if (impact.levels_used > 1) return verdict('EXECUTE_LIMIT', 'IMPACT_WALKS_BOOK', walk);
  return verdict(
    'EXECUTE_MARKET',
    'IMPACT_AT_TOUCH',
    `the ${touch} ${impact.touch} fills all ${impact.filled_quantity}`,
  );
}

/**
 * The liquidity's verdict: ILLIQUID -> APPROVAL; below the strategy's min_liquidity_score ->
 * ALERT; otherwise HIGH -> MARKET, MEDIUM or LOW -> LIMIT.
 */
export function liquidityVerdict(liquidity: Liquidity, settings: ExecutionSettings): Verdict {
  const what = `liquidity score ${sig(liquidity.score)} (${liquidity.category.toLowerCase()})`;
  if (liquidity.category === 'ILLIQUID') return verdict('REQUIRE_APPROVAL', 'LIQUIDITY_ILLIQUID', what);
  if (compare(liquidity.score, settings.min_liquidity_score) < 0) {
    return verdict(
      'ALERT_USER_HIGH_COST',
      'LIQUIDITY_BELOW_MINIMUM',
      `${what} is below the strategy's minimum ${settings.min_liquidity_score}`,
    );
  }
  if (liquidity.category === 'HIGH') return verdict('EXECUTE_MARKET', 'LIQUIDITY_HIGH', what);
  return verdict('EXECUTE_LIMIT', liquidity.category === 'MEDIUM' ? 'LIQUIDITY_MEDIUM' : 'LIQUIDITY_LOW', what);
}

/**
 * The limit price's verdict: no valid price -> APPROVAL; a price that reaches none of the
 * visible book, or (held back by the impact limit, a band or a circuit) not all of the order ->
 * ALERT; otherwise it explains the price and asks for nothing more than MARKET.
 */
export function limitVerdict(limit: LimitPrice, quantity: number): Verdict {
  if (limit.price === null) return verdict('REQUIRE_APPROVAL', 'LIMIT_NO_PRICE', limit.problem ?? 'no valid price');
  const by = limit.bound_by === 'depth' ? 'the depth needed' : `the ${limit.bound_by?.replace('_', ' ')}`;
  if (limit.reachable_quantity === 0) {
    return verdict(
      'ALERT_USER_HIGH_COST',
      'LIMIT_NOT_MARKETABLE',
      `the limit price ${limit.price} (set by ${by}) reaches none of the visible book: the order would rest unfilled`,
    );
  }
  if (limit.reachable_quantity < quantity && limit.bound_by !== 'depth') {
    return verdict(
      'ALERT_USER_HIGH_COST',
      'LIMIT_PARTIAL',
      `the limit price ${limit.price} (set by ${by}) fills ${limit.reachable_quantity} of ${quantity} now; the rest would rest on the book`,
    );
  }
  return verdict('EXECUTE_MARKET', 'LIMIT_PRICE', `limit price ${limit.price}, set by ${by}`);
}

export interface Decision {
  decision: ExecutionDecision;
  /** Hold for the user: always for REQUIRE_APPROVAL; for ALERT_USER_HIGH_COST when the strategy asks. */
  hold: boolean;
  /** Every verdict's reason, most severe first. */
  reasons: ExecutionReason[];
}

/**
 * The decision: the most severe of the verdicts (spread, impact, liquidity, limit price).
 *
 * | verdict   | MARKET        | LIMIT                      | ALERT_USER_HIGH_COST        | REQUIRE_APPROVAL  |
 * |-----------|---------------|----------------------------|-----------------------------|-------------------|
 * | spread    | TIGHT         | NORMAL; wider within max % | above max_order_spread_pct  | VERY_WIDE, above  |
 * | impact    | touch fills   | walks levels, within limit | past touch > max_impact_bps | BOOK_INSUFFICIENT |
 * | liquidity | HIGH          | MEDIUM, LOW                | < min_liquidity_score       | ILLIQUID          |
 * | limit     | reaches qty   |                            | reaches part or none        | no valid price    |
 *
 * (MARKET and LIMIT are EXECUTE_MARKET and EXECUTE_LIMIT; "max %" is the strategy's
 * max_order_spread_pct and max_impact_bps its max_market_impact_bps, compared with the VWAP's
 * cost past the touch. The limit price never goes further past the touch than that limit, so
 * an order whose last needed level lies beyond it reaches only part of the quantity: ALERT.)
 *
 * A spread of at most `normal_max_ticks` ticks is never above the strategy's line (the tick
 * size, not the market, sets it). `hold` applies require_user_approval_high_impact. The limit
 * price's own reason (LIMIT_PRICE) is listed only when the order would be sent as a LIMIT.
 */
export function decideExecution(verdicts: readonly Verdict[], settings: ExecutionSettings): Decision {
  let decision: ExecutionDecision = 'EXECUTE_MARKET';
  for (const v of verdicts) if (decisionSeverity(v.decision) > decisionSeverity(decision)) decision = v.decision;
  const reasons = verdicts
    .filter((v) => !(v.reason.code === 'LIMIT_PRICE' && decision === 'EXECUTE_MARKET'))
    .map((v, i) => ({ v, i }))
    .sort((a, b) => decisionSeverity(b.v.decision) - decisionSeverity(a.v.decision) || a.i - b.i)
    .map(({ v }) => v.reason);
  const hold =
    decision === 'REQUIRE_APPROVAL' ||
    (decision === 'ALERT_USER_HIGH_COST' && settings.require_user_approval_high_impact);
  return { decision, hold, reasons };
}
