import type { OrderView, PositionView } from '../../src/protocol/methods/orders.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { formatIst, formatRupees } from './format.js';
import { pnlText } from './pnl.js';
import { num, renderRecord, renderTable } from './table.js';

/** `som orders`: one row an order, `*` marking those placed outside som. */
export function renderOrders(orders: readonly OrderView[]): string {
  if (orders.length === 0) return 'no orders';
  return (
    renderTable(
      [
        'order id',
        'time',
        'strategy',
        'symbol',
        'side',
        'type',
        'product',
        num('qty'),
        num('filled'),
        num('price'),
        num('trigger'),
        num('avg'),
        'status',
      ],
      orders.map((o) => [
        o.order_id,
        formatIst(o.order_timestamp).replace(/ IST$/, ''),
        o.strategy + (o.source === 'external' ? '*' : ''),
        `${o.exchange}:${o.tradingsymbol}`,
        o.transaction_type,
        o.order_type,
        o.product,
        o.quantity,
        o.filled_quantity,
        o.price ? formatRupees(o.price) : '-',
        o.trigger_price ? formatRupees(o.trigger_price) : '-',
        o.average_price ? formatRupees(o.average_price) : '-',
        o.status + (o.status_message ? `: ${o.status_message}` : ''),
      ]),
    ) + (orders.some((o) => o.source === 'external') ? '\n* placed outside som (Kite web, mobile, another app)' : '')
  );
}

/** One order with its fills, as a label/value block. */
export function renderOrder(o: OrderView): string {
  return renderRecord([
    [
      'order',
      `${o.order_id} (${o.variety}, ${o.validity})${o.exchange_order_id ? `, exchange id ${o.exchange_order_id}` : ''}`,
    ],
    [
      'strategy',
      `${o.strategy}${o.source === 'external' ? ' (placed outside som)' : ''}${o.tag ? `, tag ${o.tag}` : ''}`,
    ],
    ['instrument', `${o.exchange}:${o.tradingsymbol} ${o.product}`],
    [
      'order',
      `${o.transaction_type} ${o.quantity} ${o.order_type}${o.price ? ` @ ${formatRupees(o.price)}` : ''}${o.trigger_price ? ` trigger ${formatRupees(o.trigger_price)}` : ''}`,
    ],
    ['status', `${o.status}${o.status_message ? `: ${o.status_message}` : ''}`],
    [
      'filled',
      `${o.filled_quantity} of ${o.quantity}${o.average_price ? ` at ${formatRupees(o.average_price)} average` : ''}, pending ${o.pending_quantity}, cancelled ${o.cancelled_quantity}`,
    ],
    ['placed', `${formatIst(o.order_timestamp)}${o.placed_by ? ` by ${o.placed_by}` : ''}`],
    ['updated', formatIst(o.updated_at)],
    ...o.trades.map((t, i): [string, string] => [
      i === 0 ? 'trades' : '',
      `${t.trade_id}: ${t.quantity} @ ${formatRupees(t.average_price)} ${formatIst(t.fill_timestamp)}`,
    ]),
    ...(o.is_orphaned ? ([['orphaned', o.orphaned_reason ?? 'yes']] as [string, string][]) : []),
  ]);
}

/** What `som order place` says: the order id, its strategy and tag, then the order as the broker has it. */
export function renderPlaced(result: ResultOf<'orders.place'>): string {
  return [
    `placed order ${result.order_id} for strategy ${result.strategy} (tag ${result.tag})${result.recovered ? ': the request failed in transit and the order was found by its tag, not resent' : ''}`,
    ...(result.order ? ['', renderOrder(result.order)] : []),
  ].join('\n');
}

/** What `som order modify` and `som order cancel` say: the request sent, then the order as it stands. */
export function renderSent(what: 'modify' | 'cancel', result: ResultOf<'orders.cancel'>): string {
  return [`${what} sent for order ${result.order_id}`, ...(result.order ? ['', renderOrder(result.order)] : [])].join(
    '\n',
  );
}

/** `som positions`: P&L signed, in green or red on a terminal, with the total. */
export function renderPositions(positions: readonly PositionView[]): string {
  if (positions.length === 0) return 'no open positions';
  const total = positions.reduce((sum, p) => sum + p.pnl, 0);
  return `${renderTable(
    [
      'symbol',
      'product',
      num('qty'),
      num('avg'),
      num('ltp'),
      num('P&L'),
      num('realised'),
      num('unrealised'),
      num('bought'),
      num('sold'),
    ],
    positions.map((p) => [
      `${p.exchange}:${p.tradingsymbol}`,
      p.product,
      p.quantity,
      formatRupees(p.average_price),
      formatRupees(p.last_price),
      pnlText(p.pnl),
      pnlText(p.realised),
      pnlText(p.unrealised),
      p.buy_quantity,
      p.sell_quantity,
    ]),
  )}\ntotal P&L ${pnlText(total)}`;
}
