/**
 * Holdings: the demat side of the paper account, in the shapes of GET /portfolio/holdings
 * (holdings.json), /portfolio/holdings/compact (holdings_compact.json) and the holdings
 * summary (holdings_summary.json).
 *
 * A holding starts from the configured seed portfolio or from a CNC buy. Settlement is T+1:
 * a CNC buy shows in positions on the day it is made; at the next trading day's roll it
 * becomes a holding in `t1_quantity` (bought, not yet in the demat account), and at the roll
 * after that it joins `quantity`. Selling a holding shows as a negative CNC position the same
 * day and as `used_quantity` here; the roll then takes it out of the holding.
 *
 * Row formulas (checked on holdings.json's AARON row: 1 share at 161, last 352.95, close 352.35):
 *   pnl                   = (last_price - average_price) x (quantity + t1_quantity)   = 191.95
 *   day_change            = last_price - close_price                                  = 0.60
 *   day_change_percentage = day_change / close_price x 100                            = 0.1703
 * (pnl formula: kite.trade/forum/discussion/comment/26411.)
 */
import type { Exchange } from '../../domain/instrument.js';
import type { PriceLookup } from './types.js';

/** A holding in the configured starting portfolio. */
export interface HoldingSeed {
  tradingsymbol: string;
  exchange: Exchange;
  quantity: number;
  average_price: number;
  /** Looked up in the instrument master when absent. */
  instrument_token?: number;
  isin?: string;
  t1_quantity?: number;
}

/** One row of GET /portfolio/holdings (holdings.json), keys in its order. */
export interface KiteHolding {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  isin: string;
  product: string;
  price: number;
  quantity: number;
  used_quantity: number;
  t1_quantity: number;
  realised_quantity: number;
  authorised_quantity: number;
  authorised_date: string;
  authorisation: Record<string, never>;
  opening_quantity: number;
  short_quantity: number;
  collateral_quantity: number;
  collateral_type: string;
  discrepancy: boolean;
  average_price: number;
  last_price: number;
  close_price: number;
  pnl: number;
  day_change: number;
  day_change_percentage: number;
  mtf: { quantity: number; used_quantity: number; average_price: number; value: number; initial_margin: number };
}

/** One row of GET /portfolio/holdings/compact (holdings_compact.json). */
export interface KiteCompactHolding {
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  t1_quantity: number;
  quantity: number;
}

/** The holdings summary (holdings_summary.json). */
export interface KiteHoldingsSummary {
  total_pnl: number;
  total_pnl_percent: number;
  today_pnl: number;
  today_pnl_percent: number;
  invested_amount: number;
  current_value: number;
}

export interface HoldingLedger {
  instrument_token: number;
  exchange: Exchange;
  tradingsymbol: string;
  isin: string;
  /** Settled quantity, in the demat account. */
  quantity: number;
  /** Bought on the previous trading day, settling today. */
  t1_quantity: number;
  /** Average over quantity + t1_quantity. */
  average_price: number;
  /** Quantity at the start of the day. */
  opening_quantity: number;
}

/** Today's CNC trading of one instrument, as the day roll settles it into holdings. */
export interface CncDay {
  exchange: Exchange;
  tradingsymbol: string;
  instrument_token: number;
  isin?: string;
  /** Net quantity bought today (negative when more was sold than bought). */
  net_quantity: number;
  /** Average price of today's buys: the cost of what joins the holding. */
  buy_price: number;
}

const key = (exchange: string, tradingsymbol: string): string => `${exchange}:${tradingsymbol}`;

export class HoldingsBook {
  readonly #ledgers = new Map<string, HoldingLedger>();

  constructor(ledgers: readonly HoldingLedger[] = []) {
    for (const l of ledgers) this.#ledgers.set(key(l.exchange, l.tradingsymbol), { ...l });
  }

  /** Builds the starting portfolio; `tokenOf` finds tokens and ISINs the seed leaves out. */
  static fromSeeds(
    seeds: readonly HoldingSeed[],
    tokenOf: (exchange: string, tradingsymbol: string) => { instrument_token: number; isin?: string } | undefined,
  ): HoldingsBook {
    const book = new HoldingsBook();
    for (const s of seeds) {
      const found = tokenOf(s.exchange, s.tradingsymbol);
      book.#ledgers.set(key(s.exchange, s.tradingsymbol), {
        instrument_token: s.instrument_token ?? found?.instrument_token ?? 0,
        exchange: s.exchange,
        tradingsymbol: s.tradingsymbol,
        isin: s.isin ?? found?.isin ?? '',
        quantity: s.quantity,
        t1_quantity: s.t1_quantity ?? 0,
        average_price: s.average_price,
        opening_quantity: s.quantity,
      });
    }
    return book;
  }

  ledgers(): HoldingLedger[] {
    return [...this.#ledgers.values()].map((l) => ({ ...l }));
  }

  get(exchange: string, tradingsymbol: string): HoldingLedger | undefined {
    const l = this.#ledgers.get(key(exchange, tradingsymbol));
    return l ? { ...l } : undefined;
  }

  /** Quantity that may be sold from holdings (settled plus T1), before today's sales. */
  held(exchange: string, tradingsymbol: string): number {
    const l = this.#ledgers.get(key(exchange, tradingsymbol));
    return l ? l.quantity + l.t1_quantity : 0;
  }

  /**
   * GET /portfolio/holdings `data`. `soldToday` is how much of each holding today's CNC
   * trading has sold (the negative part of its CNC position); `today` is the IST date.
   */
  rows(
    prices: PriceLookup,
    soldToday: (exchange: string, tradingsymbol: string) => number,
    today: string,
  ): KiteHolding[] {
    return [...this.#ledgers.values()].map((l) => {
      const last = prices.lastPrice(l.instrument_token) ?? l.average_price;
      const close = prices.closePrice?.(l.instrument_token) ?? last;
      const held = l.quantity + l.t1_quantity;
      const dayChange = last - close;
      return {
        tradingsymbol: l.tradingsymbol,
        exchange: l.exchange,
        instrument_token: l.instrument_token,
        isin: l.isin,
        product: 'CNC',
        price: 0,
        quantity: l.quantity,
        used_quantity: Math.min(held, Math.max(0, soldToday(l.exchange, l.tradingsymbol))),
        t1_quantity: l.t1_quantity,
        realised_quantity: l.quantity,
        authorised_quantity: 0,
        authorised_date: `${today} 00:00:00`,
        authorisation: {},
        opening_quantity: l.opening_quantity,
        short_quantity: 0,
        collateral_quantity: 0,
        collateral_type: '',
        discrepancy: false,
        average_price: l.average_price,
        last_price: last,
        close_price: close,
        pnl: (last - l.average_price) * held,
        day_change: dayChange,
        day_change_percentage: close === 0 ? 0 : (dayChange / close) * 100,
        mtf: { quantity: 0, used_quantity: 0, average_price: 0, value: 0, initial_margin: 0 },
      };
    });
  }

  /** GET /portfolio/holdings/compact `data`. */
  compact(): KiteCompactHolding[] {
    return [...this.#ledgers.values()].map((l) => ({
      exchange: l.exchange,
      tradingsymbol: l.tradingsymbol,
      instrument_token: l.instrument_token,
      t1_quantity: l.t1_quantity,
      quantity: l.quantity,
    }));
  }

  /**
   * The holdings summary. Invested = average price x held quantity; today's P&L percentage is
   * on yesterday's value (current - today's P&L), which reproduces holdings_summary.json.
   */
  summary(prices: PriceLookup): KiteHoldingsSummary {
    let invested = 0;
    let current = 0;
    let today = 0;
    for (const l of this.#ledgers.values()) {
      const held = l.quantity + l.t1_quantity;
      const last = prices.lastPrice(l.instrument_token) ?? l.average_price;
      const close = prices.closePrice?.(l.instrument_token) ?? last;
      invested += l.average_price * held;
      current += last * held;
      today += (last - close) * held;
    }
    const total = current - invested;
    const previous = current - today;
    return {
      total_pnl: total,
      total_pnl_percent: invested === 0 ? 0 : (total / invested) * 100,
      today_pnl: today,
      today_pnl_percent: previous === 0 ? 0 : (today / previous) * 100,
      invested_amount: invested,
      current_value: current,
    };
  }

  /**
   * The roll into the next trading day: yesterday's T1 settles into `quantity`, today's CNC
   * sales leave the holding (settled shares first), today's net CNC buys become T1 at their buy
   * price, and the opening quantity is reset.
   */
  settle(days: readonly CncDay[]): void {
    for (const l of this.#ledgers.values()) {
      l.quantity += l.t1_quantity;
      l.t1_quantity = 0;
    }
    for (const d of days) {
      const k = key(d.exchange, d.tradingsymbol);
      let l = this.#ledgers.get(k);
      if (d.net_quantity < 0) {
        if (!l) continue;
        l.quantity = Math.max(0, l.quantity + d.net_quantity);
      } else if (d.net_quantity > 0) {
        if (!l) {
          l = {
            instrument_token: d.instrument_token,
            exchange: d.exchange,
            tradingsymbol: d.tradingsymbol,
            isin: d.isin ?? '',
            quantity: 0,
            t1_quantity: 0,
            average_price: 0,
            opening_quantity: 0,
          };
          this.#ledgers.set(k, l);
        }
        const held = l.quantity + l.t1_quantity;
        l.average_price = (l.average_price * held + d.buy_price * d.net_quantity) / (held + d.net_quantity);
        l.t1_quantity += d.net_quantity;
      }
    }
    for (const [k, l] of [...this.#ledgers]) {
      if (l.quantity + l.t1_quantity <= 0) this.#ledgers.delete(k);
      else l.opening_quantity = l.quantity;
    }
  }
}
