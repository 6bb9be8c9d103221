import type { Exchange, TradingProduct, TransactionType } from '../domain/values.js';
import { istTimestamp } from '../market/ist.js';
import type { ExecutionDecision, ExecutionReason } from './decision.js';
import type { RequestedType } from './placement.js';

/** One leg of a trade as the user asked for it, its instrument resolved. */
export interface TradeLegSpec {
  exchange: Exchange;
  tradingsymbol: string;
  side: TransactionType;
  quantity: number;
  product: TradingProduct;
  type: RequestedType;
  /** The user's limit price (type LIMIT). */
  price: number | null;
  /** Where the leg is expected to be closed, for its costs (default: its entry price). */
  exit_price: number | null;
}

/** A trade: one leg, or a basket; a single leg may carry a bracket (stop and target for its fills). */
export interface TradeSpec {
  strategy_id: number;
  legs: TradeLegSpec[];
  bracket: { stop: number; target: number } | null;
}

/** A leg's part of a held order's alert. */
export interface HeldLegSummary {
  symbol: string;
  side: TransactionType;
  quantity: number;
  decision: ExecutionDecision;
  limit_price: number | null;
  reasons: ExecutionReason[];
}

/**
 * The alert that asks the user about a held order (or basket): what is held and why (the
 * reasons of the legs that hold it, most severe first), the choices, and the deadline in IST.
 * `again` says why the user is asked a second time.
 */
export function heldAlertText(input: {
  legs: readonly HeldLegSummary[];
  holding: readonly number[];
  decision: ExecutionDecision;
  expiresAt: Date;
  again?: readonly string[];
}): { title: string; message: string } {
  const { legs } = input;
  const what = (l: HeldLegSummary) => `${l.side} ${l.quantity} ${l.symbol}`;
  const title =
    legs.length === 1
      ? `Order held (${input.decision}): ${what(legs[0]!)}`
      : `Basket of ${legs.length} held (${input.decision}): ${input.holding.map((i) => legs[i]!.symbol).join(', ')}`;
  const reasons = input.holding.flatMap((i) => {
    const leg = legs[i]!;
    const shown = leg.reasons.filter((r) => !r.code.endsWith('_TIGHT') && r.code !== 'IMPACT_AT_TOUCH');
    return shown.map((r) => (legs.length === 1 ? r.message : `${leg.symbol}: ${r.message}`));
  });
  const limits = legs.map((l) => (l.limit_price === null ? `${l.symbol} none` : `${l.symbol} ${l.limit_price}`));
  const lines = [
    ...(input.again && input.again.length > 0
      ? [`Asked again: the market got worse (${input.again.join('; ')}).`]
      : []),
    ...reasons,
    `Choices: cancel, limit (LIMIT at ${limits.join(', ')}), proceed (as asked).`,
    `Answer before ${istTimestamp(input.expiresAt)} IST (som alerts respond ID cancel|limit|proceed); unanswered, it is cancelled, never sent.`,
  ];
  return { title, message: lines.join('\n') };
}

/** Why a bracket cannot be taken as given. */
export interface BracketProblem {
  code: 'INVALID_INPUT';
  message: string;
}

/**
 * Whether a stop and a target make a bracket for this trade: both or neither, one leg only, the
 * stop on the losing side of the target (below it for a BUY entry, above for a SELL).
 */
export function readBracket(
  legs: readonly Pick<TradeLegSpec, 'side'>[],
  stop: number | undefined,
  target: number | undefined,
): TradeSpec['bracket'] | BracketProblem {
  if (stop === undefined && target === undefined) return null;
  const bad = (message: string): BracketProblem => ({ code: 'INVALID_INPUT', message });
  if (stop === undefined || target === undefined) {
    return bad('a bracket needs both a stop (--stop) and a target (--target)');
  }
  if (legs.length !== 1) return bad('a bracket (stop and target) is for a single leg, not a basket');
  const side = legs[0]!.side;
  if (side === 'BUY' ? !(stop < target) : !(stop > target)) {
    return bad(`for a ${side} entry the stop must be ${side === 'BUY' ? 'below' : 'above'} the target`);
  }
  return { stop, target };
}

/**
 * A stop already through the market would trigger (or be refused) the moment the entry fills:
 * a BUY entry's stop must be below the best bid, a SELL entry's above the best ask.
 */
export function bracketAgainstMarket(
  side: TransactionType,
  stop: number,
  quote: { bid: number; ask: number },
): BracketProblem | null {
  const through = side === 'BUY' ? stop >= quote.bid : stop <= quote.ask;
  if (!through) return null;
  const where = side === 'BUY' ? `at or above the bid (${quote.bid})` : `at or below the ask (${quote.ask})`;
  return { code: 'INVALID_INPUT', message: `the stop ${stop} is already ${where}: it would trigger at once` };
}

/**
 * The price a leg's charges and margin are worked out at: a LIMIT's own price; for MARKET (or a
 * held leg) the computed limit price, else the last level the quantity reaches: never less than
 * the order is expected to pay.
 */
export function costingPrice(
  order: { order_type: 'MARKET' } | { order_type: 'LIMIT'; price: number } | null,
  analysis: { limit_price: number | null; impact: { worst_price: number } },
): number {
  return order?.order_type === 'LIMIT' ? order.price : (analysis.limit_price ?? analysis.impact.worst_price);
}
