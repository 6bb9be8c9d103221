import type { TransactionType } from '../domain/order.js';
import { type Book, takenLevels } from './book.js';
import type { SpreadCategory } from './spread.js';
import { compare } from './tolerance.js';

/** Most to least liquid. */
export const LIQUIDITY_CATEGORIES = ['HIGH', 'MEDIUM', 'LOW', 'ILLIQUID'] as const;
export type LiquidityCategory = (typeof LIQUIDITY_CATEGORIES)[number];

/** The lowest score of each category; below `low` is ILLIQUID (config `[execution]`). */
export interface LiquidityBounds {
  high: number;
  medium: number;
  low: number;
}

export const DEFAULT_LIQUIDITY_BOUNDS: LiquidityBounds = { high: 75, medium: 50, low: 25 };

/** The score's parameters: data, so that a change is one reviewed edit here. */
export interface LiquidityModel {
  /** Points of each component out of their total (renormalised when activity is unknown). */
  weights: { depth: number; spread: number; levels: number; activity: number };
  /** Visible depth on the side taken of this many times the order earns full depth marks. */
  depth_full_ratio: number;
  /** Volume or open interest of this many times the order earns full activity marks. */
  activity_full_ratio: number;
  /** Spread marks by category. */
  spread_marks: Readonly<Record<SpreadCategory, number>>;
  /** Levels a book can show: five a side. */
  max_levels: number;
}

export const LIQUIDITY_MODEL: LiquidityModel = {
  weights: { depth: 40, spread: 30, levels: 15, activity: 15 },
  depth_full_ratio: 5,
  activity_full_ratio: 1000,
  spread_marks: { TIGHT: 1, NORMAL: 2 / 3, WIDE: 1 / 3, VERY_WIDE: 0 },
  max_levels: 10,
};

export interface Liquidity {
  /** 0-100, unrounded. */
  score: number;
  category: LiquidityCategory;
  /** Each component's mark, 0-1; activity null when neither volume nor open interest is known. */
  components: { depth: number; spread: number; levels: number; activity: number | null };
}

/**
 * The liquidity score of a book for one order, 0-100: a weighted mean of four marks, each 0-1.
 * - depth (40): visible quantity on the side taken (all five levels) over the order's quantity,
 *   divided by 5 and capped at 1: a book showing five times the order scores full marks, one
 *   that just covers it 0.2.
 * - spread (30): by the spread's category, which judges ticks and % together (spread.ts):
 *   TIGHT 1, NORMAL 2/3, WIDE 1/3, VERY_WIDE 0.
 * - levels (15): populated levels on both sides over ten.
 * - activity (15): the larger of the day's volume and open interest (where known) over the
 *   order's quantity, on a log scale: log10(ratio) / 3, between 0 and 1 (a thousand times the
 *   order is full marks, ten times a third). Unknown (both null): left out, and the other
 *   weights share its 15 points.
 * score = 100 x sum(weight x mark) / sum(weights used).
 *
 * Monotone: more depth on a level, another populated level, or a tighter spread (which never
 * worsens the category) raises no mark's opposite, so it never lowers the score.
 */
export function scoreLiquidity(
  book: Book,
  side: TransactionType,
  quantity: number,
  spread: SpreadCategory,
  bounds: LiquidityBounds,
  model: LiquidityModel = LIQUIDITY_MODEL,
): Liquidity {
  const visible = takenLevels(book, side).reduce((sum, l) => sum + l.quantity, 0);
  const depth = Math.min(1, visible / quantity / model.depth_full_ratio);
  const spreadMark = model.spread_marks[spread];
  const levels = Math.min(1, (book.bids.length + book.asks.length) / model.max_levels);
  const { volume, oi } = book.snapshot;
  const known = [volume, oi].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const activity =
    known.length === 0
      ? null
      : Math.min(1, Math.max(0, Math.log10(Math.max(...known) / quantity) / Math.log10(model.activity_full_ratio)));
  const w = model.weights;
  const points =
    w.depth * depth + w.spread * spreadMark + w.levels * levels + (activity === null ? 0 : w.activity * activity);
  const total = w.depth + w.spread + w.levels + (activity === null ? 0 : w.activity);
  const score = (100 * points) / total;
  return {
    score,
    category: liquidityCategory(score, bounds),
    components: { depth, spread: spreadMark, levels, activity },
  };
}

/** HIGH from `high` up, MEDIUM from `medium`, LOW from `low`, ILLIQUID below. */
export function liquidityCategory(score: number, bounds: LiquidityBounds): LiquidityCategory {
  if (compare(score, bounds.high) >= 0) return 'HIGH';
  if (compare(score, bounds.medium) >= 0) return 'MEDIUM';
  if (compare(score, bounds.low) >= 0) return 'LOW';
  return 'ILLIQUID';
}
