/**
 * The risk book: live P&L and loss-limit levels, updated tick by tick without rescanning.
 *
 * Each instrument (by `instrument_token`) keeps its last price and the strategy shares that
 * hold it. A tick moves each holder's unrealised P&L by quantity x multiplier x (new price -
 * old price), and the account's by the same amounts: O(holders of that instrument) per tick,
 * whatever the size of the book. Each strategy's loss is then compared with its loss limits
 * (rupees, and % of its margin basis) and the account's with the daily loss limit; a tick
 * reports only the levels it changed, so the daemon runs the full evaluation, the state
 * transition and its actions only when something moved.
 *
 * P&L = realised + unrealised - charges, unrealised = quantity x multiplier x (last - average).
 * Tick deltas are summed with Neumaier's compensation so that millions of ticks do not drift,
 * and every position or strategy change recomputes the affected sums from scratch. An
 * instrument whose price is not known yet contributes no unrealised P&L (it is valued at its
 * average price) until its first price arrives.
 *
 * In memory only, no I/O and no clock: the daemon feeds it positions, strategy figures and ticks.
 */
import { limitLevel, lossOf } from './limits.js';
import type { LimitLevel, RiskPosition } from './types.js';

/** A strategy's figures the book needs besides its positions. */
export interface BookStrategy {
  /** Charges on today's fills, rupees. */
  charges: number;
  /** `max_loss_per_strategy_abs`, rupees. */
  max_loss_abs: number;
  /** `max_loss_per_strategy_pct`, % of `margin_basis`. */
  max_loss_pct: number;
  /** The largest margin blocked today, rupees (0: the % limit does not apply yet). */
  margin_basis: number;
}

/** A position as the book keys it: by instrument token, as ticks arrive. */
export interface BookPosition extends RiskPosition {
  instrument_token: number;
}

export interface BookPnl {
  realised: number;
  unrealised: number;
  charges: number;
  /** realised + unrealised - charges. */
  net: number;
}

/** A loss-limit level that moved: the strategy's (its tighter loss limit) or the account's daily loss. */
export interface LossLevelChange {
  scope: 'strategy' | 'account';
  /** null for the account. */
  strategy_id: number | null;
  from: LimitLevel;
  to: LimitLevel;
  /** The P&L that moved it. */
  pnl: number;
}

export interface RiskBookOptions {
  warn_pct: number;
  /** The account's `max_daily_loss`, rupees. */
  max_daily_loss: number;
}

interface Aggregate {
  id: number | null;
  realised: number;
  charges: number;
  /** Unrealised P&L: a compensated sum. */
  sum: number;
  comp: number;
  /** Loss above this breaches. */
  breachAt: number;
  level: LimitLevel;
  holdings: Holding[];
}

interface Holding {
  agg: Aggregate;
  entry: Entry;
  strategyId: number;
  product: string;
  /** quantity x multiplier. */
  qm: number;
  average: number;
  realised: number;
  position: BookPosition;
}

interface Entry {
  /** NaN until a price is known. */
  last: number;
  holdings: Holding[];
}

const NO_CHANGES: readonly LossLevelChange[] = Object.freeze([]);

function addTo(a: Aggregate, x: number): void {
  const t = a.sum + x;
  a.comp += Math.abs(a.sum) >= Math.abs(x) ? a.sum - t + x : x - t + a.sum;
  a.sum = t;
}

const unrealisedOf = (a: Aggregate): number => a.sum + a.comp;
const netOf = (a: Aggregate): number => a.realised + unrealisedOf(a) - a.charges;

export class RiskBook {
  readonly #entries = new Map<number, Entry>();
  readonly #strategies = new Map<number, Aggregate>();
  readonly #account: Aggregate;
  #warnPct: number;

  constructor(options: RiskBookOptions) {
    this.#warnPct = options.warn_pct;
    this.#account = newAggregate(null, options.max_daily_loss);
  }

  /** Change the warning level or the account's daily loss limit. */
  configure(options: RiskBookOptions): readonly LossLevelChange[] {
    this.#warnPct = options.warn_pct;
    this.#account.breachAt = options.max_daily_loss;
    const changes: LossLevelChange[] = [];
    for (const a of this.#strategies.values()) this.#relevel(a, changes);
    this.#relevel(this.#account, changes);
    return changes;
  }

  /**
   * Add a strategy or change its figures. A strategy the book has not been told about (its
   * positions came first) has no loss limit until this is called.
   */
  setStrategy(id: number, s: BookStrategy): readonly LossLevelChange[] {
    const a = this.#strategy(id);
    a.charges = s.charges;
    const pctLimit = s.margin_basis > 0 ? (s.max_loss_pct / 100) * s.margin_basis : Number.POSITIVE_INFINITY;
    a.breachAt = Math.min(s.max_loss_abs, pctLimit);
    return this.#afterResync([a]);
  }

  /** Forget a strategy and its positions. */
  removeStrategy(id: number): readonly LossLevelChange[] {
    const a = this.#strategies.get(id);
    if (!a) return NO_CHANGES;
    for (const h of a.holdings) this.#detach(h);
    this.#strategies.delete(id);
    return this.#afterResync([]);
  }

  /**
   * Add or replace a strategy's position in one instrument and product (after a fill, an
   * order update, a broker refresh). A flat position with no realised P&L is dropped. A
   * `last_price` above 0 also becomes the instrument's last price for every holder.
   */
  setPosition(p: BookPosition): readonly LossLevelChange[] {
    const a = this.#strategy(p.strategy_id);
    let entry = this.#entries.get(p.instrument_token);
    if (!entry) {
      entry = { last: Number.NaN, holdings: [] };
      this.#entries.set(p.instrument_token, entry);
    }
    const touched = new Set<Aggregate>([a]);
    if (p.last_price > 0 && p.last_price !== entry.last) {
      entry.last = p.last_price;
      for (const h of entry.holdings) touched.add(h.agg);
    }
    const existing = entry.holdings.find((h) => h.strategyId === p.strategy_id && h.product === p.product);
    if (existing) this.#detach(existing);
    if (p.quantity !== 0 || p.realised !== 0) {
      const h: Holding = {
        agg: a,
        entry,
        strategyId: p.strategy_id,
        product: p.product,
        qm: p.quantity * p.multiplier,
        average: p.average_price,
        realised: p.realised,
        position: p,
      };
      entry.holdings.push(h);
      a.holdings.push(h);
    }
    return this.#afterResync([...touched]);
  }

  /** A new last price for an instrument: the loss-limit levels it moved (usually none). */
  tick(instrumentToken: number, lastPrice: number): readonly LossLevelChange[] {
    const entry = this.#entries.get(instrumentToken);
    if (entry === undefined || entry.holdings.length === 0) return NO_CHANGES;
    const move = lastPrice - entry.last;
    if (move === 0) return NO_CHANGES;
    if (Number.isNaN(move)) {
      // First price of the instrument: value its holders from scratch.
      if (!(lastPrice > 0)) return NO_CHANGES;
      entry.last = lastPrice;
      return this.#afterResync(entry.holdings.map((h) => h.agg));
    }
    entry.last = lastPrice;
    let changes = NO_CHANGES as LossLevelChange[];
    const account = this.#account;
    const holdings = entry.holdings;
    for (let i = 0; i < holdings.length; i++) {
      const h = holdings[i]!;
      const d = h.qm * move;
      addTo(h.agg, d);
      addTo(account, d);
      const level = levelOf(h.agg, this.#warnPct);
      if (level !== h.agg.level) {
        if (changes === NO_CHANGES) changes = [];
        changes.push(change(h.agg, level));
      }
    }
    const level = levelOf(account, this.#warnPct);
    if (level !== account.level) {
      if (changes === NO_CHANGES) changes = [];
      changes.push(change(account, level));
    }
    return changes;
  }

  /** A strategy's P&L now, or null for a strategy the book does not hold. */
  strategyPnl(id: number): BookPnl | null {
    const a = this.#strategies.get(id);
    return a ? pnlOf(a) : null;
  }

  /** The account's P&L now: every strategy's added up. */
  accountPnl(): BookPnl {
    return pnlOf(this.#account);
  }

  /** A strategy's loss-limit level now (ok for a strategy the book does not hold). */
  strategyLevel(id: number): LimitLevel {
    return this.#strategies.get(id)?.level ?? 'ok';
  }

  /** The account's daily-loss level now. */
  accountLevel(): LimitLevel {
    return this.#account.level;
  }

  /** The instrument's last price, or null before the first. */
  lastPrice(instrumentToken: number): number | null {
    const last = this.#entries.get(instrumentToken)?.last;
    return last === undefined || Number.isNaN(last) ? null : last;
  }

  /** A strategy's positions as last set, each with the instrument's current last price. */
  positions(strategyId: number): BookPosition[] {
    const a = this.#strategies.get(strategyId);
    if (!a) return [];
    return a.holdings.map((h) => ({
      ...h.position,
      last_price: Number.isNaN(h.entry.last) ? h.position.last_price : h.entry.last,
    }));
  }

  #strategy(id: number): Aggregate {
    let a = this.#strategies.get(id);
    if (!a) {
      a = newAggregate(id, Number.POSITIVE_INFINITY);
      this.#strategies.set(id, a);
    }
    return a;
  }

  #detach(h: Holding): void {
    const i = h.entry.holdings.indexOf(h);
    if (i >= 0) h.entry.holdings.splice(i, 1);
    const j = h.agg.holdings.indexOf(h);
    if (j >= 0) h.agg.holdings.splice(j, 1);
  }

  /** Recompute the given strategies exactly, then the account from every strategy. */
  #afterResync(aggs: readonly Aggregate[]): readonly LossLevelChange[] {
    for (const a of aggs) resync(a);
    const account = this.#account;
    account.realised = 0;
    account.charges = 0;
    account.sum = 0;
    account.comp = 0;
    for (const a of this.#strategies.values()) {
      account.realised += a.realised;
      account.charges += a.charges;
      addTo(account, unrealisedOf(a));
    }
    const changes: LossLevelChange[] = [];
    for (const a of aggs) this.#relevel(a, changes);
    this.#relevel(account, changes);
    return changes.length === 0 ? NO_CHANGES : changes;
  }

  #relevel(a: Aggregate, changes: LossLevelChange[]): void {
    const level = levelOf(a, this.#warnPct);
    if (level !== a.level) changes.push(change(a, level));
  }
}

function newAggregate(id: number | null, breachAt: number): Aggregate {
  return { id, realised: 0, charges: 0, sum: 0, comp: 0, breachAt, level: 'ok', holdings: [] };
}

function resync(a: Aggregate): void {
  a.realised = 0;
  a.sum = 0;
  a.comp = 0;
  for (const h of a.holdings) {
    a.realised += h.realised;
    if (!Number.isNaN(h.entry.last)) addTo(a, h.qm * (h.entry.last - h.average));
  }
}

function levelOf(a: Aggregate, warnPct: number): LimitLevel {
  return limitLevel(lossOf(netOf(a)), a.breachAt, warnPct);
}

/** Record a level move on the aggregate and describe it. */
function change(a: Aggregate, to: LimitLevel): LossLevelChange {
  const from = a.level;
  a.level = to;
  return { scope: a.id === null ? 'account' : 'strategy', strategy_id: a.id, from, to, pnl: netOf(a) };
}

function pnlOf(a: Aggregate): BookPnl {
  const unrealised = unrealisedOf(a);
  return { realised: a.realised, unrealised, charges: a.charges, net: a.realised + unrealised - a.charges };
}
