/**
 * A P&L snapshot of a strategy or of the account: its positions with their P&L, open orders,
 * realised and unrealised P&L, charges, net, margin used, and the Greeks of its option
 * positions (each with the inputs it was valued on: the option's price, the underlying's price,
 * IV, time to expiry, rate) and their net. Taken every few minutes in market hours and on fills,
 * for the day's M2M chart (`som pnl`).
 */
import type { GreeksReport } from './greeks.js';
import { type PnlPosition, strategyPnl } from './strategy-pnl.js';

export interface SnapshotInput {
  /** null for the account. */
  strategy_id: number | null;
  positions: readonly PnlPosition[];
  /** Charges on today's fills, rupees. */
  charges: number;
  open_orders: number;
  /** Margin the positions block, rupees; null when unknown. */
  margin_used: number | null;
  greeks: GreeksReport;
}

export interface SnapshotPositionRow {
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  average_price: number;
  last_price: number;
  realised: number;
  unrealised: number;
}

export interface PnlSnapshot {
  strategy_id: number | null;
  positions: SnapshotPositionRow[];
  open_orders: number;
  realised: number;
  unrealised: number;
  charges: number;
  net: number;
  margin_used: number | null;
  greeks: GreeksReport;
}

/** The snapshot's figures from its positions (P&L as strategy-pnl.ts computes it). */
export function pnlSnapshot(input: SnapshotInput): PnlSnapshot {
  const pnl = strategyPnl(input.positions, input.charges);
  return {
    strategy_id: input.strategy_id,
    positions: input.positions.map((p, i) => ({
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      quantity: p.quantity,
      average_price: p.average_price,
      last_price: p.last_price,
      realised: p.realised,
      unrealised: pnl.positions[i]!.unrealised,
    })),
    open_orders: input.open_orders,
    realised: pnl.realised,
    unrealised: pnl.unrealised,
    charges: pnl.charges,
    net: pnl.net,
    margin_used: input.margin_used,
    greeks: input.greeks,
  };
}
