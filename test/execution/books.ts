import type { DepthLevel } from '../../src/domain/quote.js';
import { PROFILES } from '../../src/domain/strategy-settings.js';
import type { ExecutionSettings } from '../../src/execution/decision.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import type { InstrumentClass } from '../../src/execution/instrument-class.js';

/** 25 Nov 2026, 10:00 IST: a trading day. The analysis reads no clock; this only dates the depth. */
export const AT = new Date('2026-11-25T10:00:00+05:30');

/** [price, quantity] or [price, quantity, orders]. */
export type L = [number, number, number?];

function side(levels: readonly L[]): DepthLevel[] {
  const out = levels.map(([price, quantity, orders]) => ({ price, quantity, orders: orders ?? 1 }));
  while (out.length < 5) out.push({ price: 0, quantity: 0, orders: 0 });
  return out;
}

/** A snapshot from hand-written levels (best first), padded to five a side with Kite's zeros. */
export function snap(
  bids: readonly L[],
  asks: readonly L[],
  extra: Partial<Omit<DepthSnapshot, 'depth'>> & { instrument_class?: InstrumentClass } = {},
): DepthSnapshot {
  return {
    depth: { buy: side(bids), sell: side(asks) },
    last_price: extra.last_price ?? bids[0]?.[0] ?? asks[0]?.[0] ?? 0,
    tick_size: 0.05,
    lot_size: 1,
    multiplier: 1,
    instrument_class: 'index_options',
    volume: null,
    oi: null,
    at: AT,
    source: 'ticks',
    ...extra,
  };
}

/** Five levels a tick apart from `best`, `quantity` each, falling (bids) or rising (asks). */
export function ladder(best: number, direction: 1 | -1, quantity: number, tick = 0.05, count = 5): L[] {
  // Built on whole ticks so that the prices are the decimals a person would write.
  const start = Math.round(best / tick);
  const decimals = String(tick).split('.')[1]?.length ?? 0;
  return Array.from({ length: count }, (_, i) => [
    Number(((start + direction * i) * tick).toFixed(decimals)),
    quantity,
  ]);
}

export const settingsOf = (profile: keyof typeof PROFILES): ExecutionSettings => PROFILES[profile];
export const DEFAULT = settingsOf('default');
export const CONSERVATIVE = settingsOf('conservative');
export const AGGRESSIVE = settingsOf('aggressive');
