import type { TransactionType } from '../domain/values.js';
import type { ExecutionAnalysis } from './analyze.js';
import { type ExecutionDecision, worstDecision } from './decision.js';
import { type RecheckTolerance, type ShownAnalysis, worsenings } from './recheck.js';

/**
 * How an order `som trade` sends is placed once its market is analysed: sent now (as what order
 * type, at what price), or held for the user. Pure: the analysis and the request in, the
 * placement out.
 */

/** What the user asked for: let som decide (`auto`), or a MARKET or LIMIT order. */
export const REQUESTED_TYPES = ['auto', 'MARKET', 'LIMIT'] as const;
export type RequestedType = (typeof REQUESTED_TYPES)[number];

/** Kite's automatic market protection: every MARKET order som sends carries it. */
export const AUTO_MARKET_PROTECTION = -1;

/** One leg as asked. */
export interface LegRequest {
  side: TransactionType;
  quantity: number;
  type: RequestedType;
  /** The user's limit price (type LIMIT only). */
  price: number | null;
}

/** The order a leg goes out as. */
export type LegOrder = { order_type: 'MARKET'; market_protection: number } | { order_type: 'LIMIT'; price: number };

export interface LegPlacement {
  /** Held for the user (the whole basket waits with it). */
  hold: boolean;
  decision: ExecutionDecision;
  /** What is sent when not held; null when held. */
  order: LegOrder | null;
  /** A costly order sent anyway (ALERT_USER_HIGH_COST with approval off): the user is told. */
  high_cost_notice: boolean;
  /** In words, for the confirmation box and the audit trail. */
  explanation: string;
}

const market = (): LegOrder => ({ order_type: 'MARKET', market_protection: AUTO_MARKET_PROTECTION });

/**
 * How one leg is placed, given its analysis.
 *
 * | decision | auto | MARKET | LIMIT at P |
 * |---|---|---|---|
 * | EXECUTE_MARKET | MARKET | MARKET | LIMIT P |
 * | EXECUTE_LIMIT | LIMIT at the computed price | MARKET (the cost was judged acceptable) | LIMIT P |
 * | ALERT_USER_HIGH_COST, approval off | LIMIT at the computed price, and a notice | the same | LIMIT P, and a notice |
 * | ALERT_USER_HIGH_COST, approval on | held | held | held |
 * | REQUIRE_APPROVAL | held | held | held |
 *
 * `neverHold` (an order that reduces a position for risk or a square-off): never held; priced at
 * the computed limit when there is one, else MARKET with protection. A LIMIT the analysis cannot
 * price (no valid price within the bands) is held rather than guessed.
 */
export function placeLeg(
  leg: LegRequest,
  analysis: ExecutionAnalysis,
  options: { neverHold?: boolean } = {},
): LegPlacement {
  const { decision } = analysis;
  const computed = analysis.limit_price;
  const atComputed = (why: string): LegPlacement =>
    computed === null
      ? {
          hold: true,
          decision,
          order: null,
          high_cost_notice: false,
          explanation: `${why}, but no valid limit price exists now: held for the user`,
        }
      : {
          hold: false,
          decision,
          order: { order_type: 'LIMIT', price: computed },
          high_cost_notice: decision === 'ALERT_USER_HIGH_COST',
          explanation: `${why}: LIMIT at the computed price ${computed}`,
        };

  if (options.neverHold) {
    if (computed !== null) return atComputed('a risk exit, never held');
    return {
      hold: false,
      decision,
      order: market(),
      high_cost_notice: false,
      explanation: 'a risk exit, never held: MARKET with protection',
    };
  }
  if (analysis.hold) {
    return {
      hold: true,
      decision,
      order: null,
      high_cost_notice: false,
      explanation:
        decision === 'REQUIRE_APPROVAL'
          ? 'held: the market needs your approval'
          : "held: costly, and the strategy's require_user_approval_high_impact is on",
    };
  }
  if (leg.type === 'LIMIT') {
    if (leg.price === null) return atComputed('a LIMIT without a price');
    return {
      hold: false,
      decision,
      order: { order_type: 'LIMIT', price: leg.price },
      high_cost_notice: decision === 'ALERT_USER_HIGH_COST',
      explanation: `LIMIT at your price ${leg.price}`,
    };
  }
  switch (decision) {
    case 'EXECUTE_MARKET':
      return { hold: false, decision, order: market(), high_cost_notice: false, explanation: 'MARKET with protection' };
    case 'EXECUTE_LIMIT':
      if (leg.type === 'MARKET') {
        return {
          hold: false,
          decision,
          order: market(),
          high_cost_notice: false,
          explanation: 'MARKET with protection, as asked (the cost is within the strategy’s lines)',
        };
      }
      return atComputed('the book is walked');
    default:
      return atComputed('costly, sent anyway (approval is off)');
  }
}

/**
 * The order a basket's legs are sent in: every BUY before any SELL, each side in the order
 * given, so that the hedges a short option needs are in place first and the margin benefit
 * applies to the sells. Returns the legs' indexes.
 */
export function sendingOrder(legs: readonly { side: TransactionType }[]): number[] {
  const indexes = legs.map((_, i) => i);
  return [...indexes.filter((i) => legs[i]!.side === 'BUY'), ...indexes.filter((i) => legs[i]!.side === 'SELL')];
}

/** The user's answer to a held order. */
export const HOLD_CHOICES = ['cancel', 'limit', 'proceed'] as const;
export type HoldChoice = (typeof HOLD_CHOICES)[number];

/**
 * The order a leg goes out as once the user answers: `limit`, a LIMIT at the price computed now
 * (null when none is valid now); `proceed`, as asked: a LIMIT at the user's own price, otherwise
 * (MARKET or auto) MARKET with protection.
 */
export function orderForChoice(
  leg: LegRequest,
  analysis: ExecutionAnalysis,
  choice: 'limit' | 'proceed',
): LegOrder | null {
  if (choice === 'limit')
    return analysis.limit_price === null ? null : { order_type: 'LIMIT', price: analysis.limit_price };
  if (leg.type === 'LIMIT' && leg.price !== null) return { order_type: 'LIMIT', price: leg.price };
  return market();
}

/** How a whole trade (one leg or a basket) goes out. */
export interface TradePlan {
  /** A leg that must be held holds the whole basket. */
  hold: boolean;
  /** The most severe of the legs' decisions. */
  decision: ExecutionDecision;
  /** The legs that hold it. */
  holding: number[];
  legs: LegPlacement[];
  /** The legs in the order they are sent ({@link sendingOrder}). */
  sending: number[];
}

/** Place every leg ({@link placeLeg}); one held leg holds them all. */
export function planTrade(
  legs: readonly LegRequest[],
  analyses: readonly ExecutionAnalysis[],
  options: { neverHold?: boolean } = {},
): TradePlan {
  const placed = legs.map((leg, i) => placeLeg(leg, analyses[i]!, options));
  const holding = placed.flatMap((p, i) => (p.hold ? [i] : []));
  return {
    hold: holding.length > 0,
    decision: worstDecision(placed.map((p) => p.decision)),
    holding,
    legs: placed,
    sending: sendingOrder(legs),
  };
}

/** What an answer of "Use LIMIT" or "Proceed" to a held trade leads to, on the market analysed again. */
export type AnswerPlan =
  | { kind: 'ask_again'; decision: ExecutionDecision; holding: number[]; worse: string[] }
  | { kind: 'send'; orders: LegOrder[]; sending: number[] };

/**
 * The user answered "Use LIMIT" or "Proceed" to a held trade and every leg was analysed again
 * (`fresh`): when any leg's market is worse than what the user was shown (recheck.ts), ask
 * again, naming how; otherwise send every leg as the choice says ({@link orderForChoice}), BUY
 * legs first.
 */
export function planAnswer(
  choice: 'limit' | 'proceed',
  legs: readonly LegRequest[],
  shown: readonly ShownAnalysis[],
  fresh: readonly ExecutionAnalysis[],
  tolerance: RecheckTolerance,
): AnswerPlan {
  const worse = legs.map((_, i) => worsenings(shown[i]!, fresh[i]!, choice, tolerance));
  const holding = worse.flatMap((w, i) => (w.length > 0 ? [i] : []));
  if (holding.length > 0) {
    return {
      kind: 'ask_again',
      decision: worstDecision(fresh.map((a) => a.decision)),
      holding,
      worse: holding.flatMap((i) =>
        worse[i]!.map((w) => (legs.length === 1 ? w.message : `leg ${i + 1}: ${w.message}`)),
      ),
    };
  }
  return {
    kind: 'send',
    orders: legs.map((leg, i) => orderForChoice(leg, fresh[i]!, choice)!),
    sending: sendingOrder(legs),
  };
}
