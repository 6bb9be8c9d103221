import { positionKey, sideSign } from './order-facts.js';
import type { HkPosition } from './types.js';

/** One order's fills so far (its cumulative filled quantity). */
export interface StrategyFill {
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  filled_quantity: number;
}

/** One row of the account's net positions as the broker reports them. */
export interface AccountNetPosition {
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** Signed net quantity. */
  quantity: number;
  /** The positions.id row som keeps for it. */
  position_id: number | null;
}

const instrumentKey = (exchange: string, tradingsymbol: string, product: string): string =>
  `${exchange}|${tradingsymbol}|${product}`;

/**
 * Each strategy's net position per instrument and product.
 *
 * A strategy's position is the signed sum of its orders' filled quantities (BUY +, SELL -).
 * The account's net position is the truth: whatever of it no strategy explains (carried
 * overnight, bought before som, an order som never attributed) belongs to the `default`
 * strategy, so the strategies always add up to the account. The difference may be negative
 * (a strategy's fills the account no longer shows); an instrument absent from `accountNet`
 * counts as an account position of 0.
 *
 * `fills` must cover the same span as the account's net positions (for NRML carried over
 * days, the orders since the position was opened); otherwise the missing part lands in the
 * default strategy.
 *
 * Returns a row for every strategy with fills in an instrument (net 0 included: a flat
 * position is how the orphan rules learn that a position closed) and for the default strategy
 * wherever it holds something; sorted by strategy, exchange, symbol, product.
 */
export function strategyPositions(
  fills: readonly StrategyFill[],
  accountNet: readonly AccountNetPosition[],
  defaultStrategyId: number,
): HkPosition[] {
  const byStrategy = new Map<string, HkPosition>();
  const explained = new Map<string, number>();
  const accountByInstrument = new Map<string, AccountNetPosition>();
  for (const a of accountNet) accountByInstrument.set(instrumentKey(a.exchange, a.tradingsymbol, a.product), a);

  const rowFor = (strategyId: number, exchange: string, tradingsymbol: string, product: string): HkPosition => {
    const key = positionKey(strategyId, exchange, tradingsymbol, product);
    let row = byStrategy.get(key);
    if (!row) {
      const account = accountByInstrument.get(instrumentKey(exchange, tradingsymbol, product));
      row = {
        strategy_id: strategyId,
        exchange,
        tradingsymbol,
        product,
        quantity: 0,
        position_id: account?.position_id ?? null,
      };
      byStrategy.set(key, row);
    }
    return row;
  };

  for (const f of fills) {
    if (f.filled_quantity === 0) continue;
    const signed = sideSign(f.transaction_type) * f.filled_quantity;
    rowFor(f.strategy_id, f.exchange, f.tradingsymbol, f.product).quantity += signed;
    const ik = instrumentKey(f.exchange, f.tradingsymbol, f.product);
    explained.set(ik, (explained.get(ik) ?? 0) + signed);
  }

  const instruments = new Map<string, { exchange: string; tradingsymbol: string; product: string }>();
  for (const a of accountNet) instruments.set(instrumentKey(a.exchange, a.tradingsymbol, a.product), a);
  for (const f of fills) instruments.set(instrumentKey(f.exchange, f.tradingsymbol, f.product), f);
  for (const [ik, i] of instruments) {
    const unexplained = (accountByInstrument.get(ik)?.quantity ?? 0) - (explained.get(ik) ?? 0);
    if (unexplained !== 0) rowFor(defaultStrategyId, i.exchange, i.tradingsymbol, i.product).quantity += unexplained;
  }

  return [...byStrategy.values()].sort(
    (a, b) =>
      a.strategy_id - b.strategy_id ||
      cmp(a.exchange, b.exchange) ||
      cmp(a.tradingsymbol, b.tradingsymbol) ||
      cmp(a.product, b.product),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
