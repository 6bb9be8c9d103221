/**
 * Limit evaluation: what each limit measures, and how close it is.
 *
 * Strategy limits (strategy settings):
 * - `max_loss_per_strategy_abs`: the strategy's loss today in rupees, where P&L = realised +
 *   unrealised - charges, from today's fills, unrealised at the last price; the value is the
 *   loss (0 while the strategy is up).
 * - `max_loss_per_strategy_pct`: the same loss as a % of the margin the strategy blocks. The
 *   basis is the largest margin the strategy has blocked today (the caller keeps that peak),
 *   so closing part of a position does not tighten the limit; with no margin blocked yet the
 *   value is 0.
 * - `max_position_size_per_instrument`: the largest open quantity the strategy holds in one
 *   instrument, every product added up in absolute terms (MIS +500 and NRML -500 count as
 *   1000), in Kite's units (lots on MCX and CDS).
 * - `max_orders_per_minute`: new orders the strategy sent in the last 60 seconds.
 * - `max_margin_utilization_pct`: margin in use as a % of the fund segment's margin (Kite's
 *   `utilised.debits / (utilised.debits + net)`), against this strategy's threshold; 0 while
 *   the broker's funds are unknown.
 * Account limits (`[risk]`): `max_daily_loss` (every strategy's P&L together, as above),
 * `max_orders_per_minute` and `max_orders_per_day` (new orders from every strategy; the day
 * starts at IST midnight).
 *
 * Every limit is the largest value allowed: a limit is breached when its value is above it,
 * and warns from `warn_pct` % of it. A limit of 0 allows nothing: any loss breaches it.
 */
import type {
  AccountLimits,
  LimitKey,
  LimitKind,
  LimitLevel,
  LimitStatus,
  PositionQuantity,
  StrategyLimitSettings,
} from './types.js';

/** Which kind of limit each key is (what its breach does: see LimitKind). */
export const LIMIT_KINDS: Readonly<Record<LimitKey, LimitKind>> = {
  max_loss_per_strategy_abs: 'loss',
  max_loss_per_strategy_pct: 'loss',
  max_daily_loss: 'loss',
  max_position_size_per_instrument: 'exposure',
  max_margin_utilization_pct: 'exposure',
  max_orders_per_minute: 'rate',
  max_orders_per_day: 'rate',
};

/**
 * The level of a value against a limit: breach above the limit, warn from `warnPct` % of it
 * (a value of 0 never warns), else ok.
 */
export function limitLevel(value: number, limit: number, warnPct: number): LimitLevel {
  if (value > limit) return 'breach';
  if (value > 0 && value >= (limit * warnPct) / 100) return 'warn';
  return 'ok';
}

/** Room left as a % of the limit, within 0..100. */
export function headroomPct(value: number, limit: number): number {
  if (!(limit > 0)) return 0;
  return Math.min(100, Math.max(0, ((limit - value) / limit) * 100));
}

/** One evaluated limit. */
export function limitStatus(
  key: LimitKey,
  limit: number,
  value: number,
  warnPct: number,
  subject?: string,
): LimitStatus {
  const status: LimitStatus = {
    key,
    kind: LIMIT_KINDS[key],
    limit,
    value,
    headroom_pct: headroomPct(value, limit),
    level: limitLevel(value, limit, warnPct),
  };
  if (subject !== undefined) status.subject = subject;
  return status;
}

/** A loss in rupees from a P&L: 0 while the P&L is positive. */
export function lossOf(pnl: number): number {
  return pnl < 0 ? -pnl : 0;
}

/** A loss as a % of a margin basis; 0 without a basis. */
export function lossPctOf(loss: number, marginBasis: number): number {
  return marginBasis > 0 ? (loss / marginBasis) * 100 : 0;
}

const instrumentOf = (p: Pick<PositionQuantity, 'exchange' | 'tradingsymbol'>): string =>
  `${p.exchange}:${p.tradingsymbol}`;

/**
 * Open quantity per instrument, every product added up in absolute terms, keyed
 * `EXCHANGE:SYMBOL`.
 */
export function grossByInstrument(positions: readonly PositionQuantity[]): Map<string, number> {
  const gross = new Map<string, number>();
  for (const p of positions) {
    const key = instrumentOf(p);
    gross.set(key, (gross.get(key) ?? 0) + Math.abs(p.quantity));
  }
  return gross;
}

/** The instrument with the largest gross open quantity, or null when nothing is open. */
export function largestPosition(
  positions: readonly PositionQuantity[],
): { instrument: string; quantity: number } | null {
  let best: { instrument: string; quantity: number } | null = null;
  for (const [instrument, quantity] of grossByInstrument(positions)) {
    if (quantity > 0 && (!best || quantity > best.quantity)) best = { instrument, quantity };
  }
  return best;
}

/** What the strategy limits are measured on. */
export interface StrategyRiskFacts {
  settings: StrategyLimitSettings;
  /** Realised + unrealised - charges today, rupees. */
  pnl: number;
  /** The largest margin the strategy has blocked today, rupees (the basis of the % loss limit). */
  margin_basis: number;
  /** The strategy's positions (its shares of the account's). */
  positions: readonly PositionQuantity[];
  /** New orders the strategy sent in the last 60 seconds. */
  orders_last_minute: number;
  /** Margin in use, % of the fund segment's margin; null while unknown. */
  margin_utilization_pct: number | null;
}

/**
 * Every strategy limit, evaluated, in a fixed order: loss (rupees), loss (% of margin),
 * position size, orders per minute, margin utilisation.
 */
export function evaluateStrategyLimits(facts: StrategyRiskFacts, warnPct: number): LimitStatus[] {
  const s = facts.settings;
  const loss = lossOf(facts.pnl);
  const largest = largestPosition(facts.positions);
  return [
    limitStatus('max_loss_per_strategy_abs', s.max_loss_per_strategy_abs, loss, warnPct),
    limitStatus('max_loss_per_strategy_pct', s.max_loss_per_strategy_pct, lossPctOf(loss, facts.margin_basis), warnPct),
    limitStatus(
      'max_position_size_per_instrument',
      s.max_position_size_per_instrument,
      largest?.quantity ?? 0,
      warnPct,
      largest?.instrument,
    ),
    limitStatus('max_orders_per_minute', s.max_orders_per_minute, facts.orders_last_minute, warnPct),
    limitStatus('max_margin_utilization_pct', s.max_margin_utilization_pct, facts.margin_utilization_pct ?? 0, warnPct),
  ];
}

/** What the account limits are measured on. */
export interface AccountRiskFacts {
  limits: AccountLimits;
  /** Every strategy's P&L today added up, rupees. */
  pnl: number;
  orders_last_minute: number;
  orders_today: number;
}

/** Every account limit, evaluated: daily loss, orders per minute, orders per day. */
export function evaluateAccountLimits(facts: AccountRiskFacts, warnPct: number): LimitStatus[] {
  const l = facts.limits;
  return [
    limitStatus('max_daily_loss', l.max_daily_loss, lossOf(facts.pnl), warnPct),
    limitStatus('max_orders_per_minute', l.max_orders_per_minute, facts.orders_last_minute, warnPct),
    limitStatus('max_orders_per_day', l.max_orders_per_day, facts.orders_today, warnPct),
  ];
}

/** The most severe level among limits (ok when there are none). */
export function worstLevel(limits: readonly LimitStatus[]): LimitLevel {
  let worst: LimitLevel = 'ok';
  for (const l of limits) {
    if (l.level === 'breach') return 'breach';
    if (l.level === 'warn') worst = 'warn';
  }
  return worst;
}

/** A limit whose level moved between two evaluations: what the daemon alerts on (warn) and acts on (breach). */
export interface LevelChange {
  key: LimitKey;
  from: LimitLevel;
  to: LimitStatus;
}

/**
 * The limits whose level differs from the previous evaluation (a limit absent before counts
 * as ok), in the order of `current`.
 */
export function levelChanges(previous: readonly LimitStatus[], current: readonly LimitStatus[]): LevelChange[] {
  const before = new Map(previous.map((l) => [l.key, l.level]));
  const out: LevelChange[] = [];
  for (const l of current) {
    const from = before.get(l.key) ?? 'ok';
    if (from !== l.level) out.push({ key: l.key, from, to: l });
  }
  return out;
}
