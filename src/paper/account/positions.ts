/**
 * Positions from trades, in the shape of GET /portfolio/positions (positions.json).
 *
 * One ledger per exchange + tradingsymbol + product keeps what Kite's rows are built from: the
 * quantity carried from earlier days (signed) at its average price and the previous close, and
 * today's bought and sold quantities and values. Values include the multiplier:
 * value = price x quantity x multiplier (LEADMINI: 161.05 x 1 x 1000 = 161050).
 *
 * How Kite's fields follow from those (each formula checked against positions.json, whose
 * GOLDGUINEA row carries 3 overnight at 23057 with close 23232, buys 1 at 23388 and sells 4 at
 * 23340 today, last price 23355):
 *
 *   net row: the carried quantity counts as bought (long) or sold (short) at its average price
 *     buy_quantity  = day_buy_quantity + max(overnight, 0)                    3 + 1 = 4
 *     buy_value     = day_buy_value + max(overnight, 0) x overnight_price x m  23388 + 69171 = 92559
 *     buy_m2m       = day_buy_value + max(overnight, 0) x close_price x m      23388 + 69696 = 93084
 *     (sell_* alike with max(-overnight, 0))
 *     buy_price     = buy_value / (buy_quantity x m)                           92559 / 4 = 23139.75
 *     quantity      = buy_quantity - sell_quantity                             4 - 4 = 0
 *     value         = sell_value - buy_value                                   93360 - 92559 = 801
 *     pnl           = (sell_value - buy_value) + quantity x last_price x m     801 + 0 = 801
 *     m2m           = (sell_m2m - buy_m2m) + quantity x last_price x m         93360 - 93084 = 276
 *                     (the carried part marked from the previous close, not its cost)
 *   day row: today's trades only (overnight_quantity 0, buy_* = day_buy_*): for GOLDGUINEA
 *     quantity 1 - 4 = -3, pnl = m2m = 93360 - 23388 - 3 x 23355 = -93.
 *   average_price: the average of every buy when the position is long, of every sell when it
 *     is short, 0 when flat (day row: -3 at 23340 = sell_price). Kite averages all of the
 *     day's trades, not only those of the open position ("Buy average = ((50 x 280) + (70 x
 *     283)) / 120", support.zerodha.com, "Why is there profit in the positions tab on Kite
 *     despite a higher buy average than the LTP?").
 *   realised / unrealised: Kite's API reports realised 0 and unrealised = pnl, even for a
 *     position squared off today (all three rows of positions.json; zerodha/kite-cli v0.2.2:
 *     "Kite reports realised as 0 for positions squared off today"). That is the default
 *     (`pnlFields: 'kite'`). With `'split'` the rows carry the average-price split:
 *       unrealised = (last_price - average_price) x quantity x m, realised = pnl - unrealised
 *     so a flat position shows its whole P&L as realised.
 *   close_price: the previous close for a position carried overnight, 0 otherwise (LEADMINI
 *     and SBIN, traded today only, show 0).
 *
 * A position that goes flat stays in both lists with quantity 0 and its P&L for the day.
 */
import type { Exchange } from '../../domain/instrument.js';
import type { Product, Side, TradeInput } from './types.js';

/** One row of GET /portfolio/positions `net` or `day` (positions.json), keys in its order. */
export interface KitePosition {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  product: string;
  quantity: number;
  overnight_quantity: number;
  multiplier: number;
  average_price: number;
  close_price: number;
  last_price: number;
  value: number;
  pnl: number;
  m2m: number;
  unrealised: number;
  realised: number;
  buy_quantity: number;
  buy_price: number;
  buy_value: number;
  buy_m2m: number;
  sell_quantity: number;
  sell_price: number;
  sell_value: number;
  sell_m2m: number;
  day_buy_quantity: number;
  day_buy_price: number;
  day_buy_value: number;
  day_sell_quantity: number;
  day_sell_price: number;
  day_sell_value: number;
}

/** GET /portfolio/positions `data`. */
export interface KitePositions {
  net: KitePosition[];
  day: KitePosition[];
}

/** What rows report as realised/unrealised: Kite's own (realised 0) or the average-price split. */
export type PnlFields = 'kite' | 'split';

/** The state one position's rows are computed from. */
export interface PositionLedger {
  instrument_token: number;
  exchange: Exchange;
  tradingsymbol: string;
  product: Product;
  multiplier: number;
  /** Signed quantity carried from earlier days. */
  overnight_quantity: number;
  /** Average price of the carried quantity. */
  overnight_price: number;
  /** The previous session's close; 0 when nothing was carried. */
  close_price: number;
  day_buy_quantity: number;
  /** Includes the multiplier. */
  day_buy_value: number;
  day_sell_quantity: number;
  day_sell_value: number;
  /** Price of the latest fill: the last price when the market model has none. */
  last_fill_price: number;
}

/** Every figure of a row plus the split the funds need, whatever the rows report. */
export interface PositionFigures {
  quantity: number;
  buy_quantity: number;
  buy_value: number;
  buy_m2m: number;
  buy_price: number;
  sell_quantity: number;
  sell_value: number;
  sell_m2m: number;
  sell_price: number;
  average_price: number;
  value: number;
  pnl: number;
  m2m: number;
  /** Average-price split of pnl. */
  realised: number;
  unrealised: number;
  /** The same split of m2m, with the carried part's basis at the previous close. */
  m2m_realised: number;
  m2m_unrealised: number;
}

export function positionKey(exchange: string, tradingsymbol: string, product: string): string {
  return `${exchange}:${tradingsymbol}:${product}`;
}

export function ledgerKey(l: Pick<PositionLedger, 'exchange' | 'tradingsymbol' | 'product'>): string {
  return positionKey(l.exchange, l.tradingsymbol, l.product);
}

export function emptyLedger(
  id: Pick<PositionLedger, 'instrument_token' | 'exchange' | 'tradingsymbol' | 'product' | 'multiplier'>,
): PositionLedger {
  return {
    ...id,
    overnight_quantity: 0,
    overnight_price: 0,
    close_price: 0,
    day_buy_quantity: 0,
    day_buy_value: 0,
    day_sell_quantity: 0,
    day_sell_value: 0,
    last_fill_price: 0,
  };
}

const avg = (value: number, quantity: number, m: number): number => (quantity === 0 ? 0 : value / (quantity * m));

/** The figures of a position's `net` or `day` row at last price `ltp`. */
export function positionFigures(l: PositionLedger, ltp: number, view: 'net' | 'day'): PositionFigures {
  const m = l.multiplier;
  const on = view === 'net' ? l.overnight_quantity : 0;
  const onLong = Math.max(on, 0);
  const onShort = Math.max(-on, 0);
  const buy_quantity = l.day_buy_quantity + onLong;
  const sell_quantity = l.day_sell_quantity + onShort;
  const buy_value = l.day_buy_value + onLong * l.overnight_price * m;
  const sell_value = l.day_sell_value + onShort * l.overnight_price * m;
  const buy_m2m = l.day_buy_value + onLong * l.close_price * m;
  const sell_m2m = l.day_sell_value + onShort * l.close_price * m;
  const quantity = buy_quantity - sell_quantity;
  const buy_price = avg(buy_value, buy_quantity, m);
  const sell_price = avg(sell_value, sell_quantity, m);
  const average_price = quantity > 0 ? buy_price : quantity < 0 ? sell_price : 0;
  const value = sell_value - buy_value;
  const pnl = value + quantity * ltp * m;
  const m2m = sell_m2m - buy_m2m + quantity * ltp * m;
  const unrealised = quantity === 0 ? 0 : (ltp - average_price) * quantity * m;
  const m2mBasis = quantity > 0 ? avg(buy_m2m, buy_quantity, m) : quantity < 0 ? avg(sell_m2m, sell_quantity, m) : 0;
  const m2m_unrealised = quantity === 0 ? 0 : (ltp - m2mBasis) * quantity * m;
  return {
    quantity,
    buy_quantity,
    buy_value,
    buy_m2m,
    buy_price,
    sell_quantity,
    sell_value,
    sell_m2m,
    sell_price,
    average_price,
    value,
    pnl,
    m2m,
    realised: pnl - unrealised,
    unrealised,
    m2m_realised: m2m - m2m_unrealised,
    m2m_unrealised,
  };
}

/** One Kite row from a ledger. */
export function positionRow(
  l: PositionLedger,
  ltp: number,
  view: 'net' | 'day',
  pnlFields: PnlFields = 'kite',
): KitePosition {
  const f = positionFigures(l, ltp, view);
  const m = l.multiplier;
  return {
    tradingsymbol: l.tradingsymbol,
    exchange: l.exchange,
    instrument_token: l.instrument_token,
    product: l.product,
    quantity: f.quantity,
    overnight_quantity: view === 'net' ? l.overnight_quantity : 0,
    multiplier: m,
    average_price: f.average_price,
    close_price: l.close_price,
    last_price: ltp,
    value: f.value,
    pnl: f.pnl,
    m2m: f.m2m,
    unrealised: pnlFields === 'kite' ? f.pnl : f.unrealised,
    realised: pnlFields === 'kite' ? 0 : f.realised,
    buy_quantity: f.buy_quantity,
    buy_price: f.buy_price,
    buy_value: f.buy_value,
    buy_m2m: f.buy_m2m,
    sell_quantity: f.sell_quantity,
    sell_price: f.sell_price,
    sell_value: f.sell_value,
    sell_m2m: f.sell_m2m,
    day_buy_quantity: l.day_buy_quantity,
    day_buy_price: avg(l.day_buy_value, l.day_buy_quantity, m),
    day_buy_value: l.day_buy_value,
    day_sell_quantity: l.day_sell_quantity,
    day_sell_price: avg(l.day_sell_value, l.day_sell_quantity, m),
    day_sell_value: l.day_sell_value,
  };
}

/** Net quantity of a ledger (carried plus today's). */
export function netQuantity(l: PositionLedger): number {
  return l.overnight_quantity + l.day_buy_quantity - l.day_sell_quantity;
}

/** Today's traded quantity: whether the position has a `day` row. */
export function tradedToday(l: PositionLedger): boolean {
  return l.day_buy_quantity > 0 || l.day_sell_quantity > 0;
}

/**
 * The positions of the paper account: ledgers in the order they first appeared. Mutating
 * methods change only this book; the account decides what the changes mean for funds.
 */
export class PositionBook {
  readonly #ledgers = new Map<string, PositionLedger>();

  constructor(ledgers: readonly PositionLedger[] = []) {
    for (const l of ledgers) this.#ledgers.set(ledgerKey(l), { ...l });
  }

  /** A deep copy, for trying a change before making it. */
  clone(): PositionBook {
    return new PositionBook(this.ledgers());
  }

  /** Copies of every ledger, in order of first appearance. */
  ledgers(): PositionLedger[] {
    return [...this.#ledgers.values()].map((l) => ({ ...l }));
  }

  get(exchange: string, tradingsymbol: string, product: string): PositionLedger | undefined {
    const l = this.#ledgers.get(positionKey(exchange, tradingsymbol, product));
    return l ? { ...l } : undefined;
  }

  /** Books one fill. `multiplier` is the instrument's (1 when unknown). */
  applyTrade(t: TradeInput, multiplier: number): void {
    const l = this.#ledgerFor(t, multiplier);
    const value = t.price * t.quantity * l.multiplier;
    if (t.transaction_type === 'BUY') {
      l.day_buy_quantity += t.quantity;
      l.day_buy_value += value;
    } else {
      l.day_sell_quantity += t.quantity;
      l.day_sell_value += value;
    }
    l.last_fill_price = t.price;
  }

  /**
   * Moves `quantity` of a position from one product to another (product conversion): of
   * today's buys or sells (`day`) at today's average price, or of the carried quantity
   * (`overnight`) at its average price. The caller has checked that the quantity is there.
   */
  move(
    from: PositionLedger,
    toProduct: Product,
    side: Side,
    positionType: 'day' | 'overnight',
    quantity: number,
  ): void {
    const src = this.#ledgers.get(ledgerKey(from));
    if (!src) return;
    const dst = this.#ledgerFor({ ...src, product: toProduct }, src.multiplier);
    const m = src.multiplier;
    if (positionType === 'overnight') {
      const signed = side === 'BUY' ? quantity : -quantity;
      const dstAbs = Math.abs(dst.overnight_quantity);
      dst.overnight_price =
        dstAbs + quantity === 0
          ? 0
          : (dst.overnight_price * dstAbs + src.overnight_price * quantity) / (dstAbs + quantity);
      dst.overnight_quantity += signed;
      dst.close_price = src.close_price;
      src.overnight_quantity -= signed;
      if (src.overnight_quantity === 0) src.overnight_price = 0;
    } else if (side === 'BUY') {
      const value = avg(src.day_buy_value, src.day_buy_quantity, m) * quantity * m;
      src.day_buy_quantity -= quantity;
      src.day_buy_value -= value;
      dst.day_buy_quantity += quantity;
      dst.day_buy_value += value;
    } else {
      const value = avg(src.day_sell_value, src.day_sell_quantity, m) * quantity * m;
      src.day_sell_quantity -= quantity;
      src.day_sell_value -= value;
      dst.day_sell_quantity += quantity;
      dst.day_sell_value += value;
    }
    dst.last_fill_price = src.last_fill_price;
  }

  /** Replaces every ledger (the day roll builds the next day's book). */
  replace(ledgers: readonly PositionLedger[]): void {
    this.#ledgers.clear();
    for (const l of ledgers) this.#ledgers.set(ledgerKey(l), { ...l });
  }

  #ledgerFor(
    id: Pick<PositionLedger, 'instrument_token' | 'exchange' | 'tradingsymbol' | 'product'>,
    multiplier: number,
  ): PositionLedger {
    const key = positionKey(id.exchange, id.tradingsymbol, id.product);
    let l = this.#ledgers.get(key);
    if (!l) {
      l = emptyLedger({
        instrument_token: id.instrument_token,
        exchange: id.exchange,
        tradingsymbol: id.tradingsymbol,
        product: id.product,
        multiplier: multiplier > 0 ? multiplier : 1,
      });
      this.#ledgers.set(key, l);
    }
    return l;
  }
}
