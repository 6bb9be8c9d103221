import { type InstrumentProduct, instrumentKey, type PositionShare } from '../domain/position-shares.js';
import { discrepancy } from './findings.js';
import type { Discrepancy } from './types.js';

/**
 * The strategies' shares against the broker's positions: per instrument and product, the
 * shares must add up to the account's quantity (the broker's net position, and for CNC the
 * holdings it settles into: `accountQuantities` in src/domain/position-shares.ts).
 *
 * - MISSING: the account holds a quantity no strategy has a share of;
 * - PHANTOM: the strategies' shares add up to a quantity the account does not hold at all;
 * - QTY_MISMATCH: both hold something, the amounts differ.
 *
 * No heal is planned here: shares move only by fills and by the position basis's own adoption
 * rule (`planAdoptions`), which takes in a difference once the broker's quantity has held
 * still across two reads with no fill between. The round runs that rule and then compares
 * again ({@link SHARES_WAIT}).
 */

/** Why a share difference is left for the next round. */
export const SHARES_WAIT =
  "the broker's position has not yet held still across two reads with no fill between: adopted once it does";

/** `EXCHANGE:TRADINGSYMBOL:PRODUCT`, as positions are keyed. */
const keyOf = (x: InstrumentProduct) => `${x.exchange}:${x.tradingsymbol}:${x.product}`;

/**
 * Compare the shares with the account's quantities (keyed by `instrumentKey`), by key. Every
 * difference comes with `unhealed` set to {@link SHARES_WAIT}; the round clears it for those
 * the adoption rule took in.
 */
export function reconcileShares(shares: readonly PositionShare[], account: ReadonlyMap<string, number>): Discrepancy[] {
  const totals = new Map<string, { where: InstrumentProduct; quantity: number; holders: string[] }>();
  for (const s of shares) {
    const key = instrumentKey(s);
    const t = totals.get(key) ?? { where: s, quantity: 0, holders: [] };
    t.quantity += s.quantity;
    if (s.quantity !== 0) t.holders.push(`${s.strategy_id}:${s.quantity}`);
    totals.set(key, t);
  }
  const out: Discrepancy[] = [];
  const keys = new Set([...account.keys(), ...totals.keys()]);
  for (const key of keys) {
    const held = account.get(key) ?? 0;
    const t = totals.get(key);
    const quantity = t?.quantity ?? 0;
    if (held === quantity) continue;
    const [exchange = '', tradingsymbol = '', product = ''] = key.split('|');
    const where = t?.where ?? { exchange, tradingsymbol, product };
    const kind = quantity === 0 ? 'MISSING' : held === 0 ? 'PHANTOM' : 'QTY_MISMATCH';
    const d = discrepancy(
      kind,
      'shares',
      keyOf(where),
      null,
      { som: { quantity, shares: t?.holders.join(' ') ?? '' }, broker: { quantity: held } },
      `${keyOf(where)}: the strategies' shares add up to ${quantity}, the account holds ${held}`,
    );
    out.push({ ...d, unhealed: SHARES_WAIT });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
