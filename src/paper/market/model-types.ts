/**
 * The market model's inputs and errors, as plain data: what a caller may say about each
 * instrument, how to build the model, and what it answers when something is wrong.
 */
import type { Instrument } from '../../domain/instrument.js';
import type { LiquidityClass } from './liquidity.js';
import type { SmileParams } from './option-pricing.js';
import type { TradingPredicate } from './trading-schedule.js';

/** Per-instrument inputs, as plain data. Every field is optional; defaults are noted. */
export interface InstrumentSpec {
  /**
   * Previous close. Required for roots unless the instrument row has a last_price; for
   * derivatives it defaults to the model's value at start.
   */
  referencePrice?: number;
  /** Annual volatility: of the random walk (roots) or at-the-money implied (options; default the root's). */
  annualVol?: number;
  /** Annual drift of the random walk (roots; default 0). */
  annualDrift?: number;
  /** Liquidity class (default by kind: see liquidity.ts `defaultLiquidityClass`). */
  liquidity?: LiquidityClass;
  /**
   * Circuit band in percent of the base price: cash equities 2/5/10/20 (default 20),
   * derivatives the operating range (default 10), indices none (default 0). 0 = no band.
   */
  circuitBandPct?: number;
  /** The instrument this one is priced from (futures: the spot; options: the spot or the future). */
  underlyingToken?: number;
  /** Annual cost of carry from spot to forward (default DEFAULT_CARRY_RATE). */
  carryRate?: number;
  /** Discount rate for option values (default RISK_FREE_RATE). */
  rate?: number;
  /** Smile shape for options (default by the root's kind). */
  smile?: SmileParams;
  /** Opening open interest in shares (default from the liquidity model). */
  openInterest?: number;
  /** Expiry instant (default: the expiry date at the exchange's close, EXPIRY_CLOSE_IST). */
  expiryAt?: Date;
}

export type MarketErrorCode =
  | 'UNKNOWN_INSTRUMENT'
  | 'INVALID_SPEC'
  | 'UNKNOWN_UNDERLYING'
  | 'UNDERLYING_CYCLE'
  | 'NOT_AN_UNDERLYING'
  | 'INVALID_PATH'
  | 'INVALID_ARGUMENT'
  | 'OUTSIDE_CIRCUIT';

export interface MarketError {
  code: MarketErrorCode;
  message: string;
}

export function isMarketError(value: unknown): value is MarketError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Thrown by the constructor on a bad set-up; `MarketModel.create` returns the error instead. */
export class MarketSetupError extends Error {
  readonly code: MarketErrorCode;
  constructor(readonly error: MarketError) {
    super(error.message);
    this.name = 'MarketSetupError';
    this.code = error.code;
  }
}

export interface MarketModelOptions {
  /** Same seed and set-up, same market. */
  seed: number | string;
  instruments: readonly Instrument[];
  /** Per-token inputs. */
  specs?: ReadonlyMap<number, InstrumentSpec> | Readonly<Record<number, InstrumentSpec>>;
  /** Market time at step 0. */
  start: Date;
  /** When each exchange trades (default: always). Asked once per exchange per minute. */
  isTrading?: TradingPredicate;
}

/** Kite's transaction_type: a BUY takes liquidity from the ask side, a SELL from the bid side. */
export type OrderSide = 'BUY' | 'SELL';

/**
 * Liquidity taken from one side of the book, as the matching engine reports it: `side` is
 * the book side consumed (`sell` for a BUY order).
 */
export interface DepthConsumed {
  instrument_token: number;
  side: 'buy' | 'sell';
  quantity: number;
  price?: number;
}

/** A point a scenario path passes through: at an instant, or `at` ms after the model's current time. */
export interface PricePoint {
  at: Date | number;
  price: number;
}

/** A MarketError value. */
export function marketError(code: MarketErrorCode, message: string): MarketError {
  return { code, message };
}
