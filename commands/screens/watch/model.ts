/**
 * What `som watch` shows, as data: the state the screen draws, built from somd's answers and
 * changed by its events. Pure (no I/O, no clock, no React): the screen feeds it and draws it.
 */
import type { AlertView } from '../../../src/protocol/methods/alerts.js';
import type { SomEvent } from '../../../src/protocol/methods/events.js';
import type { RespondResult } from '../../../src/protocol/methods/execution.js';
import type { OrphanView } from '../../../src/protocol/methods/housekeeping.js';
import type { OrderView, PositionView } from '../../../src/protocol/methods/orders.js';
import type { ResultOf } from '../../../src/protocol/methods.js';

type Status = ResultOf<'system.status'>;
type StrategyRow = ResultOf<'strategies.list'>['strategies'][number];

/** A position as shown: the broker's report, marked to the live feed when a tick summary came. */
export interface ShownPosition {
  id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  average_price: number;
  last_price: number;
  pnl: number;
  m2m: number;
}

export interface SeriesPoint {
  at: string;
  value: number;
}

export interface WatchState {
  /** somd's clock at the last event or answer. */
  now: string;
  status: Status | null;
  strategies: StrategyRow[];
  positions: ShownPosition[];
  /** Orders still working, newest first. */
  orders: OrderView[];
  orphans: OrphanView[];
  /** Open alerts (read ones stay, marked read, until resolved). */
  alerts: AlertView[];
  /** The account's P&L and M2M now. */
  account: { pnl: number; m2m: number };
  /** The day's M2M, a point a minute. */
  m2m: SeriesPoint[];
  /** null: every strategy. */
  strategy: string | null;
  /** The alert the cursor is on (by id), for `r`. */
  selectedAlert: number | null;
  /** The last thing said to the user (a key's outcome, a failure). */
  message: string | null;
}

/** What the screen starts from: somd's answers at start-up. */
export interface WatchSnapshot {
  at: string;
  status: Status;
  strategies: StrategyRow[];
  positions: PositionView[];
  orders: OrderView[];
  orphans: OrphanView[];
  alerts: AlertView[];
  m2m: SeriesPoint[];
}

export function initialState(s: WatchSnapshot): WatchState {
  const positions = s.positions.map(shown);
  return {
    now: s.at,
    status: s.status,
    strategies: s.strategies,
    positions,
    orders: s.orders,
    orphans: s.orphans,
    alerts: s.alerts.filter((a) => a.resolved_at === null),
    account: totals(positions),
    m2m: s.m2m,
    strategy: null,
    selectedAlert: null,
    message: null,
  };
}

/** The state after one of somd's events. */
export function applyEvent(state: WatchState, e: SomEvent): WatchState {
  const next = { ...state, now: e.at };
  switch (e.type) {
    case 'order': {
      const others = state.orders.filter((o) => o.order_id !== e.order.order_id);
      const orders = e.open ? [e.order, ...others] : others;
      return { ...next, orders: orders.sort(newestFirst) };
    }
    case 'positions': {
      const positions = e.positions.map(shown);
      return { ...next, positions, account: totals(positions) };
    }
    case 'ticks': {
      const marks = new Map(e.positions.map((p) => [p.id, p]));
      const positions = state.positions.map((p) => {
        const m = marks.get(p.id);
        return m ? { ...p, last_price: m.last_price, pnl: m.pnl, m2m: m.m2m } : p;
      });
      return { ...next, positions, account: e.account, m2m: withSample(state.m2m, e.at, e.account.m2m) };
    }
    case 'alert': {
      const others = state.alerts.filter((a) => a.id !== e.alert.id);
      const alerts = e.change === 'resolved' ? others : [e.alert, ...others];
      const selectedAlert = alerts.some((a) => a.id === state.selectedAlert) ? state.selectedAlert : null;
      return { ...next, alerts: alerts.sort((a, b) => b.id - a.id), selectedAlert };
    }
    case 'job':
    case 'housekeeping':
      return next;
  }
}

/** A minute's point replaced by its latest value, a new minute's appended. */
export function withSample(points: readonly SeriesPoint[], at: string, value: number): SeriesPoint[] {
  const last = points.at(-1);
  const minute = (iso: string) => Math.floor(new Date(iso).getTime() / 60_000);
  if (last && minute(last.at) === minute(at)) return [...points.slice(0, -1), { at, value }];
  return [...points, { at, value }];
}

/**
 * A held order: an alert waiting for the user's choice before an order goes out, with the
 * instant it expires (`payload.expires_at`). Held orders come first, the soonest to expire first.
 */
export function heldUntil(a: AlertView): string | null {
  const expires = a.payload.expires_at;
  return a.resolved_at === null && typeof expires === 'string' ? expires : null;
}

/** The line the screen shows after a held order was answered (c, l or p). */
export function respondMessage(r: RespondResult): string {
  const head = `alert ${r.alert_id}: ${r.choice}`;
  switch (r.outcome) {
    case 'cancelled':
      return `${head}: cancelled; nothing was sent`;
    case 'asked_again':
      return `${head}: the market got worse; asked again${r.held ? ` (alert ${r.held.alert_id})` : ''}`;
    case 'sent': {
      const ids = (r.trade?.orders ?? []).map((o) => o.order_id);
      return `${head}: sent${ids.length > 0 ? ` (order ${ids.join(', ')})` : ''}`;
    }
    case 'failed':
      return `${head}: failed${r.trade?.error ? `: ${r.trade.error.message}` : ''}`;
  }
}

/** The alerts as listed: held orders first (soonest deadline first), then the rest, newest first. */
export function orderedAlerts(state: WatchState): AlertView[] {
  const mine = state.alerts.filter((a) => state.strategy === null || a.strategy === state.strategy);
  const held = mine.filter((a) => heldUntil(a) !== null).sort((a, b) => heldUntil(a)!.localeCompare(heldUntil(b)!));
  return [...held, ...mine.filter((a) => heldUntil(a) === null)];
}

export function visibleOrders(state: WatchState): OrderView[] {
  return state.orders.filter((o) => state.strategy === null || o.strategy === state.strategy);
}

export function visibleOrphans(state: WatchState): OrphanView[] {
  return state.orphans.filter((o) => state.strategy === null || o.strategy === state.strategy);
}

/** The strategy after `current` in the cycle: every strategy (null), then each by name. */
export function nextStrategy(state: WatchState): string | null {
  const names = state.strategies.map((s) => s.name);
  if (names.length === 0) return null;
  const at = state.strategy === null ? -1 : names.indexOf(state.strategy);
  return at + 1 >= names.length ? null : names[at + 1]!;
}

/** The cursor moved by `step` through the listed alerts (wrapping). */
export function moveAlertCursor(state: WatchState, step: number): number | null {
  const list = orderedAlerts(state);
  if (list.length === 0) return null;
  const at = list.findIndex((a) => a.id === state.selectedAlert);
  const index = at === -1 ? (step > 0 ? 0 : list.length - 1) : (at + step + list.length) % list.length;
  return list[index]!.id;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A sparkline of the last `width` values, lowest to highest; a flat series is a flat line. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(0, width));
  if (shown.length === 0) return '';
  const low = Math.min(...shown);
  const high = Math.max(...shown);
  if (high === low) return BLOCKS[3]!.repeat(shown.length);
  return shown.map((v) => BLOCKS[Math.round(((v - low) / (high - low)) * (BLOCKS.length - 1))]!).join('');
}

function shown(p: PositionView): ShownPosition {
  return {
    id: p.id,
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    product: p.product,
    quantity: p.quantity,
    average_price: p.average_price,
    last_price: p.last_price,
    pnl: p.pnl,
    m2m: p.m2m,
  };
}

function totals(positions: readonly ShownPosition[]): { pnl: number; m2m: number } {
  return {
    pnl: positions.reduce((sum, p) => sum + p.pnl, 0),
    m2m: positions.reduce((sum, p) => sum + p.m2m, 0),
  };
}

function newestFirst(a: OrderView, b: OrderView): number {
  return (b.order_timestamp ?? '').localeCompare(a.order_timestamp ?? '') || b.order_id.localeCompare(a.order_id);
}
