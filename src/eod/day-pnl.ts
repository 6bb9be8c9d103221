/**
 * A strategy's day in one instrument and product, reckoned as Kite reckons a day position:
 * what was carried in enters at the previous close (the day's basis), each fill at its price;
 *
 *   pnl        = (sell value - buy value) + closing quantity x last price x multiplier
 *   realised   = min(bought, sold) x (average sell - average buy) x multiplier
 *   unrealised = pnl - realised
 *              = closing quantity x (last price - average of the open side) x multiplier
 *
 * where the values are quantity x price x multiplier and the averages are per unit; the open
 * side is the buys of a long, the sells of a short (the second form, so that a flat position's
 * unrealised is exactly 0). Unrounded.
 */

/** A signed quantity at a price: a fill (+ bought, - sold), or what was carried in. */
export interface PricedQuantity {
  quantity: number;
  price: number;
}

export interface DayPosition {
  buy_quantity: number;
  buy_value: number;
  sell_quantity: number;
  sell_value: number;
  closing_quantity: number;
  realised: number;
  unrealised: number;
}

/** The day's figures of `opening` (carried in) plus `fills`, marked at `lastPrice`. */
export function dayPosition(
  opening: PricedQuantity,
  fills: readonly PricedQuantity[],
  lastPrice: number,
  multiplier: number,
): DayPosition {
  let buyQuantity = 0;
  let buyValue = 0;
  let sellQuantity = 0;
  let sellValue = 0;
  for (const f of [opening, ...fills]) {
    if (f.quantity > 0) {
      buyQuantity += f.quantity;
      buyValue += f.quantity * f.price * multiplier;
    } else if (f.quantity < 0) {
      sellQuantity -= f.quantity;
      sellValue -= f.quantity * f.price * multiplier;
    }
  }
  const closing = buyQuantity - sellQuantity;
  const matched = Math.min(buyQuantity, sellQuantity);
  // The values carry the multiplier already: value / quantity is the average price x multiplier.
  const realised = matched === 0 ? 0 : matched * (sellValue / sellQuantity - buyValue / buyQuantity);
  const openAverage = closing > 0 ? buyValue / buyQuantity : closing < 0 ? sellValue / sellQuantity : 0;
  const unrealised = closing === 0 ? 0 : closing * (lastPrice * multiplier - openAverage);
  return {
    buy_quantity: buyQuantity,
    buy_value: buyValue,
    sell_quantity: sellQuantity,
    sell_value: sellValue,
    closing_quantity: closing,
    realised,
    unrealised,
  };
}
