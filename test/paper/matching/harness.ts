/** A controllable world for the matching engine: clock, instruments, session, margin, quotes. */
import type { Exchange } from '../../../src/domain/instrument.js';
import type { Quote } from '../../../src/domain/quote.js';
import { ManualClock } from '../../../src/market/clock.js';
import {
  type DepthConsumption,
  type InstrumentFacts,
  type MarginCheck,
  MatchingEngine,
  type MatchingRules,
  type OrderEvent,
  type PlaceParams,
  type SessionState,
} from '../../../src/paper/matching/index.js';

/** Monday 2026-03-02 10:00 IST (a trading day), as UTC. */
export const TEN_AM_IST = '2026-03-02T04:30:00.000Z';

export const SBIN: InstrumentFacts = {
  instrument: {
    instrument_token: 779521,
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    tick_size: 0.05,
    lot_size: 1,
    expiry: null,
    instrument_type: 'EQ',
    last_price: 500,
  },
  freeze_quantity: null,
};

export const NIFTY_CE: InstrumentFacts = {
  instrument: {
    instrument_token: 10189826,
    exchange: 'NFO',
    tradingsymbol: 'NIFTY2631024400CE',
    tick_size: 0.05,
    lot_size: 75,
    expiry: '2026-03-10',
    instrument_type: 'CE',
    last_price: 120,
  },
  freeze_quantity: 1800,
};

export const EXPIRED_FUT: InstrumentFacts = {
  instrument: {
    instrument_token: 13238786,
    exchange: 'NFO',
    tradingsymbol: 'NIFTY26FEBFUT',
    tick_size: 0.1,
    lot_size: 75,
    expiry: '2026-02-24',
    instrument_type: 'FUT',
    last_price: 24400,
  },
  freeze_quantity: 1800,
};

type Level = [price: number, quantity: number];

/** A quote in Kite's shape with the given last price, depth (best first) and circuit band. */
export function quote(
  token: number,
  last_price: number,
  depth: { bids?: Level[]; asks?: Level[] } = {},
  circuit: { lower: number; upper: number } = { lower: 450, upper: 550 },
): Quote {
  const side = (levels: Level[] = []) => {
    const out = levels.map(([price, quantity]) => ({ price, quantity, orders: 1 }));
    while (out.length < 5) out.push({ price: 0, quantity: 0, orders: 0 });
    return out;
  };
  return {
    instrument_token: token,
    timestamp: '2026-03-02 10:00:00',
    last_trade_time: '2026-03-02 10:00:00',
    last_price,
    last_quantity: 1,
    buy_quantity: 0,
    sell_quantity: 0,
    volume: 0,
    average_price: last_price,
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    net_change: 0,
    lower_circuit_limit: circuit.lower,
    upper_circuit_limit: circuit.upper,
    ohlc: { open: last_price, high: last_price, low: last_price, close: last_price },
    depth: { buy: side(depth.bids), sell: side(depth.asks) },
  };
}

export interface World {
  engine: MatchingEngine;
  clock: ManualClock;
  events: OrderEvent[];
  consumed: DepthConsumption[];
  marginCalls: number;
  setSession(state: SessionState): void;
  setMargin(check: MarginCheck): void;
  /** Statuses emitted for one order, in order. */
  statuses(orderId: string): string[];
}

export function world(opts: { rules?: Partial<MatchingRules>; at?: string; session?: SessionState } = {}): World {
  const clock = new ManualClock(opts.at ?? TEN_AM_IST);
  const instruments = new Map<string, InstrumentFacts>();
  for (const f of [SBIN, NIFTY_CE, EXPIRED_FUT])
    instruments.set(`${f.instrument.exchange}:${f.instrument.tradingsymbol}`, f);
  let session: SessionState = opts.session ?? 'open';
  let margin: MarginCheck = { ok: true };
  const events: OrderEvent[] = [];
  const consumed: DepthConsumption[] = [];
  const w: World = {
    clock,
    events,
    consumed,
    marginCalls: 0,
    engine: new MatchingEngine({
      clock,
      instruments: (exchange, symbol) => instruments.get(`${exchange}:${symbol}`),
      session: (_exchange: Exchange) => session,
      checkMargin: () => {
        w.marginCalls += 1;
        return margin;
      },
      consumeDepth: (c) => consumed.push(c),
      userId: 'AB1234',
      ids: { order: 1 },
      ...(opts.rules ? { rules: opts.rules } : {}),
    }),
    setSession: (s) => {
      session = s;
    },
    setMargin: (m) => {
      margin = m;
    },
    statuses: (id) => events.filter((e) => e.order.order_id === id).map((e) => e.status),
  };
  w.engine.subscribe((e) => events.push(e));
  return w;
}

export function sbin(
  p: Partial<PlaceParams> & Pick<PlaceParams, 'transaction_type' | 'order_type' | 'quantity'>,
): PlaceParams {
  return { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', ...p };
}

/** Place and insist it was accepted; returns the order id. */
export function placeOk(w: World, variety: string, params: PlaceParams): string {
  const r = w.engine.place(variety, params);
  if (!r.ok) throw new Error(`expected acceptance, got ${r.error.code}: ${r.error.message}`);
  return r.order_id;
}
