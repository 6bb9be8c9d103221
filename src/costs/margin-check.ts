/**
 * Can the account carry a basket? The broker says what the basket needs (Kite's basket margin
 * API: `final` with existing positions considered, `initial` for the legs on their own) and
 * what the account has (GET /user/margins, `net` per segment); this module compares the two
 * under a strategy's margin settings. Pure: numbers in, a decision out.
 *
 * The formulas, for one fund segment (rupees, unrounded):
 * - remaining   = available - required
 * - with buffer = required * (1 + margin_buffer_pct / 100)
 * - can_execute = required <= 0 (the basket frees margin or needs none: exits are always
 *                 allowed) or with buffer <= available
 * - utilisation after the trade, in percent = (used + required) / (used + available) * 100,
 *   where `used` is the margin already blocked (Kite's `utilised.debits`) and `used + available`
 *   is the segment's whole margin (Kite's `net` is what is left after the debits). Null when
 *   the segment has no margin at all (used + available <= 0).
 *
 * Warnings (a basket can raise more than one):
 * - INSUFFICIENT_MARGIN: required > available.
 * - MARGIN_BUFFER_BREACHED: required <= available but required with the buffer > available.
 * - MARGIN_UTILIZATION_HIGH: utilisation after the trade above max_margin_utilization_pct
 *   (or the segment has no margin and the basket needs some).
 *
 * Equity and commodity are separate funds at Zerodha (money moves between them only by a
 * transfer), so a basket with legs on both is checked segment by segment against each
 * segment's own `net` ({@link checkMarginBySegment}); its top-level figures are the sums and it
 * can execute only if every segment can.
 */

/** The strategy settings the margin check reads (src/domain/strategy-settings.ts). */
export interface MarginSettings {
  /** Margin kept free beyond the requirement, percent of the required margin. */
  margin_buffer_pct: number;
  /** Largest share of the segment's margin in use after the trade, percent. */
  max_margin_utilization_pct: number;
}

/** Kite's two fund segments: `equity` (NSE, BSE, NFO, BFO, CDS, BCD) and `commodity` (MCX, NCO). */
export type FundSegment = 'equity' | 'commodity';

/** The exchanges whose trades use the commodity funds (Kite's margin `type`; basket_margins.json). */
const COMMODITY_EXCHANGES: ReadonlySet<string> = new Set(['MCX', 'NCO']);

/** The fund segment an exchange's orders draw margin from. */
export function fundSegmentOf(exchange: string): FundSegment {
  return COMMODITY_EXCHANGES.has(exchange.toUpperCase()) ? 'commodity' : 'equity';
}

export interface MarginCheckInput {
  /** The basket's margin with existing positions considered: Kite's basket `final.total`. */
  required: number;
  /** The legs each on their own, summed: Kite's basket `initial.total` (shown, not judged). */
  initial: number;
  /** Margin free in the segment now: Kite's `net` from GET /user/margins. */
  available: number;
  /** Margin already blocked in the segment: Kite's `utilised.debits` (default 0). */
  used?: number;
  settings: MarginSettings;
}

export type MarginWarningCode = 'INSUFFICIENT_MARGIN' | 'MARGIN_BUFFER_BREACHED' | 'MARGIN_UTILIZATION_HIGH';

export interface MarginWarning {
  code: MarginWarningCode;
  message: string;
}

export interface MarginCheck {
  required: number;
  initial: number;
  available: number;
  /** available - required. */
  remaining: number;
  /** required * (1 + margin_buffer_pct / 100): what must be free for the trade to pass. */
  required_with_buffer: number;
  /** Percent of the segment's margin in use after the trade; null when it has none. */
  utilization_pct: number | null;
  can_execute: boolean;
  warnings: MarginWarning[];
}

export interface SegmentMarginCheck extends MarginCheck {
  segment: FundSegment;
}

export interface CombinedMarginCheck extends MarginCheck {
  /** One check per fund segment the basket touches, in the order given. */
  segments: SegmentMarginCheck[];
}

/** Rupees for a message: two decimals, no grouping (messages are for logs and JSON too). */
const rs = (v: number) => v.toFixed(2);
const pct = (v: number) => `${Number(v.toFixed(2))}%`;

/** One fund segment: the formulas in the module comment. */
export function checkMargin(input: MarginCheckInput): MarginCheck {
  const { required, initial, available, settings } = input;
  const used = input.used ?? 0;
  const remaining = available - required;
  const requiredWithBuffer = required * (1 + settings.margin_buffer_pct / 100);
  const needsMargin = required > 0;
  const total = used + available;
  const utilization = total > 0 ? ((used + required) / total) * 100 : null;

  const warnings: MarginWarning[] = [];
  if (needsMargin && required > available) {
    warnings.push({
      code: 'INSUFFICIENT_MARGIN',
      message: `required margin ${rs(required)} exceeds the available ${rs(available)} by ${rs(required - available)}`,
    });
  } else if (needsMargin && requiredWithBuffer > available) {
    warnings.push({
      code: 'MARGIN_BUFFER_BREACHED',
      message: `required margin ${rs(required)} plus the ${pct(settings.margin_buffer_pct)} buffer is ${rs(requiredWithBuffer)}, more than the available ${rs(available)}`,
    });
  }
  if (needsMargin && (utilization === null || utilization > settings.max_margin_utilization_pct)) {
    warnings.push({
      code: 'MARGIN_UTILIZATION_HIGH',
      message:
        utilization === null
          ? `the segment has no margin (used ${rs(used)}, available ${rs(available)}) and the trade needs ${rs(required)}`
          : `margin in use after the trade would be ${pct(utilization)} of the segment's margin, above the limit of ${pct(settings.max_margin_utilization_pct)}`,
    });
  }
  return {
    required,
    initial,
    available,
    remaining,
    required_with_buffer: requiredWithBuffer,
    utilization_pct: utilization,
    can_execute: !needsMargin || requiredWithBuffer <= available,
    warnings,
  };
}

/**
 * A basket over one or more fund segments: each checked against its own funds, warnings
 * prefixed with the segment's name when there is more than one; the top level sums the
 * figures, executes only if every segment can, and reports the highest utilisation (null when no
 * segment has any margin).
 */
export function checkMarginBySegment(
  parts: readonly (MarginCheckInput & { segment: FundSegment })[],
): CombinedMarginCheck {
  const segments = parts.map((p): SegmentMarginCheck => ({ segment: p.segment, ...checkMargin(p) }));
  const named = segments.length > 1;
  const sum = (f: (s: SegmentMarginCheck) => number) => segments.reduce((acc, s) => acc + f(s), 0);
  const known = segments.map((s) => s.utilization_pct).filter((u): u is number => u !== null);
  return {
    required: sum((s) => s.required),
    initial: sum((s) => s.initial),
    available: sum((s) => s.available),
    remaining: sum((s) => s.remaining),
    required_with_buffer: sum((s) => s.required_with_buffer),
    utilization_pct: known.length > 0 ? Math.max(...known) : null,
    can_execute: segments.every((s) => s.can_execute),
    warnings: segments.flatMap((s) =>
      s.warnings.map((w) => (named ? { code: w.code, message: `${s.segment}: ${w.message}` } : w)),
    ),
    segments,
  };
}
