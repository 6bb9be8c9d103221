import type { Book } from './book.js';
import type { InstrumentClass } from './instrument-class.js';
import { compare } from './tolerance.js';

/** Least to most severe. */
export const SPREAD_CATEGORIES = ['TIGHT', 'NORMAL', 'WIDE', 'VERY_WIDE'] as const;
export type SpreadCategory = (typeof SPREAD_CATEGORIES)[number];

/** Upper bounds of a class's categories, in % of the mid: TIGHT below `tight_pct`, and so on. */
export interface SpreadThresholds {
  tight_pct: number;
  normal_pct: number;
  wide_pct: number;
}

export interface SpreadRules {
  classes: Readonly<Record<InstrumentClass, SpreadThresholds>>;
  /** A spread of at most this many ticks is TIGHT whatever its %. */
  tight_max_ticks: number;
  /** A spread of at most this many ticks is at worst NORMAL whatever its %. */
  normal_max_ticks: number;
}

/**
 * Defaults (config `[execution]` overrides them).
 * - Options of every kind: the specification's < 0.2%, 0.2-0.5%, 0.5-1.0%, > 1.0%.
 * - Futures: a liquid index future trades a tick or two wide on a level of tens of thousands
 *   (0.001%), a stock future a few ticks (around 0.01%): TIGHT below 0.02%, WIDE above 0.05%,
 *   VERY_WIDE above 0.1%.
 * - Commodity futures: MCX's liquid contracts trade a tick or two wide (CRUDEOIL 1 rupee on
 *   about 6,000: 0.02%): TIGHT below 0.03%, NORMAL to 0.08%, WIDE to 0.15%.
 * - Equity: a large cap is a tick or two wide (0.01-0.03%), a mid cap under 0.2%, a small cap
 *   often wider: TIGHT below 0.05%, NORMAL to 0.2%, WIDE to 0.5%.
 * One tick is the least any spread can be, so a spread of one tick is TIGHT and of two at worst
 * NORMAL, however large a share of a cheap price they are (a 2-rupee option one tick wide is
 * 2.5% wide and as tight as it can be quoted).
 */
export const DEFAULT_SPREAD_RULES: SpreadRules = {
  classes: {
    index_options: { tight_pct: 0.2, normal_pct: 0.5, wide_pct: 1.0 },
    stock_options: { tight_pct: 0.2, normal_pct: 0.5, wide_pct: 1.0 },
    commodity_options: { tight_pct: 0.2, normal_pct: 0.5, wide_pct: 1.0 },
    futures: { tight_pct: 0.02, normal_pct: 0.05, wide_pct: 0.1 },
    commodity: { tight_pct: 0.03, normal_pct: 0.08, wide_pct: 0.15 },
    equity: { tight_pct: 0.05, normal_pct: 0.2, wide_pct: 0.5 },
  },
  tight_max_ticks: 1,
  normal_max_ticks: 2,
};

export interface Spread {
  /** ask - bid, rupees (exact on the grid). */
  abs: number;
  /** abs / mid x 100. */
  pct: number;
  /** abs in whole ticks. */
  ticks: number;
  category: SpreadCategory;
  /** The category the % alone gives (before the tick rule). */
  pct_category: SpreadCategory;
  /** True when the tick rule made the category less severe than the % alone. */
  capped_by_ticks: boolean;
}

/**
 * The category of a spread of `pct` % under `t`: TIGHT below tight_pct, NORMAL from tight_pct
 * to below normal_pct, WIDE from normal_pct up to and including wide_pct, VERY_WIDE above it
 * (the specification's "< 0.2%" and "> 1.0%" read literally).
 */
export function pctCategory(pct: number, t: SpreadThresholds): SpreadCategory {
  if (compare(pct, t.tight_pct) < 0) return 'TIGHT';
  if (compare(pct, t.normal_pct) < 0) return 'NORMAL';
  if (compare(pct, t.wide_pct) <= 0) return 'WIDE';
  return 'VERY_WIDE';
}

function severity(c: SpreadCategory): number {
  return SPREAD_CATEGORIES.indexOf(c);
}

/**
 * The spread of a book: absolute, % of the mid, in ticks, and its category.
 *
 * The category judges ticks and % together: the % gives it by the class's thresholds, and the
 * tick count caps it, because no spread can be narrower than one tick: a spread of at most
 * `tight_max_ticks` (default 1) is TIGHT, and one of at most `normal_max_ticks` (default 2) at
 * worst NORMAL, whatever the %. Above two ticks the % decides alone.
 */
export function measureSpread(book: Book, rules: SpreadRules): Spread {
  const bidTicks = book.bids[0]!.ticks;
  const askTicks = book.asks[0]!.ticks;
  const ticks = askTicks - bidTicks;
  // (ask - bid) / ((ask + bid) / 2) x 100, on tick counts: one division of exact integers.
  const pct = ((2 * ticks) / (askTicks + bidTicks)) * 100;
  const byPct = pctCategory(pct, rules.classes[book.snapshot.instrument_class]);
  const cap: SpreadCategory | null =
    ticks <= rules.tight_max_ticks ? 'TIGHT' : ticks <= rules.normal_max_ticks ? 'NORMAL' : null;
  const category = cap !== null && severity(cap) < severity(byPct) ? cap : byPct;
  return {
    abs: book.grid.price(ticks),
    pct,
    ticks,
    category,
    pct_category: byPct,
    capped_by_ticks: category !== byPct,
  };
}
