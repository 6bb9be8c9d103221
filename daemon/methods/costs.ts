import type { BrokerMargins, MarginOrder, SegmentMargin } from '../../src/broker/broker.js';
import { estimateCosts } from '../../src/costs/estimate.js';
import { readLeg } from '../../src/costs/legs.js';
import {
  checkMarginBySegment,
  type FundSegment,
  fundSegmentOf,
  type MarginSettings,
} from '../../src/costs/margin-check.js';
import type { CostError } from '../../src/costs/types.js';
import { type MasterSlice, masterSlice } from '../../src/domain/master-slice.js';
import { isParseError } from '../../src/domain/parse/error.js';
import { splitInstrumentKey } from '../../src/domain/parse/instrument-key-syntax.js';
import { DEFAULT_STRATEGY } from '../../src/domain/strategy.js';
import type { TransactionType } from '../../src/domain/values.js';
import { istDate } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import type { CostWarning, MarginCheckView, SegmentFunds } from '../../src/protocol/methods/costs.js';
import { instrumentsListing } from '../../src/store/instruments.js';
import { positionViews } from '../../src/store/order-views.js';
import { loadShares } from '../../src/store/position-shares.js';
import { getStrategyWithSettings } from '../../src/store/strategies.js';
import type { DaemonContext } from '../context.js';
import type { Handler } from './index.js';
import { searchHint } from './instruments.js';

type Side = TransactionType;
const key = (exchange: string, tradingsymbol: string) => `${exchange}:${tradingsymbol}`;

/** The symbols a basket names, as the store may spell them (index names in capitals too). */
function symbolsOf(legs: readonly { symbol: string }[]): string[] {
  return legs.flatMap((leg) => {
    const written = splitInstrumentKey(leg.symbol);
    return isParseError(written) ? [] : [written.tradingsymbol, written.tradingsymbol.toUpperCase()];
  });
}

/**
 * Every master row listing a symbol the basket names, on any exchange, read up front so that
 * the engine can look instruments up and place bare symbols on their exchange synchronously.
 */
async function basketMaster(ctx: DaemonContext, legs: readonly { symbol: string }[]): Promise<MasterSlice> {
  return masterSlice(await instrumentsListing(ctx.store.db, symbolsOf(legs)));
}

/**
 * An error value from the engine as the RPC error it becomes (exit 2 for anything about the
 * input); an instrument that is not known gets the search that may find it.
 */
function inputError(err: CostError, legs: readonly { symbol: string }[]): SomError {
  const symbol = err.leg === undefined ? undefined : legs[err.leg]?.symbol;
  const written = symbol === undefined ? undefined : splitInstrumentKey(symbol);
  const search = written && !isParseError(written) ? searchHint(written.tradingsymbol) : undefined;
  const hint = err.code === 'NOT_FOUND' && search ? `; try \`som instruments search ${search}\`` : '';
  return new SomError(err.code, `${err.message}${hint}`, {
    ...(err.leg !== undefined ? { leg: err.leg } : {}),
    ...(symbol !== undefined ? { symbol } : {}),
  });
}

/** The session must be up before asking the broker; say how to fix it instead of a raw token error. */
function requireSession(ctx: DaemonContext, skipHint: string): void {
  if (!ctx.link.sessionReady()) {
    throw new SomError(
      'BROKER_SESSION',
      `margin comes from the broker and there is no broker session: run \`som login\`${skipHint}`,
    );
  }
}

function segmentFunds(m: SegmentMargin | undefined): SegmentFunds | null {
  if (!m) return null;
  const a = m.available ?? ({} as Partial<SegmentMargin['available']>);
  const utilised = Object.fromEntries(
    Object.entries(m.utilised ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
  );
  return {
    enabled: m.enabled !== false,
    net: Number.isFinite(m.net) ? m.net : 0,
    cash: a.cash ?? 0,
    opening_balance: a.opening_balance ?? 0,
    live_balance: a.live_balance ?? 0,
    collateral: a.collateral ?? 0,
    intraday_payin: a.intraday_payin ?? 0,
    used: utilised.debits ?? 0,
    utilised,
  };
}

/**
 * The margin a basket needs on top of the account's positions (Kite's basket margins with
 * positions considered, one basket per fund segment) against the free margin of each segment,
 * judged by {@link checkMarginBySegment}.
 */
async function marginCheck(
  ctx: DaemonContext,
  orders: readonly MarginOrder[],
  strategy: { name: string; settings: MarginSettings },
): Promise<{ margin: MarginCheckView; warnings: CostWarning[] }> {
  const bySegment = new Map<FundSegment, MarginOrder[]>();
  for (const o of orders) {
    const segment = fundSegmentOf(o.exchange);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), o]);
  }
  const broker = ctx.link.broker;
  const [funds, ...baskets] = await Promise.all([
    broker.margins(),
    ...[...bySegment.values()].map((legs) => broker.basketMargins(legs, true)),
  ]);
  const warnings: CostWarning[] = [];
  const parts = [...bySegment.keys()].map((segment, i) => {
    const basket = baskets[i]!;
    const f = segmentFunds((funds as BrokerMargins)[segment]);
    if (!f?.enabled) {
      warnings.push({
        code: 'SEGMENT_NOT_ENABLED',
        message: `the ${segment} segment is not enabled on the account: no margin is available there`,
      });
    }
    return {
      segment,
      required: basket.final.total,
      initial: basket.initial.total,
      available: f?.enabled ? f.net : 0,
      used: f?.enabled ? f.used : 0,
      settings: strategy.settings,
    };
  });
  const check = checkMarginBySegment(parts);
  return {
    margin: {
      required: check.required,
      initial: check.initial,
      available: check.available,
      remaining: check.remaining,
      can_execute: check.can_execute,
      required_with_buffer: check.required_with_buffer,
      utilization_pct: check.utilization_pct,
      strategy: strategy.name,
      margin_buffer_pct: strategy.settings.margin_buffer_pct,
      max_margin_utilization_pct: strategy.settings.max_margin_utilization_pct,
      segments: check.segments.map((s, i) => ({
        segment: s.segment,
        required: s.required,
        initial: s.initial,
        available: s.available,
        used: parts[i]!.used,
        remaining: s.remaining,
        required_with_buffer: s.required_with_buffer,
        utilization_pct: s.utilization_pct,
        can_execute: s.can_execute,
      })),
    },
    warnings: [...warnings, ...check.warnings],
  };
}

/** A leg as Kite's margin APIs take it: a LIMIT at its price, or MARKET (last price) without one. */
function marginOrder(leg: {
  exchange: string;
  tradingsymbol: string;
  side: Side;
  product: string;
  quantity: number;
  price?: number | null;
}): MarginOrder {
  const priced = leg.price !== undefined && leg.price !== null && leg.price > 0;
  return {
    exchange: leg.exchange,
    tradingsymbol: leg.tradingsymbol,
    transaction_type: leg.side,
    variety: 'regular',
    product: leg.product,
    order_type: priced ? 'LIMIT' : 'MARKET',
    quantity: leg.quantity,
    price: priced ? leg.price! : 0,
    trigger_price: 0,
  };
}

const marginSettings = (s: MarginSettings): MarginSettings => ({
  margin_buffer_pct: s.margin_buffer_pct,
  max_margin_utilization_pct: s.max_margin_utilization_pct,
});

/** A strategy's name and margin settings (NOT_FOUND, exit 2, for an unknown one). */
async function strategySettings(ctx: DaemonContext, ref: string | number | undefined) {
  const s = await getStrategyWithSettings(ctx.store.db, ref ?? DEFAULT_STRATEGY);
  return { name: s.name, settings: marginSettings(s.settings) };
}

const calculate: Handler<'costs.calculate'> = async ({ instruments, date, strategy, margin }, ctx) => {
  // Resolve the strategy first: an unknown one is bad input whatever else the basket says.
  const settings = await strategySettings(ctx, strategy);
  const today = istDate(ctx.clock.now());
  const master = await basketMaster(ctx, instruments);
  const costs = ctx.config().config.costs;
  const estimate = estimateCosts(
    {
      ...(date !== undefined ? { date } : {}),
      legs: instruments.map((l) => ({
        symbol: l.symbol,
        quantity: l.quantity,
        side: l.side,
        product: l.product,
        price: l.price,
        exit_price: l.exit_price,
      })),
    },
    {
      today,
      instrument: master.instrument,
      exchangesListing: master.exchangesListing,
      userSchedules: costs.schedules,
      chargesWarningPct: costs.charges_warning_pct,
    },
  );
  if ('code' in estimate) throw inputError(estimate, instruments);

  const warnings: CostWarning[] = [...estimate.warnings];
  let check: MarginCheckView | null = null;
  if (margin) {
    const notInMaster = estimate.legs.filter((l) => !master.instrument(l.exchange, l.tradingsymbol));
    if (notInMaster.length > 0) {
      warnings.push({
        code: 'MARGIN_SKIPPED',
        message: `margin not calculated: the broker cannot margin ${notInMaster.map((l) => l.symbol).join(', ')} (not in today's instrument master)`,
      });
    } else if (estimate.date !== today) {
      // The broker margins against today's account and prices; a costing for another day gets charges only.
      warnings.push({
        code: 'MARGIN_SKIPPED',
        message: `margin not calculated: it is today's (${today}) figure, and this costing is for ${estimate.date}`,
      });
    } else {
      requireSession(ctx, ', or add --no-margin for charges only');
      const m = await marginCheck(ctx, estimate.legs.map(marginOrder), settings);
      check = m.margin;
      warnings.push(...m.warnings);
    }
  }
  return {
    date: estimate.date,
    legs: estimate.legs,
    total_entry_cost: estimate.total_entry_cost,
    total_exit_cost: estimate.total_exit_cost,
    breakdown: estimate.breakdown,
    round_trip_charges: estimate.round_trip_charges,
    margin: check,
    warnings,
  };
};

/**
 * A strategy's open legs: its shares of the account's positions (src/domain/position-shares.ts),
 * carried across days. Without a strategy: every open position.
 */
async function openLegs(ctx: DaemonContext, strategyId: number | null) {
  if (strategyId === null) {
    return (await positionViews(ctx.store.db, false)).map((p) => ({
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      quantity: p.quantity,
    }));
  }
  return (await loadShares(ctx.store.db))
    .filter((s) => s.strategy_id === strategyId && s.quantity !== 0)
    .map((s) => ({ exchange: s.exchange, tradingsymbol: s.tradingsymbol, product: s.product, quantity: s.quantity }));
}

const marginCalculate: Handler<'margin.calculate'> = async ({ strategy, instruments }, ctx) => {
  const s = strategy === undefined ? null : await getStrategyWithSettings(ctx.store.db, strategy);
  // The margin settings: the named strategy's, else default's (as costs.calculate).
  const settings = s ? { name: s.name, settings: marginSettings(s.settings) } : await strategySettings(ctx, undefined);

  const master = await basketMaster(ctx, instruments);
  const legWarnings: CostWarning[] = [];
  const proposed = instruments.map((l, i) => {
    const read = readLeg(l, i, { listing: master, priceRequired: false });
    if ('code' in read) throw inputError(read, instruments);
    legWarnings.push(...read.warnings);
    const { exchange, tradingsymbol, side, product, quantity, price } = read.leg;
    const instrument = master.instrument(exchange, tradingsymbol);
    if (!instrument) {
      throw inputError(
        { code: 'NOT_FOUND', message: `leg ${i + 1}: no instrument ${key(exchange, tradingsymbol)}`, leg: i },
        instruments,
      );
    }
    return { exchange, tradingsymbol: instrument.tradingsymbol, side, product, quantity, price };
  });

  const open = (await openLegs(ctx, s?.id ?? null)).map((l) => {
    const side: Side = l.quantity > 0 ? 'BUY' : 'SELL';
    return {
      source: 'position' as const,
      exchange: l.exchange,
      tradingsymbol: l.tradingsymbol,
      side,
      quantity: Math.abs(l.quantity),
      product: l.product,
      price: null,
    };
  });
  const proposedLegs = proposed.map((p) => ({ source: 'proposed' as const, ...p }));
  const legs = [...open, ...proposedLegs];
  if (legs.length === 0) {
    return { strategy: s?.name ?? null, legs, open: null, with_proposed: null, margin: null, warnings: legWarnings };
  }

  requireSession(ctx, '');
  const broker = ctx.link.broker;
  const totals = async (basket: typeof legs) => {
    const m = await broker.basketMargins(basket.map(marginOrder), false);
    return { initial: m.initial.total, final: m.final.total };
  };
  const [openTotals, combinedTotals, check] = await Promise.all([
    open.length > 0 ? totals(open) : Promise.resolve(null),
    proposedLegs.length > 0 ? totals(legs) : Promise.resolve(null),
    proposedLegs.length > 0 ? marginCheck(ctx, proposedLegs.map(marginOrder), settings) : Promise.resolve(null),
  ]);
  return {
    strategy: s?.name ?? null,
    legs,
    open: openTotals,
    with_proposed: combinedTotals,
    margin: check?.margin ?? null,
    warnings: [...legWarnings, ...(check?.warnings ?? [])],
  };
};

const available: Handler<'margin.available'> = async (_params, ctx) => {
  requireSession(ctx, '');
  const funds = await ctx.link.broker.margins();
  return { equity: segmentFunds(funds.equity), commodity: segmentFunds(funds.commodity) };
};

export const costHandlers = {
  'costs.calculate': calculate,
  'margin.calculate': marginCalculate,
  'margin.available': available,
};
