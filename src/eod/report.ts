import { istInstant } from '../market/ist.js';
import { dayPosition, type PricedQuantity } from './day-pnl.js';
import { SUCCESS_TARGETS } from './targets.js';
import type {
  ChargesByKind,
  EodAlert,
  EodCarried,
  EodFill,
  EodInstrument,
  EodMetric,
  EodProtection,
  EodReport,
  EodStrategy,
  M2mSeries,
} from './types.js';

/**
 * The end-of-day report from the day's records (src/store/eod.ts loads them). Pure.
 *
 * Per strategy, per instrument and product: what it carried in (its share at the close less
 * the day's moves of it), valued at the previous close, and its fills, reckoned as a Kite day
 * position (day-pnl.ts) and marked at the broker's last price. A strategy's fills are its
 * moves of the position basis: its own orders' fills, and its part of a hand exit shared out
 * among strategies; quantity the broker reported and no fill explained enters at the
 * previous close. Charges are the actual charges of the strategy's orders filled that day.
 */

type Instrument = { exchange: string; tradingsymbol: string; product: string };

/** A move of a strategy's share: a fill (price) or an adoption (price null). */
export interface ShareMove extends Instrument {
  at: string;
  strategy_id: number;
  order_id: string | null;
  /** Signed. */
  quantity: number;
  price: number | null;
}

/** The broker's last description of an instrument's position: its multiplier and prices. */
export interface Mark extends Instrument {
  multiplier: number;
  last_price: number;
  /** The previous close (Kite's close_price); 0 when unknown. */
  close_price: number;
}

export interface EodInputs {
  tradingDay: string;
  generatedAt: string;
  preliminary: boolean;
  strategies: readonly { id: number; name: string }[];
  /** The day's moves of every strategy's shares, oldest first. */
  moves: readonly ShareMove[];
  /** Every strategy's share at the close. */
  shares: readonly (Instrument & { strategy_id: number; quantity: number })[];
  marks: readonly Mark[];
  /** The actual charges of each order filled that day, with when they were last recomputed. */
  charges: readonly (ChargesByKind & { strategy_id: number; order_id: string | null; at: string })[];
  /** The day's orders som holds. */
  orders: readonly { order_id: string; strategy_id: number; source: 'som' | 'external'; has_cost_breakdown: boolean }[];
  /** The broker's order book as the end-of-day round read it; null when it was not read. */
  brokerOrderIds: ReadonlySet<string> | null;
  /** Completed orders archived by this run. */
  archived: number;
  orphans: readonly {
    at: string;
    strategy_id: number | null;
    order_id: string;
    reason: string | null;
    action: string;
    result: string;
  }[];
  alerts: readonly { at: string; type: string; priority: string; strategy_id: number | null; title: string }[];
  /** The day's reconciliation rounds (their housekeeping log lines' details), oldest first. */
  reconcileRuns: readonly {
    counts: Record<string, number>;
    found: number;
    healed: number;
    unhealed: number;
    unhealed_ids: readonly string[];
  }[];
  /** Open protective orders and GTT legs, by strategy and instrument. */
  protection: readonly (Instrument & EodProtection & { strategy_id: number })[];
  /** P&L snapshots taken during the day (net P&L per strategy), if any. */
  snapshots: readonly { at: string; strategy_id: number; pnl: number }[];
  /** Pre-trade required margin against what the broker blocked after the fill, per order, if recorded. */
  marginChecks: readonly { order_id: string; required: number; blocked: number }[];
}

const keyOf = (x: Instrument) => `${x.exchange}:${x.tradingsymbol}:${x.product}`;

export const NO_CHARGES: ChargesByKind = {
  brokerage: 0,
  transaction_tax: 0,
  exchange_turnover_charge: 0,
  sebi_turnover_charge: 0,
  stamp_duty: 0,
  gst: 0,
  total: 0,
};

function addCharges(a: ChargesByKind, b: ChargesByKind): ChargesByKind {
  return {
    brokerage: a.brokerage + b.brokerage,
    transaction_tax: a.transaction_tax + b.transaction_tax,
    exchange_turnover_charge: a.exchange_turnover_charge + b.exchange_turnover_charge,
    sebi_turnover_charge: a.sebi_turnover_charge + b.sebi_turnover_charge,
    stamp_duty: a.stamp_duty + b.stamp_duty,
    gst: a.gst + b.gst,
    total: a.total + b.total,
  };
}

/** Prices for one instrument: the previous close (the day's basis), the last price, the multiplier. */
interface Pricing {
  basis: number;
  last: number;
  multiplier: number;
}

function pricingOf(inputs: EodInputs): (x: Instrument) => Pricing {
  const marks = new Map(inputs.marks.map((m) => [keyOf(m), m]));
  const lastFill = new Map<string, number>();
  for (const m of inputs.moves) if (m.price !== null) lastFill.set(keyOf(m), m.price);
  return (x) => {
    const mark = marks.get(keyOf(x));
    const last = mark && mark.last_price > 0 ? mark.last_price : (lastFill.get(keyOf(x)) ?? 0);
    const basis = mark && mark.close_price > 0 ? mark.close_price : last;
    return { basis, last, multiplier: mark && mark.multiplier > 0 ? mark.multiplier : 1 };
  };
}

/** Each strategy's instruments: carried in, moved, closing share. */
function strategyInstruments(inputs: EodInputs, strategyId: number) {
  const byKey = new Map<string, { where: Instrument; closing: number; moves: ShareMove[] }>();
  const at = (x: Instrument) => {
    const key = keyOf(x);
    let e = byKey.get(key);
    if (!e) {
      e = {
        where: { exchange: x.exchange, tradingsymbol: x.tradingsymbol, product: x.product },
        closing: 0,
        moves: [],
      };
      byKey.set(key, e);
    }
    return e;
  };
  for (const s of inputs.shares) if (s.strategy_id === strategyId && s.quantity !== 0) at(s).closing = s.quantity;
  for (const m of inputs.moves) if (m.strategy_id === strategyId) at(m).moves.push(m);
  return [...byKey.values()].sort((a, b) => (keyOf(a.where) < keyOf(b.where) ? -1 : 1));
}

function fillOf(m: ShareMove): EodFill {
  return {
    at: m.at,
    order_id: m.order_id,
    exchange: m.exchange,
    tradingsymbol: m.tradingsymbol,
    product: m.product,
    side: m.quantity > 0 ? 'BUY' : 'SELL',
    quantity: Math.abs(m.quantity),
    price: m.price,
  };
}

function buildStrategy(inputs: EodInputs, s: { id: number; name: string }, price: (x: Instrument) => Pricing) {
  const instruments: EodInstrument[] = [];
  for (const { where, closing, moves } of strategyInstruments(inputs, s.id)) {
    const p = price(where);
    const moved = moves.reduce((n, m) => n + m.quantity, 0);
    const opening = closing - moved;
    const fills: PricedQuantity[] = moves.map((m) => ({ quantity: m.quantity, price: m.price ?? p.basis }));
    const day = dayPosition({ quantity: opening, price: p.basis }, fills, p.last, p.multiplier);
    instruments.push({
      ...where,
      opening_quantity: opening,
      basis_price: p.basis,
      buy_quantity: day.buy_quantity,
      buy_value: day.buy_value,
      sell_quantity: day.sell_quantity,
      sell_value: day.sell_value,
      closing_quantity: day.closing_quantity,
      last_price: p.last,
      multiplier: p.multiplier,
      realised: day.realised,
      unrealised: day.unrealised,
    });
  }
  const charges = inputs.charges
    .filter((c) => c.strategy_id === s.id)
    .reduce<ChargesByKind>((sum, c) => addCharges(sum, c), NO_CHARGES);
  const realised = instruments.reduce((n, i) => n + i.realised, 0);
  const unrealised = instruments.reduce((n, i) => n + i.unrealised, 0);
  const strategy: EodStrategy = {
    strategy_id: s.id,
    strategy: s.name,
    trades: inputs.moves.filter((m) => m.strategy_id === s.id).map(fillOf),
    instruments,
    realised,
    unrealised,
    gross: realised + unrealised,
    charges,
    net: realised + unrealised - charges.total,
  };
  return strategy;
}

/** A metric against its target: `higher` better (coverage) or lower (discrepancies). */
function metric(value: number | null, target: number, better: 'higher' | 'lower', detail: string): EodMetric {
  return {
    value,
    target,
    met: value === null ? null : better === 'higher' ? value >= target : value <= target,
    detail,
  };
}

function metrics(inputs: EodInputs): EodReport['metrics'] {
  const mine = inputs.orders.filter((o) => o.source === 'som');
  const covered = mine.filter((o) => o.has_cost_breakdown).length;
  const coverage =
    mine.length === 0
      ? metric(null, SUCCESS_TARGETS.cost_breakdown_coverage_pct, 'higher', 'som placed no order this day')
      : metric(
          (covered / mine.length) * 100,
          SUCCESS_TARGETS.cost_breakdown_coverage_pct,
          'higher',
          `${covered} of ${mine.length} orders som placed had their charges costed before they were sent`,
        );
  const checks = inputs.marginChecks.filter((c) => c.blocked > 0);
  const accuracy =
    checks.length === 0
      ? metric(
          null,
          SUCCESS_TARGETS.margin_accuracy_pct,
          'higher',
          'no order of the day has both a pre-trade margin and the margin the broker blocked recorded',
        )
      : metric(
          (checks.reduce((n, c) => n + Math.max(0, 1 - Math.abs(c.required - c.blocked) / c.blocked), 0) /
            checks.length) *
            100,
          SUCCESS_TARGETS.margin_accuracy_pct,
          'higher',
          `mean of 1 - |required - blocked| / blocked over ${checks.length} orders`,
        );
  const last = inputs.reconcileRuns.at(-1);
  const discrepancies = last
    ? metric(
        last.unhealed,
        SUCCESS_TARGETS.discrepancies_at_eod,
        'lower',
        last.unhealed === 0
          ? "the day's last reconciliation round left nothing unhealed"
          : `the day's last reconciliation round left ${last.unhealed} unhealed: ${last.unhealed_ids.join(', ')}`,
      )
    : metric(null, SUCCESS_TARGETS.discrepancies_at_eod, 'lower', 'no reconciliation round ran this day');
  return { cost_breakdown_coverage: coverage, margin_accuracy: accuracy, discrepancies_at_eod: discrepancies };
}

/**
 * The M2M of each strategy through the day, reckoned at each of its fills: every instrument
 * marked at the latest fill price seen in it so far (any strategy's: it is the market's), the
 * charges of each order counted from its last recomputation; from zero at the open (what was
 * carried in is valued at the previous close, so it starts at nothing), to the report's net
 * at the close.
 */
export function m2mFromFills(inputs: EodInputs, strategies: readonly EodStrategy[]): M2mSeries[] {
  const open = istInstant(inputs.tradingDay, '09:15').toISOString();
  const marks = new Map<string, number>();
  const moves = [...inputs.moves].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return strategies.map((s) => {
    const instruments = s.instruments;
    const times = new Set<string>();
    for (const m of moves) if (m.strategy_id === s.strategy_id) times.add(m.at);
    for (const c of inputs.charges) if (c.strategy_id === s.strategy_id) times.add(c.at);
    const points = [{ at: open, pnl: 0 }];
    for (const at of [...times].sort()) {
      if (at < open) continue;
      marks.clear();
      for (const m of moves) if (m.at <= at && m.price !== null) marks.set(keyOf(m), m.price);
      let pnl = 0;
      for (const i of instruments) {
        const fills = moves
          .filter((m) => m.strategy_id === s.strategy_id && keyOf(m) === keyOf(i) && m.at <= at)
          .map((m) => ({ quantity: m.quantity, price: m.price ?? i.basis_price }));
        const day = dayPosition(
          { quantity: i.opening_quantity, price: i.basis_price },
          fills,
          marks.get(keyOf(i)) ?? i.basis_price,
          i.multiplier,
        );
        pnl += day.realised + day.unrealised;
      }
      for (const c of inputs.charges) if (c.strategy_id === s.strategy_id && c.at <= at) pnl -= c.total;
      points.push({ at, pnl });
    }
    // The later of the open and the report's time (ISO instants sort as text).
    const close = [open, inputs.generatedAt].sort()[1]!;
    points.push({ at: close, pnl: s.net });
    return { strategy_id: s.strategy_id, strategy: s.strategy, points };
  });
}

function snapshotSeries(inputs: EodInputs, strategies: readonly EodStrategy[]): M2mSeries[] {
  return strategies.map((s) => ({
    strategy_id: s.strategy_id,
    strategy: s.strategy,
    points: inputs.snapshots
      .filter((p) => p.strategy_id === s.strategy_id)
      .map((p) => ({ at: p.at, pnl: p.pnl }))
      .sort((a, b) => (a.at < b.at ? -1 : 1)),
  }));
}

/** Build the report (see the module comment). */
export function buildEodReport(inputs: EodInputs): EodReport {
  const price = pricingOf(inputs);
  const names = new Map(inputs.strategies.map((s) => [s.id, s.name]));
  const nameOf = (id: number | null) => (id === null ? null : (names.get(id) ?? String(id)));
  const active = new Set<number>([
    ...inputs.moves.map((m) => m.strategy_id),
    ...inputs.charges.map((c) => c.strategy_id),
    ...inputs.shares.filter((s) => s.quantity !== 0).map((s) => s.strategy_id),
    ...inputs.orders.map((o) => o.strategy_id),
  ]);
  const strategies = inputs.strategies.filter((s) => active.has(s.id)).map((s) => buildStrategy(inputs, s, price));
  const totals = {
    trades: strategies.reduce((n, s) => n + s.trades.length, 0),
    realised: strategies.reduce((n, s) => n + s.realised, 0),
    unrealised: strategies.reduce((n, s) => n + s.unrealised, 0),
    gross: strategies.reduce((n, s) => n + s.gross, 0),
    charges: strategies.reduce<ChargesByKind>((sum, s) => addCharges(sum, s.charges), NO_CHARGES),
    net: strategies.reduce((n, s) => n + s.net, 0),
  };
  const carried: EodCarried[] = inputs.shares
    .filter((s) => s.quantity !== 0)
    .map((s) => ({
      strategy_id: s.strategy_id,
      strategy: nameOf(s.strategy_id) ?? String(s.strategy_id),
      exchange: s.exchange,
      tradingsymbol: s.tradingsymbol,
      product: s.product,
      quantity: s.quantity,
      protection: inputs.protection
        .filter((p) => p.strategy_id === s.strategy_id && keyOf(p) === keyOf(s))
        .map(({ kind, order_id, role, order_type, side, quantity, price, trigger_price }) => ({
          kind,
          order_id,
          role,
          order_type,
          side,
          quantity,
          price,
          trigger_price,
        })),
    }));
  const alert = (a: EodInputs['alerts'][number]): EodAlert => ({
    at: a.at,
    type: a.type,
    priority: a.priority,
    strategy: nameOf(a.strategy_id),
    title: a.title,
  });
  const counts: Record<string, number> = {};
  for (const run of inputs.reconcileRuns) {
    for (const [kind, n] of Object.entries(run.counts)) counts[kind] = (counts[kind] ?? 0) + n;
  }
  const broker = inputs.brokerOrderIds;
  const unmatched = broker === null ? [] : inputs.orders.filter((o) => !broker.has(o.order_id)).map((o) => o.order_id);
  const snapshots = inputs.snapshots.length > 0;
  return {
    trading_day: inputs.tradingDay,
    generated_at: inputs.generatedAt,
    preliminary: inputs.preliminary,
    strategies,
    totals,
    orphans: inputs.orphans.map((o) => ({
      at: o.at,
      strategy: nameOf(o.strategy_id),
      order_id: o.order_id,
      reason: o.reason,
      action: o.action,
      result: o.result,
    })),
    alerts: inputs.alerts.map(alert),
    risk_breaches: inputs.alerts.filter((a) => a.type.startsWith('RISK')).map(alert),
    reconciliation: {
      rounds: inputs.reconcileRuns.length,
      found: inputs.reconcileRuns.reduce((n, r) => n + r.found, 0),
      healed: inputs.reconcileRuns.reduce((n, r) => n + r.healed, 0),
      unhealed: inputs.reconcileRuns.reduce((n, r) => n + r.unhealed, 0),
      counts,
      unhealed_at_close: [...(inputs.reconcileRuns.at(-1)?.unhealed_ids ?? [])],
    },
    orders: {
      total: inputs.orders.length,
      matched: broker === null ? null : inputs.orders.length - unmatched.length,
      unmatched,
      archived: inputs.archived,
    },
    carried,
    metrics: metrics(inputs),
    m2m: {
      source: snapshots ? 'snapshots' : 'fills',
      series: snapshots ? snapshotSeries(inputs, strategies) : m2mFromFills(inputs, strategies),
    },
  };
}
