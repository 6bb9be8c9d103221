import type { Broker } from '../../src/broker/broker.js';
import type { TickCache } from '../../src/broker/tick-cache.js';
import type { PnlConfig } from '../../src/config/risk.js';
import { isExchange } from '../../src/domain/values.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { sessionAt } from '../../src/market/sessions.js';
import { type GreeksReport, greeksReport } from '../../src/pnl/greeks.js';
import {
  type DerivativeInstrument,
  type GreeksHolding,
  greeksPositions,
  hasGreeks,
  pricesNeeded,
} from '../../src/pnl/greeks-inputs.js';
import { pnlSnapshot } from '../../src/pnl/snapshot.js';
import type { BookPosition } from '../../src/risk/book.js';
import type { Store } from '../../src/store/database.js';
import { insertSnapshots } from '../../src/store/pnl-snapshots.js';
import { futuresOf, instrumentsByKey, openOrderCounts } from '../../src/store/risk-book.js';
import type { Logger } from '../logger.js';
import type { RiskMonitor } from './risk-monitor.js';

export interface PnlSnapshotsDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  monitor: RiskMonitor;
  ticks: TickCache;
  broker: Pick<Broker, 'quote'>;
  /** True while the broker may be asked (quotes for underlyings the feed does not stream). */
  brokerReady(): boolean;
  config(): PnlConfig;
}

/** The exchanges whose sessions make "market hours" for the interval snapshots. */
const SNAPSHOT_EXCHANGES = ['NSE', 'NFO', 'CDS', 'MCX'] as const;
/** Fills coalesce into one snapshot taken this long after the first of them. */
const FILL_SNAPSHOT_DELAY_MS = 1_000;

/**
 * P&L snapshots with Greeks (src/pnl/snapshot.ts), per strategy and for the account: every
 * `snapshot_interval_minutes` while a segment is in its market hours (the `pnl-snapshot` job)
 * and after fills. Positions and P&L come from the risk monitor's book; the Greeks from the
 * option's own price and its underlying's (the feed's last price, else one quote call).
 */
export class PnlSnapshots {
  readonly #d: PnlSnapshotsDeps;
  #fillTimer: NodeJS.Timeout | null = null;

  constructor(deps: PnlSnapshotsDeps) {
    this.#d = deps;
  }

  /** The scheduled snapshot: taken only while some segment is in its normal session. */
  async interval(): Promise<string> {
    const now = this.#d.clock.now();
    const open = SNAPSHOT_EXCHANGES.filter((e) => sessionAt(now, e).phase === 'normal');
    if (open.length === 0) return 'markets closed: no snapshot';
    return this.take('interval');
  }

  /** A fill came in: snapshot shortly (a burst of fills makes one). */
  onFill(): void {
    if (this.#fillTimer) return;
    this.#fillTimer = setTimeout(() => {
      this.#fillTimer = null;
      this.take('fill').catch((err) => this.#d.logger.warn('pnl.snapshot_failed', { error: (err as Error).message }));
    }, FILL_SNAPSHOT_DELAY_MS);
    this.#fillTimer.unref();
  }

  stop(): void {
    if (this.#fillTimer) clearTimeout(this.#fillTimer);
    this.#fillTimer = null;
  }

  /** Snapshot every strategy with a position today, and the account. */
  async take(trigger: 'interval' | 'fill' | 'manual'): Promise<string> {
    const now = this.#d.clock.now();
    const monitor = this.#d.monitor;
    const all = monitor.positions(null);
    const valued = await this.#greeksFor(all, now);
    const orders = await openOrderCounts(this.#d.store.db);
    const strategies = [...new Set(all.map((p) => p.strategy_id))];
    const snapshots = strategies.map((id) => {
      const positions = all.filter((p) => p.strategy_id === id);
      return pnlSnapshot({
        strategy_id: id,
        positions,
        charges: monitor.pnl(id).charges,
        open_orders: orders.get(id) ?? 0,
        margin_used: monitor.marginBlocked(id),
        greeks: valued(positions),
      });
    });
    let openOrders = 0;
    for (const n of orders.values()) openOrders += n;
    snapshots.push(
      pnlSnapshot({
        strategy_id: null,
        positions: all,
        charges: monitor.pnl(null).charges,
        open_orders: openOrders,
        margin_used: monitor.marginBlocked(null),
        greeks: valued(all),
      }),
    );
    await insertSnapshots(this.#d.store.db, snapshots, { at: now, trading_day: istDate(now), trigger });
    return `${snapshots.length} snapshots (${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} and the account)`;
  }

  /** The Greeks of a strategy's positions now (null: every strategy's, the account's). */
  async greeks(strategyId: number | null): Promise<GreeksReport> {
    const positions = this.#d.monitor.positions(strategyId).filter((p) => p.quantity !== 0);
    return (await this.#greeksFor(positions, this.#d.clock.now()))(positions);
  }

  /**
   * Price everything the positions' Greeks need once, and return a function that values any
   * subset of them (a strategy's, the account's) on those prices.
   */
  async #greeksFor(
    positions: readonly BookPosition[],
    now: Date,
  ): Promise<(subset: readonly BookPosition[]) => GreeksReport> {
    const { db } = this.#d.store;
    const rate = this.#d.config().rate;
    const today = istDate(now);
    const open = positions.filter((p) => p.quantity !== 0);
    const instruments = await instrumentsByKey(
      db,
      open.map((p) => `${p.exchange}:${p.tradingsymbol}`),
    );
    const derivative = (p: BookPosition): DerivativeInstrument | null => {
      const i = instruments.get(`${p.exchange}:${p.tradingsymbol}`);
      if (!i || !isExchange(i.exchange)) return null;
      return { ...i, exchange: i.exchange };
    };
    const holdingsOf = (subset: readonly BookPosition[]): GreeksHolding[] =>
      subset.flatMap((p) => {
        const i = derivative(p);
        if (!i || !isExchange(p.exchange) || p.quantity === 0 || !hasGreeks(i)) return [];
        return [
          {
            exchange: p.exchange,
            tradingsymbol: p.tradingsymbol,
            quantity: p.quantity,
            multiplier: p.multiplier,
            price: p.last_price,
            instrument: i,
          },
        ];
      });
    const holdings = holdingsOf(open);
    const futures = await futuresOf(
      db,
      holdings.map((h) => ({ exchange: h.instrument.exchange, name: h.instrument.name })),
    );
    const futuresByName = (exchange: string, name: string): DerivativeInstrument[] =>
      futures.flatMap((f) =>
        f.exchange === exchange && f.name === name && isExchange(f.exchange) ? [{ ...f, exchange: f.exchange }] : [],
      );
    const needed = pricesNeeded(holdings, futuresByName, today);
    const known = await instrumentsByKey(db, needed);
    const prices = new Map<string, number>();
    const missing: string[] = [];
    for (const key of needed) {
      const token = known.get(key)?.instrument_token;
      const last = token === undefined ? undefined : this.#d.ticks.lastPrice(token);
      if (last !== undefined && last > 0) prices.set(key, last);
      else missing.push(key);
    }
    if (missing.length > 0 && this.#d.brokerReady()) {
      try {
        const quotes = await this.#d.broker.quote(missing);
        for (const [key, q] of Object.entries(quotes)) if (q.last_price > 0) prices.set(key, q.last_price);
      } catch (err) {
        this.#d.logger.warn('pnl.quote_failed', { error: (err as Error).message });
      }
    }
    const price = (key: string) => prices.get(key) ?? null;
    return (subset) => greeksReport(greeksPositions(holdingsOf(subset), futuresByName, price, now, today), now, rate);
  }
}
