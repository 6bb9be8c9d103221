/**
 * The one paper user's account: funds, positions, holdings and margins, kept from the fills
 * the matching engine reports and the orders it holds open. The HTTP server calls it:
 *
 *   GET  /user/margins[/{segment}]   margins(), segmentMargins()
 *   GET  /portfolio/positions        positions()
 *   PUT  /portfolio/positions        convertPosition()
 *   GET  /portfolio/holdings         holdings(), holdingsCompact(), holdingsSummary()
 *   POST /margins/orders, /basket    orderMargins(), basketMargins()
 *
 * and the matching engine's wiring calls:
 *
 *   canAfford(order)      the margin check on placement and modification
 *   onOrderUpdate(order)  after every order change: an open order blocks its margin for its
 *                         pending quantity; a filled, cancelled or rejected one releases it
 *   applyTrade(trade)     after every fill: the quantity moves into positions
 *   rollDay(date)         once at the start of each trading day: settles the day into cash,
 *                         carries F&O positions, turns CNC buys into holdings (T+1)
 *
 * Blocks are recomputed from the open orders whenever funds are read, so an order's block
 * always reflects the positions it would join.
 */
import type { Clock } from '../../market/clock.js';
import { istDate } from '../../market/ist.js';
import { type ConvertPositionParams, checkConversion } from './conversion.js';
import {
  dayFlows,
  type KiteMargins,
  type KiteSegmentMargins,
  type SegmentFundsConfig,
  type SettlementKind,
  segmentMargins,
  settlementCash,
  type ValuedLedger,
} from './funds.js';
import {
  type CncDay,
  type HoldingSeed,
  HoldingsBook,
  type KiteCompactHolding,
  type KiteHolding,
  type KiteHoldingsSummary,
} from './holdings.js';
import { type MarginParts, portfolioParts, ZERO_PARTS } from './margin-model.js';
import {
  basketMargins,
  type ChargesFn,
  compactMargins,
  type KiteBasketMargins,
  type KiteCompactOrderMargin,
  type KiteOrderMargin,
  type MarginMarket,
  type OpenPosition,
  orderMargins,
  orderRequirement,
  positionLegs,
} from './order-margins.js';
import {
  type KitePositions,
  netQuantity,
  type PnlFields,
  PositionBook,
  type PositionLedger,
  positionFigures,
  positionRow,
  tradedToday,
} from './positions.js';
import { DEFAULT_MARGIN_RATES, type MarginRates } from './rates.js';
import {
  type AccountError,
  type AccountInstrument,
  type AccountResult,
  type InstrumentLookup,
  isOption,
  type MarginOrderInput,
  type OrderLike,
  type PriceLookup,
  SEGMENTS,
  type Segment,
  segmentOf,
  type TradeInput,
} from './types.js';

export interface AccountConfig {
  funds: Record<Segment, SegmentFundsConfig>;
  /** The starting portfolio. */
  holdings: HoldingSeed[];
  rates: MarginRates;
  pnlFields: PnlFields;
}

/**
 * Defaults: 10,00,000 in equity and 1,00,000 in commodity, so that MCX orders work out of the
 * box; no holdings; Kite's own realised/unrealised reporting.
 */
export const DEFAULT_ACCOUNT_CONFIG: Readonly<AccountConfig> = {
  funds: {
    equity: { enabled: true, opening_balance: 1_000_000, collateral: 0, adhoc_margin: 0 },
    commodity: { enabled: true, opening_balance: 100_000, collateral: 0, adhoc_margin: 0 },
  },
  holdings: [],
  rates: DEFAULT_MARGIN_RATES,
  pnlFields: 'kite',
};

export interface AccountConfigInput {
  funds?: Partial<Record<Segment, Partial<SegmentFundsConfig>>>;
  holdings?: HoldingSeed[];
  rates?: MarginRates;
  pnlFields?: PnlFields;
}

export interface PaperAccountOptions {
  clock: Clock;
  instruments: InstrumentLookup;
  prices: PriceLookup;
  config?: AccountConfigInput;
  /** The charges engine; without it margin `charges` are zeros. */
  chargesFor?: ChargesFn;
  /** The trading day the account starts in (IST `YYYY-MM-DD`); the clock's date by default. */
  tradingDate?: string;
}

/** The answer to the matching engine's margin check (its MarginCheck). */
export type MarginCheck = { ok: true } | { ok: false; required: number; available: number };

/** Statuses in which an order is still working and keeps its margin blocked. */
const OPEN_STATUSES: ReadonlySet<string> = new Set([
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'OPEN',
  'TRIGGER PENDING',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'CANCEL PENDING',
  'AMO REQ RECEIVED',
  'UPDATE',
]);

function pendingOf(o: OrderLike): number {
  return o.pending_quantity ?? o.quantity - (o.filled_quantity ?? 0);
}

interface SegmentCash {
  config: SegmentFundsConfig;
  intraday_payin: number;
  payout: number;
}

export class PaperAccount {
  readonly #clock: Clock;
  readonly #instruments: InstrumentLookup;
  readonly #prices: PriceLookup;
  readonly #chargesFor: ChargesFn | undefined;
  readonly #rates: MarginRates;
  readonly #pnlFields: PnlFields;
  readonly #positions = new PositionBook();
  readonly #holdings: HoldingsBook;
  readonly #cash: Record<Segment, SegmentCash>;
  /** Open orders by order_id, with the quantity still to fill. */
  readonly #open = new Map<string, OrderLike>();
  #date: string;

  constructor(options: PaperAccountOptions) {
    this.#clock = options.clock;
    this.#instruments = options.instruments;
    this.#prices = options.prices;
    this.#chargesFor = options.chargesFor;
    const c = options.config ?? {};
    this.#rates = c.rates ?? DEFAULT_ACCOUNT_CONFIG.rates;
    this.#pnlFields = c.pnlFields ?? DEFAULT_ACCOUNT_CONFIG.pnlFields;
    this.#cash = {
      equity: { config: { ...DEFAULT_ACCOUNT_CONFIG.funds.equity, ...c.funds?.equity }, intraday_payin: 0, payout: 0 },
      commodity: {
        config: { ...DEFAULT_ACCOUNT_CONFIG.funds.commodity, ...c.funds?.commodity },
        intraday_payin: 0,
        payout: 0,
      },
    };
    this.#holdings = HoldingsBook.fromSeeds(c.holdings ?? DEFAULT_ACCOUNT_CONFIG.holdings, (ex, sym) =>
      this.#instruments(ex, sym),
    );
    this.#date = options.tradingDate ?? istDate(this.#clock.now());
  }

  /** The trading day the account is in (IST `YYYY-MM-DD`). */
  tradingDate(): string {
    return this.#date;
  }

  // ---- trades and orders ------------------------------------------------------------

  /** Books a fill into positions. */
  applyTrade(trade: TradeInput): void {
    const i = this.#instruments(trade.exchange, trade.tradingsymbol);
    this.#positions.applyTrade(trade, i?.multiplier ?? 1);
  }

  /**
   * Follows an order's life: while it is open its pending quantity blocks margin; once it is
   * complete, cancelled or rejected the block is released. Call after `applyTrade` for a fill.
   */
  onOrderUpdate(order: OrderLike): void {
    if (order.order_id === undefined) return;
    const open = order.status === undefined || OPEN_STATUSES.has(order.status);
    if (open && pendingOf(order) > 0) this.#open.set(order.order_id, { ...order });
    else this.#open.delete(order.order_id);
  }

  /** Margin currently blocked by an open order (0 when none). */
  blockedFor(orderId: string): number {
    const o = this.#open.get(orderId);
    return o ? this.#blockOf(o) : 0;
  }

  /**
   * The margin check for an order as it would stand (new, or modified: its own current block
   * counts as available). Requirement: what its pending quantity adds to the open positions'
   * margin (`orderRequirement`). An unknown instrument passes: the engine refuses those itself.
   */
  canAfford(order: OrderLike): MarginCheck {
    const segment = segmentOf(order.exchange);
    const req = orderRequirement({ ...order, quantity: pendingOf(order) }, this.#openPositions(), this.#market());
    if (!req.ok) return { ok: true };
    const own = order.order_id !== undefined ? this.blockedFor(order.order_id) : 0;
    const available = this.#segment(segment).net + own;
    return req.value <= available ? { ok: true } : { ok: false, required: req.value, available };
  }

  // ---- positions and holdings -------------------------------------------------------

  /** GET /portfolio/positions `data`. */
  positions(): KitePositions {
    const net = [];
    const day = [];
    for (const l of this.#positions.ledgers()) {
      const ltp = this.#lastPrice(l);
      net.push(positionRow(l, ltp, 'net', this.#pnlFields));
      if (tradedToday(l)) day.push(positionRow(l, ltp, 'day', this.#pnlFields));
    }
    return { net, day };
  }

  /** GET /portfolio/holdings `data`. */
  holdings(): KiteHolding[] {
    return this.#holdings.rows(this.#prices, (ex, sym) => this.#soldFromHoldings(ex, sym), this.#date);
  }

  holdingsCompact(): KiteCompactHolding[] {
    return this.#holdings.compact();
  }

  holdingsSummary(): KiteHoldingsSummary {
    return this.#holdings.summary(this.#prices);
  }

  /** What a CNC sell may still take from holdings today. */
  sellableQuantity(exchange: string, tradingsymbol: string): number {
    return Math.max(0, this.#holdings.held(exchange, tradingsymbol) - this.#soldFromHoldings(exchange, tradingsymbol));
  }

  /** PUT /portfolio/positions: moves quantity between products after checking rules and funds. */
  convertPosition(params: ConvertPositionParams): AccountResult<true> {
    const instrument = this.#instruments(params.exchange, params.tradingsymbol);
    const ledger = this.#positions.get(params.exchange, params.tradingsymbol, params.old_product);
    const checked = checkConversion(
      params,
      ledger,
      instrument,
      this.sellableQuantity(params.exchange, params.tradingsymbol),
    );
    if (!checked.ok) return checked;
    const c = checked.value;

    const segment = segmentOf(params.exchange);
    const before = this.#segment(segment).net;
    const trial = this.#positions.clone();
    trial.move(c.from, c.toProduct, c.side, c.positionType, c.quantity);
    const after = this.#segmentWith(segment, trial).net;
    if (after < 0 && after < before) {
      const required = before - after;
      const error: AccountError = {
        code: 'INSUFFICIENT_FUNDS',
        error_type: 'MarginException',
        message: `Insufficient funds. Required margin is ${required.toFixed(2)} but available margin is ${before.toFixed(2)}.`,
        http_status: 400,
      };
      return { ok: false, error };
    }
    this.#positions.move(c.from, c.toProduct, c.side, c.positionType, c.quantity);
    return { ok: true, value: true };
  }

  // ---- funds and margins --------------------------------------------------------------

  /** GET /user/margins `data`. */
  margins(): KiteMargins {
    return { equity: this.#segment('equity'), commodity: this.#segment('commodity') };
  }

  /** GET /user/margins/{segment} `data`; an unknown segment is an InputException. */
  segmentMargins(segment: string): AccountResult<KiteSegmentMargins> {
    if (!(SEGMENTS as readonly string[]).includes(segment)) {
      return {
        ok: false,
        error: { code: 'INVALID_SEGMENT', error_type: 'InputException', message: 'Invalid segment.', http_status: 400 },
      };
    }
    return { ok: true, value: this.#segment(segment as Segment) };
  }

  /** Adds funds to a segment during the day (`intraday_payin`). */
  addFunds(segment: Segment, amount: number): void {
    this.#cash[segment].intraday_payin += amount;
  }

  /** Requests a withdrawal (`payout`): it leaves the available balance at once. */
  withdraw(segment: Segment, amount: number): void {
    this.#cash[segment].payout += amount;
  }

  /** POST /margins/orders `data`. */
  orderMargins(
    orders: readonly MarginOrderInput[],
    mode: 'full' | 'compact' = 'full',
  ): AccountResult<KiteOrderMargin[] | KiteCompactOrderMargin[]> {
    const r = orderMargins(orders, this.#openPositions(), this.#market());
    if (!r.ok || mode === 'full') return r;
    return { ok: true, value: compactMargins(r.value) };
  }

  /** POST /margins/basket `data`. */
  basketMargins(orders: readonly MarginOrderInput[], considerPositions = true): AccountResult<KiteBasketMargins> {
    return basketMargins(orders, this.#openPositions(), considerPositions, this.#market());
  }

  // ---- the day roll -----------------------------------------------------------------

  /**
   * Ends the trading day and starts `nextDate`, with the current last prices as the day's
   * closes:
   * - each segment's day settles into its next opening balance (`settlementCash`), along
   *   with pay-ins, payouts, and the intrinsic value of options expiring before `nextDate`
   *   (credited to longs, debited to shorts);
   * - today's CNC trading goes to holdings (buys as T1; yesterday's T1 settles);
   * - other open positions carry over: overnight_quantity = the net quantity at its average
   *   price, close_price = today's last price; expired contracts and flat positions drop out;
   * - open orders are forgotten (DAY orders end with the day; the engine cancels them).
   */
  rollDay(nextDate: string): void {
    const carried: PositionLedger[] = [];
    const cncDays: CncDay[] = [];
    const cashDelta: Record<Segment, number> = { equity: 0, commodity: 0 };
    const valued: Record<Segment, ValuedLedger[]> = { equity: [], commodity: [] };

    for (const l of this.#positions.ledgers()) {
      const segment = segmentOf(l.exchange);
      const ltp = this.#lastPrice(l);
      const instrument = this.#instruments(l.exchange, l.tradingsymbol);
      const kind = this.#kindOf(l, instrument);
      valued[segment].push({ ledger: l, last_price: ltp, kind });
      const q = netQuantity(l);

      if (kind === 'cnc') {
        cncDays.push({
          exchange: l.exchange,
          tradingsymbol: l.tradingsymbol,
          instrument_token: l.instrument_token,
          ...(instrument?.isin !== undefined ? { isin: instrument.isin } : {}),
          net_quantity: q,
          buy_price: l.day_buy_quantity === 0 ? 0 : l.day_buy_value / (l.day_buy_quantity * l.multiplier),
        });
        continue;
      }
      const expired = instrument?.expiry != null && instrument.expiry < nextDate;
      if (expired) {
        if (kind === 'option' && q !== 0)
          cashDelta[segment] += q * l.multiplier * this.#expirySettlement(instrument, ltp);
        continue;
      }
      if (q === 0) continue;
      const f = positionFigures(l, ltp, 'net');
      carried.push({
        ...l,
        overnight_quantity: q,
        overnight_price: f.average_price,
        close_price: ltp,
        day_buy_quantity: 0,
        day_buy_value: 0,
        day_sell_quantity: 0,
        day_sell_value: 0,
      });
    }

    for (const segment of SEGMENTS) {
      const c = this.#cash[segment];
      const settled = settlementCash(dayFlows(valued[segment]));
      c.config.opening_balance += c.intraday_payin - c.payout + settled + cashDelta[segment];
      c.intraday_payin = 0;
      c.payout = 0;
    }
    this.#holdings.settle(cncDays);
    this.#positions.replace(carried);
    this.#open.clear();
    this.#date = nextDate;
  }

  // ---- internals ------------------------------------------------------------------------

  #market(): MarginMarket {
    return {
      instruments: this.#instruments,
      prices: this.#prices,
      today: this.#date,
      rates: this.#rates,
      ...(this.#chargesFor ? { chargesFor: this.#chargesFor } : {}),
    };
  }

  #lastPrice(l: PositionLedger): number {
    const p = this.#prices.lastPrice(l.instrument_token);
    if (p !== undefined && p > 0) return p;
    return l.last_fill_price > 0 ? l.last_fill_price : l.close_price;
  }

  #kindOf(l: PositionLedger, instrument: AccountInstrument | undefined): SettlementKind {
    if (instrument && isOption(instrument.instrument_type)) return 'option';
    if (l.product === 'CNC') return 'cnc';
    return 'mtm';
  }

  /** Settlement price per unit of an expiring option: intrinsic value at the underlying's price. */
  #expirySettlement(i: AccountInstrument, lastPrice: number): number {
    const u = this.#prices.underlyingPrice?.(i);
    if (u === undefined || u <= 0) return lastPrice;
    return i.instrument_type === 'CE' ? Math.max(0, u - i.strike) : Math.max(0, i.strike - u);
  }

  #openPositions(book: PositionBook = this.#positions): OpenPosition[] {
    return book.ledgers().map((l) => ({
      exchange: l.exchange,
      tradingsymbol: l.tradingsymbol,
      product: l.product,
      quantity: netQuantity(l),
    }));
  }

  /** How much of a holding today's CNC trading has sold. */
  #soldFromHoldings(exchange: string, tradingsymbol: string): number {
    const l = this.#positions.get(exchange, tradingsymbol, 'CNC');
    return l ? Math.max(0, -netQuantity(l)) : 0;
  }

  #blockOf(o: OrderLike, book: PositionBook = this.#positions): number {
    const r = orderRequirement({ ...o, quantity: pendingOf(o) }, this.#openPositions(book), this.#market());
    return r.ok ? r.value : 0;
  }

  #segment(segment: Segment): KiteSegmentMargins {
    return this.#segmentWith(segment, this.#positions);
  }

  #segmentWith(segment: Segment, book: PositionBook): KiteSegmentMargins {
    const valued: ValuedLedger[] = [];
    const marginPositions: OpenPosition[] = [];
    for (const l of book.ledgers()) {
      if (segmentOf(l.exchange) !== segment) continue;
      const kind = this.#kindOf(l, this.#instruments(l.exchange, l.tradingsymbol));
      valued.push({ ledger: l, last_price: this.#lastPrice(l), kind });
      // CNC positions are paid for in full through cash; only the others use margin.
      if (l.product !== 'CNC')
        marginPositions.push({
          exchange: l.exchange,
          tradingsymbol: l.tradingsymbol,
          product: l.product,
          quantity: netQuantity(l),
        });
    }
    const margin: MarginParts = marginPositions.length
      ? portfolioParts(positionLegs(marginPositions, this.#market()), this.#rates, this.#date)
      : { ...ZERO_PARTS };
    let blocked = 0;
    for (const o of this.#open.values()) {
      if (segmentOf(o.exchange) === segment) blocked += this.#blockOf(o, book);
    }
    const c = this.#cash[segment];
    return segmentMargins({
      config: c.config,
      intraday_payin: c.intraday_payin,
      payout: c.payout,
      flows: dayFlows(valued),
      margin,
      blocked,
    });
  }
}
