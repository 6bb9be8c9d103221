import { Box, type Key, render, Text, useApp, useInput, useStdout } from 'ink';
import React from 'react';
import type { AlertView } from '../../../src/protocol/methods/alerts.js';
import type { EventNotificationParams, SomEvent } from '../../../src/protocol/methods/events.js';
import type { RpcClient } from '../../client.js';
import { paint } from '../../ui/color.js';
import { formatIst, formatRupees } from '../../ui/format.js';
import { pnlText } from '../../ui/pnl.js';
import { num, renderTable } from '../../ui/table.js';
import { typedKeys } from '../../ui/typed-keys.js';
import {
  applyEvent,
  heldUntil,
  initialState,
  moveAlertCursor,
  nextStrategy,
  orderedAlerts,
  respondMessage,
  sparkline,
  visibleOrders,
  visibleOrphans,
  type WatchState,
} from './model.js';

const h = React.createElement;

/** How many rows each list shows at most: the screen must fit a terminal. */
const ROWS = { orders: 10, orphans: 6, alerts: 6 } as const;
/** Bursts of order and housekeeping events refresh the orphan list once. */
const REFETCH_AFTER_MS = 250;

/**
 * Keys that answer a held order (smart execution's `alerts.respond`): c cancel, l send as a
 * LIMIT at the computed price, p proceed as asked. Shown on a held order; answered by
 * {@link WatchActions.respond}.
 */
export const HELD_ORDER_KEYS: Readonly<Record<string, 'cancel' | 'limit' | 'proceed'>> = {
  c: 'cancel',
  l: 'limit',
  p: 'proceed',
};

type Action = { kind: 'event'; event: SomEvent } | { kind: 'patch'; patch: Partial<WatchState> };

function reducer(state: WatchState, action: Action): WatchState {
  return action.kind === 'event' ? applyEvent(state, action.event) : { ...state, ...action.patch };
}

/** What the keys do, against somd. */
interface WatchActions {
  markRead(alertId: number): Promise<string>;
  /** Answer a held order (`alerts.respond`): the line to show of what came of it. */
  respond(alertId: number, choice: 'cancel' | 'limit' | 'proceed'): Promise<string>;
}

/** Where the screen's updates come from: somd's events, and answers fetched again when they say so. */
interface Feed {
  attach(dispatch: (action: Action) => void): void;
}

/**
 * `som watch`: the live dashboard. Loads the account from somd, subscribes to its events, and
 * redraws as they come; returns the exit code (3 when somd went away).
 */
export async function watchScreen(client: RpcClient, options: { strategy?: string | undefined }): Promise<number> {
  if (!client.notifications) throw new Error('this connection to somd cannot carry events');
  let dispatch: ((action: Action) => void) | null = null;
  const early: Action[] = [];
  const send = (action: Action) => (dispatch ? dispatch(action) : early.push(action));
  let orphansTimer: NodeJS.Timeout | null = null;
  const refetchOrphans = () => {
    if (orphansTimer) return;
    orphansTimer = setTimeout(() => {
      orphansTimer = null;
      void client
        .call('orphans.list', {})
        .then(({ orphans }) => send({ kind: 'patch', patch: { orphans } }))
        .catch(() => undefined);
    }, REFETCH_AFTER_MS);
  };
  const refetchStatus = () =>
    void Promise.all([client.call('system.status', {}), client.call('strategies.list', {})])
      .then(([status, { strategies }]) => send({ kind: 'patch', patch: { status, strategies } }))
      .catch(() => undefined);

  const closed = client.notifications((method, params) => {
    if (method !== 'events.event') return;
    const { event } = params as EventNotificationParams;
    send({ kind: 'event', event });
    if (event.type === 'order' || event.type === 'housekeeping') refetchOrphans();
    if (event.type === 'job' && event.job === 'health') refetchStatus();
  });
  const subscribed = await client.call('events.subscribe', { tick_interval_ms: 1000 });
  const [status, { strategies }, { orders }, { orphans }, { alerts }] = await Promise.all([
    client.call('system.status', {}),
    client.call('strategies.list', {}),
    client.call('orders.list', { open: true, limit: 500 }),
    client.call('orphans.list', {}),
    client.call('alerts.list', {}),
  ]);
  const initial = {
    ...initialState({
      at: subscribed.at,
      status,
      strategies,
      positions: subscribed.positions,
      orders,
      orphans,
      alerts,
      m2m: subscribed.m2m_today,
    }),
    strategy: strategies.find((st) => st.name === options.strategy || String(st.id) === options.strategy)?.name ?? null,
  };
  const feed: Feed = {
    attach: (d) => {
      dispatch = d;
      for (const action of early.splice(0)) d(action);
    },
  };
  const actions: WatchActions = {
    markRead: async (id) => {
      await client.call('alerts.markRead', { id });
      return `alert ${id} marked read`;
    },
    respond: async (id, choice) => respondMessage(await client.call('alerts.respond', { id, choice })),
  };
  const app = render(h(Watch, { initial, feed, actions }), { exitOnCtrlC: true });
  const ended = await Promise.race([
    app.waitUntilExit().then(() => 'user' as const),
    closed.then(() => 'somd' as const),
  ]);
  if (orphansTimer) clearTimeout(orphansTimer);
  app.unmount();
  return ended === 'somd' ? 3 : 0;
}

/**
 * The screen's state, kept where a key handler reads it as it is now. Keys typed faster than a
 * render (j then p, a paste) arrive in one burst at a handler of one render ago: with
 * useReducer the second key would act on the alert the first key moved away from.
 */
function useCurrentState(initial: WatchState): [() => WatchState, (action: Action) => void] {
  const ref = React.useRef(initial);
  const [, rendered] = React.useState(0);
  const dispatch = React.useCallback((action: Action) => {
    ref.current = reducer(ref.current, action);
    rendered((n) => n + 1);
  }, []);
  return [() => ref.current, dispatch];
}

function Watch(props: { initial: WatchState; feed: Feed; actions: WatchActions }) {
  const [current, dispatch] = useCurrentState(props.initial);
  const state = current();
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = stdout.columns || 120;
  React.useEffect(() => props.feed.attach(dispatch), [props.feed]);
  const say = (message: string) => dispatch({ kind: 'patch', patch: { message } });
  const selectedIn = (s: WatchState) => orderedAlerts(s).find((a) => a.id === s.selectedAlert) ?? null;
  const selected = selectedIn(state);
  useInput((typed, key) => {
    for (const input of typedKeys(typed)) onKey(input, key);
  });
  function onKey(input: string, key: Key): void {
    const now = current();
    const alert = selectedIn(now);
    if (input === 'q' || key.escape) exit();
    else if (input === 's') dispatch({ kind: 'patch', patch: { strategy: nextStrategy(now), selectedAlert: null } });
    else if (key.downArrow || input === 'j')
      dispatch({ kind: 'patch', patch: { selectedAlert: moveAlertCursor(now, 1) } });
    else if (key.upArrow || input === 'k')
      dispatch({ kind: 'patch', patch: { selectedAlert: moveAlertCursor(now, -1) } });
    else if (input === 'r' && alert) void props.actions.markRead(alert.id).then(say, (e: Error) => say(e.message));
    else if (HELD_ORDER_KEYS[input] && alert && heldUntil(alert))
      void props.actions.respond(alert.id, HELD_ORDER_KEYS[input]).then(say, (e: Error) => say(e.message));
  }
  return h(
    Box,
    { flexDirection: 'column' },
    line(header(state)),
    line(pnlLine(state, width)),
    section('POSITIONS', positionsTable(state, width)),
    section(`OPEN ORDERS${state.strategy ? ` (${state.strategy})` : ''}`, ordersTable(state, width)),
    section('ORPHANS HANDLED TODAY', orphansTable(state, width)),
    section('ALERTS', alertsList(state, width)),
    section('STRATEGIES', strategiesTable(state, width)),
    line(keysLine(selected)),
    state.message ? line(paint.dim(state.message)) : null,
  );
}

function line(text: string) {
  return h(Text, { wrap: 'truncate' }, text);
}

function section(title: string, body: string) {
  return h(
    Box,
    { flexDirection: 'column', marginTop: 1 },
    line(paint.bold(title)),
    h(Text, { wrap: 'truncate' }, body),
  );
}

function header(s: WatchState): string {
  const b = s.status?.broker;
  const health = b
    ? [
        mark(b.state === 'connected', `broker ${b.state}`),
        mark(b.session.state === 'valid', `session ${b.session.state}`),
        mark(!b.placement.paused, b.placement.paused ? `placement paused: ${b.placement.reason}` : 'placement open'),
      ].join(' · ')
    : 'broker ?';
  return `som watch · ${s.status?.mode ?? '?'} · ${formatIst(s.now)} · strategy ${s.strategy ?? 'all'} · ${health}`;
}

function mark(ok: boolean, text: string): string {
  return ok ? paint.ok(text) : paint.bad(text);
}

function pnlLine(s: WatchState, width: number): string {
  const head = `P&L ${pnlText(s.account.pnl)}   M2M ${pnlText(s.account.m2m)}   `;
  const points = s.m2m.map((p) => p.value);
  return `${head}${sparkline(points, Math.max(10, width - 60))}${points.length > 0 ? paint.dim("  (today's M2M)") : ''}`;
}

function positionsTable(s: WatchState, width: number): string {
  if (s.positions.length === 0) return paint.dim('no positions today');
  return renderTable(
    ['symbol', 'product', num('qty'), num('avg'), num('ltp'), num('P&L'), num('M2M')],
    s.positions.map((p) => [
      `${p.exchange}:${p.tradingsymbol}`,
      p.product,
      p.quantity,
      formatRupees(p.average_price),
      formatRupees(p.last_price),
      pnlText(p.pnl),
      pnlText(p.m2m),
    ]),
    { width },
  );
}

function ordersTable(s: WatchState, width: number): string {
  const orders = visibleOrders(s);
  if (orders.length === 0) return paint.dim('no open orders');
  return renderTable(
    ['order id', 'strategy', 'symbol', 'side', num('qty'), 'type', num('price'), num('trigger'), 'role', 'status'],
    orders
      .slice(0, ROWS.orders)
      .map((o) => [
        o.order_id,
        o.strategy,
        `${o.exchange}:${o.tradingsymbol}`,
        o.transaction_type,
        o.quantity,
        o.order_type,
        o.price ? formatRupees(o.price) : '-',
        o.trigger_price ? formatRupees(o.trigger_price) : '-',
        o.role ?? '-',
        o.status,
      ]),
    { width },
  );
}

function orphansTable(s: WatchState, width: number): string {
  const orphans = visibleOrphans(s);
  if (orphans.length === 0) return paint.dim('none');
  return renderTable(
    ['order id', 'strategy', 'symbol', 'role', 'side', num('qty'), 'type', 'reason', 'action', 'result'],
    orphans
      .slice(0, ROWS.orphans)
      .map((o) => [
        o.order_id,
        o.strategy,
        `${o.exchange}:${o.tradingsymbol}`,
        o.role ?? '-',
        o.side,
        o.quantity,
        o.order_type,
        o.reason,
        o.action,
        o.explanation,
      ]),
    { width },
  );
}

function alertsList(s: WatchState, width: number): string {
  const alerts = orderedAlerts(s);
  if (alerts.length === 0) return paint.dim('no open alerts');
  return alerts
    .slice(0, ROWS.alerts)
    .map((a) => {
      const cursor = a.id === s.selectedAlert ? '>' : ' ';
      const text = `${cursor} #${a.id} ${priority(a)} ${heldText(a)}${a.title}${a.read_at ? paint.dim(' (read)') : ''}`;
      return text.length > width ? text.slice(0, width) : text;
    })
    .join('\n');
}

function priority(a: AlertView): string {
  return a.priority === 'high' || a.priority === 'critical' ? paint.bad(a.priority) : a.priority;
}

function heldText(a: AlertView): string {
  const until = heldUntil(a);
  return until ? paint.warn(`HELD until ${formatIst(until).slice(11)} `) : '';
}

/** Each strategy's risk state and the smallest headroom of its limits, as somd last reported them. */
function strategiesTable(s: WatchState, width: number): string {
  if (s.strategies.length === 0) return paint.dim('no strategies');
  const risk = new Map((s.status?.risk?.strategies ?? []).map((r) => [r.strategy, r]));
  return renderTable(
    ['strategy', 'risk', 'headroom'],
    s.strategies.map((st) => {
      const r = risk.get(st.name);
      return [
        st.name === s.strategy ? `${st.name} *` : st.name,
        r?.state ?? st.risk_status,
        r ? `${r.headroom_pct.toFixed(0)}%` : '-',
      ];
    }),
    { width },
  );
}

function keysLine(selected: AlertView | null): string {
  const keys = ['q quit', 's strategy', '↑↓ alert', 'r mark read'];
  if (selected && heldUntil(selected)) keys.push('c cancel', 'l limit', 'p proceed');
  return paint.dim(keys.join(' · '));
}
