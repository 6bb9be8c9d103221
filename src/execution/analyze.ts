import type { TransactionType } from '../domain/order.js';
import type { Depth } from '../domain/quote.js';
import { checkQuantity, readBook } from './book.js';
import {
  decideExecution,
  type ExecutionDecision,
  type ExecutionReason,
  type ExecutionSettings,
  impactVerdict,
  limitVerdict,
  liquidityVerdict,
  spreadVerdict,
} from './decision.js';
import type { DepthSnapshot, DepthSource } from './depth.js';
import type { ExecutionError } from './errors.js';
import { estimateImpact, type Impact } from './impact.js';
import type { InstrumentClass } from './instrument-class.js';
import { type LimitPrice, limitPrice } from './limit-price.js';
import {
  DEFAULT_LIQUIDITY_BOUNDS,
  type Liquidity,
  type LiquidityBounds,
  type LiquidityModel,
  scoreLiquidity,
} from './liquidity.js';
import { PRICE_BAND_RULES, type PriceBandRule, type PriceProtection, priceProtection } from './price-protection.js';
import { DEFAULT_SPREAD_RULES, measureSpread, type Spread, type SpreadRules } from './spread.js';

/** The rules' own parameters (config `[execution]`; the strategy's settings come separately). */
export interface ExecutionRules {
  spread: SpreadRules;
  liquidity: LiquidityBounds;
  /** Ticks added beyond the last level a limit price needs (config limit_buffer_ticks). */
  limit_buffer_ticks: number;
  liquidity_model?: LiquidityModel;
  price_bands?: readonly PriceBandRule[];
}

export const DEFAULT_EXECUTION_RULES: ExecutionRules = {
  spread: DEFAULT_SPREAD_RULES,
  liquidity: DEFAULT_LIQUIDITY_BOUNDS,
  limit_buffer_ticks: 0,
};

export interface ExecutionRequest {
  snapshot: DepthSnapshot;
  side: TransactionType;
  /** In Kite's order units (lots on MCX and CDS). */
  quantity: number;
  settings: ExecutionSettings;
  rules?: ExecutionRules;
}

/**
 * One analysis: what `som analyze --json` shows (the daemon adds analysis_id and symbol) and
 * what the order desk acts on. Prices and costs are unrounded; `at` is ISO-8601 UTC.
 */
export interface ExecutionAnalysis {
  side: TransactionType;
  quantity: number;
  instrument_class: InstrumentClass;
  quote: { bid: number; ask: number; mid: number; last_price: number; at: string; source: DepthSource };
  /** The five levels a side as given: the depth the analysis used. */
  depth: Depth;
  spread: Spread;
  impact: Impact;
  liquidity: Liquidity;
  decision: ExecutionDecision;
  /** Hold the order for the user (REQUIRE_APPROVAL, or ALERT_USER_HIGH_COST with approval required). */
  hold: boolean;
  /** The price a LIMIT order carries (EXECUTE_LIMIT, a sent ALERT, the user's "Use LIMIT"); null if none is valid. */
  limit_price: number | null;
  limit: LimitPrice;
  protection: PriceProtection;
  reasons: ExecutionReason[];
}

/**
 * Analyse an order against a depth snapshot: spread, impact, liquidity, limit price, and the
 * decision with its reasons (decision.ts has the matrix). A book or an order the rules cannot
 * read is refused with an {@link ExecutionError}; staleness is the caller's to judge first
 * (depth.ts `isStale`).
 */
export function analyzeExecution(request: ExecutionRequest): ExecutionAnalysis | ExecutionError {
  const { snapshot, side, quantity, settings } = request;
  const rules = request.rules ?? DEFAULT_EXECUTION_RULES;
  const book = readBook(snapshot);
  if ('code' in book) return book;
  const badQuantity = checkQuantity(quantity, snapshot.lot_size);
  if (badQuantity) return badQuantity;

  const spread = measureSpread(book, rules.spread);
  const walk = estimateImpact(book, side, quantity);
  const liquidity = scoreLiquidity(book, side, quantity, spread.category, rules.liquidity, rules.liquidity_model);
  const protection = priceProtection(snapshot, book.mid, rules.price_bands ?? PRICE_BAND_RULES);
  const limit = limitPrice({
    book,
    side,
    quantity,
    walk,
    max_impact_bps: settings.max_market_impact_bps,
    buffer_ticks: rules.limit_buffer_ticks,
    protection,
  });
  const { decision, hold, reasons } = decideExecution(
    [
      spreadVerdict(spread, settings, rules.spread),
      impactVerdict(walk, side, settings),
      liquidityVerdict(liquidity, settings),
      limitVerdict(limit, quantity),
    ],
    settings,
  );
  const { worst_ticks: _, ...impact } = walk;
  return {
    side,
    quantity,
    instrument_class: snapshot.instrument_class,
    quote: {
      bid: book.bid,
      ask: book.ask,
      mid: book.mid,
      last_price: snapshot.last_price,
      at: snapshot.at.toISOString(),
      source: snapshot.source,
    },
    depth: snapshot.depth,
    spread,
    impact,
    liquidity,
    decision,
    hold,
    limit_price: limit.price,
    limit,
    protection,
    reasons,
  };
}
