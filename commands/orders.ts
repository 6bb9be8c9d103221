import { type Command, Option } from 'commander';
import type { OrderView, PositionView } from '../src/protocol/methods/orders.js';
import { action, usageError } from './context.js';
import { paint } from './ui/color.js';
import { formatIst, formatRupees } from './ui/format.js';
import { renderRecord, renderTable } from './ui/table.js';

const strategyRef = (s: string | undefined) => (s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : s);

/** A whole, positive number from a flag, or exit 2 naming the flag. */
function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw usageError(`${flag} must be a whole number greater than 0, not "${value}"`);
    return n;
  };
}

function positivePrice(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw usageError(`${flag} must be a price greater than 0, not "${value}"`);
    return n;
  };
}

/** `NSE:SBIN` -> exchange and symbol, or exit 2. */
export function parseInstrumentKey(key: string): { exchange: string; tradingsymbol: string } {
  const m = /^([A-Za-z]+):(\S+)$/.exec(key);
  if (!m) throw usageError(`"${key}" is not EXCHANGE:TRADINGSYMBOL (for example NSE:SBIN or NFO:NIFTY26DEC24500CE)`);
  return { exchange: m[1]!.toUpperCase(), tradingsymbol: m[2]!.toUpperCase() };
}

export function renderOrders(orders: OrderView[]): string {
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
        'qty',
        'filled',
        'price',
        'trigger',
        'avg',
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

export function renderPositions(positions: PositionView[]): string {
  if (positions.length === 0) return 'no open positions';
  const total = positions.reduce((sum, p) => sum + p.pnl, 0);
  const pnl = (v: number) => (v < 0 ? paint.bad(formatRupees(v)) : paint.ok(formatRupees(v)));
  return `${renderTable(
    ['symbol', 'product', 'qty', 'avg', 'ltp', 'P&L', 'realised', 'unrealised', 'bought', 'sold'],
    positions.map((p) => [
      `${p.exchange}:${p.tradingsymbol}`,
      p.product,
      p.quantity,
      formatRupees(p.average_price),
      formatRupees(p.last_price),
      pnl(p.pnl),
      formatRupees(p.realised),
      formatRupees(p.unrealised),
      p.buy_quantity,
      p.sell_quantity,
    ]),
  )}\ntotal P&L ${pnl(total)}`;
}

export function registerOrders(program: Command): void {
  program
    .command('orders')
    .description("every order on the account (som's and those placed elsewhere), newest first")
    .option('--open', 'only orders still working (open, trigger pending, ...)')
    .option('--strategy <name>', 'only this strategy')
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 500)
    .action(
      action(async (ctx, opts: { open?: boolean; strategy?: string; limit: number }) => {
        const strategy = strategyRef(opts.strategy);
        const { orders } = await (await ctx.client()).call('orders.list', {
          open: opts.open === true,
          limit: opts.limit,
          ...(strategy !== undefined ? { strategy } : {}),
        });
        ctx.print({ orders }, () => renderOrders(orders));
      }),
    );

  const order = program.command('order').description('place, modify, cancel or show one order');

  order
    .command('place <instrument>')
    .description('send an order to the broker now (EXCHANGE:SYMBOL)')
    .addOption(new Option('--side <side>', 'BUY or SELL').choices(['BUY', 'SELL']).makeOptionMandatory())
    .requiredOption('--qty <n>', 'quantity (a multiple of the lot size for derivatives)', positiveInt('--qty'))
    .addOption(new Option('--type <type>', 'order type').choices(['MARKET', 'LIMIT', 'SL', 'SL-M']).default('LIMIT'))
    .addOption(
      new Option('--product <product>', 'CNC delivery, MIS intraday, NRML derivatives carry')
        .choices(['CNC', 'MIS', 'NRML', 'MTF'])
        .makeOptionMandatory(),
    )
    .option('--price <price>', 'limit price (LIMIT, SL)', positivePrice('--price'))
    .option('--trigger <price>', 'trigger price (SL, SL-M)', positivePrice('--trigger'))
    .addOption(new Option('--validity <validity>', 'DAY or IOC').choices(['DAY', 'IOC']).default('DAY'))
    .addOption(
      new Option('--variety <variety>', 'regular, or amo (after market)')
        .choices(['regular', 'amo'])
        .default('regular'),
    )
    .option(
      '--protection <pct>',
      "MARKET/SL-M: furthest fill from the last price, percent (default: Kite's automatic protection)",
      positivePrice('--protection'),
    )
    .option('--strategy <name>', 'the strategy this order belongs to (default: default)')
    .action(
      action(
        async (
          ctx,
          key: string,
          opts: {
            side: 'BUY' | 'SELL';
            qty: number;
            type: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
            product: 'CNC' | 'MIS' | 'NRML' | 'MTF';
            price?: number;
            trigger?: number;
            validity: 'DAY' | 'IOC';
            variety: 'regular' | 'amo';
            strategy?: string;
            protection?: number;
          },
        ) => {
          const { exchange, tradingsymbol } = parseInstrumentKey(key);
          const strategy = strategyRef(opts.strategy);
          const result = await (await ctx.client()).call('orders.place', {
            exchange: exchange as 'NSE',
            tradingsymbol,
            transaction_type: opts.side,
            order_type: opts.type,
            product: opts.product,
            quantity: opts.qty,
            validity: opts.validity,
            variety: opts.variety,
            ...(opts.price !== undefined ? { price: opts.price } : {}),
            ...(opts.trigger !== undefined ? { trigger_price: opts.trigger } : {}),
            ...(opts.protection !== undefined ? { market_protection: opts.protection } : {}),
            ...(strategy !== undefined ? { strategy } : {}),
          });
          ctx.print(result, () =>
            [
              `placed order ${result.order_id} for strategy ${result.strategy} (tag ${result.tag})${result.recovered ? ': the request failed in transit and the order was found by its tag, not resent' : ''}`,
              ...(result.order ? ['', renderOrder(result.order)] : []),
            ].join('\n'),
          );
        },
      ),
    );

  order
    .command('modify <orderId>')
    .description('change an open order: quantity, price, trigger or type')
    .option('--qty <n>', 'new quantity', positiveInt('--qty'))
    .option('--price <price>', 'new limit price', positivePrice('--price'))
    .option('--trigger <price>', 'new trigger price', positivePrice('--trigger'))
    .addOption(new Option('--type <type>', 'new order type').choices(['MARKET', 'LIMIT', 'SL', 'SL-M']))
    .action(
      action(
        async (
          ctx,
          orderId: string,
          opts: { qty?: number; price?: number; trigger?: number; type?: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M' },
        ) => {
          const changes = {
            ...(opts.qty !== undefined ? { quantity: opts.qty } : {}),
            ...(opts.price !== undefined ? { price: opts.price } : {}),
            ...(opts.trigger !== undefined ? { trigger_price: opts.trigger } : {}),
            ...(opts.type !== undefined ? { order_type: opts.type } : {}),
          };
          if (Object.keys(changes).length === 0)
            throw usageError('nothing to change: give --qty, --price, --trigger or --type');
          const result = await (await ctx.client()).call('orders.modify', { order_id: orderId, ...changes });
          ctx.print(result, () =>
            [`modify sent for order ${result.order_id}`, ...(result.order ? ['', renderOrder(result.order)] : [])].join(
              '\n',
            ),
          );
        },
      ),
    );

  order
    .command('cancel <orderId>')
    .description('cancel an open order')
    .action(
      action(async (ctx, orderId: string) => {
        const result = await (await ctx.client()).call('orders.cancel', { order_id: orderId });
        ctx.print(result, () =>
          [`cancel sent for order ${result.order_id}`, ...(result.order ? ['', renderOrder(result.order)] : [])].join(
            '\n',
          ),
        );
      }),
    );

  order
    .command('show <orderId>')
    .description('one order with its fills')
    .action(
      action(async (ctx, orderId: string) => {
        const result = await (await ctx.client()).call('orders.show', { order_id: orderId });
        ctx.print(result, () => renderOrder(result.order));
      }),
    );

  program
    .command('positions')
    .description("the account's net positions as the broker reports them")
    .option('--all', 'include positions closed today (quantity 0)')
    .action(
      action(async (ctx, opts: { all?: boolean }) => {
        const { positions } = await (await ctx.client()).call('positions.list', { all: opts.all === true });
        ctx.print({ positions }, () => renderPositions(positions));
      }),
    );
}
