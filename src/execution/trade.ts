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
