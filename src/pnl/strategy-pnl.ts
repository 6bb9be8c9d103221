/**
 * A strategy's P&L: realised + unrealised - charges.
 *
 * Positions are the strategy's shares of the broker's net positions, from today's fills:
 * `realised` is what the closed part booked, `average_price` the average of the open part, and
 * unrealised = quantity x multiplier x (last price - average price), so that a short gains as
 * the price falls. Charges are those of today's fills (the cost ledger's actual charges).
 * Rupees are unrounded, as Kite computes them; round only to show.
 */

/** One net position (or a strategy's share of one), with Kite's field names. */
export interface PnlPosition {
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** Signed: positive long, negative short (units; lots on MCX and CDS, as Kite counts them). */
  quantity: number;
  /** Average price of the open quantity. */
  average_price: number;
  /** Rupees per unit of price per unit of quantity (1 on NSE/NFO; the lot's size on MCX). */
  multiplier: number;
  last_price: number;
  /** P&L already booked today on this instrument, rupees. */
  realised: number;
}

export interface PositionPnl {
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  realised: number;
  unrealised: number;
  /** realised + unrealised. */
  pnl: number;
}

export interface StrategyPnl {
  realised: number;
  unrealised: number;
  charges: number;
  /** realised + unrealised - charges. */
  net: number;
  positions: PositionPnl[];
}

/** Unrealised P&L of an open position at its last price. */
export function unrealisedPnl(
  p: Pick<PnlPosition, 'quantity' | 'multiplier' | 'last_price' | 'average_price'>,
): number {
  return p.quantity === 0 ? 0 : p.quantity * p.multiplier * (p.last_price - p.average_price);
}

/** The P&L of a strategy's positions less the charges on its fills today. */
export function strategyPnl(positions: readonly PnlPosition[], charges: number): StrategyPnl {
  let realised = 0;
  let unrealised = 0;
  const rows = positions.map((p): PositionPnl => {
    const u = unrealisedPnl(p);
    realised += p.realised;
    unrealised += u;
    return {
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      quantity: p.quantity,
      realised: p.realised,
      unrealised: u,
      pnl: p.realised + u,
    };
  });
  return { realised, unrealised, charges, net: realised + unrealised - charges, positions: rows };
}
