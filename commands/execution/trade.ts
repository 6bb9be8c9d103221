import { invalid, type ParseError } from '../../src/domain/parse/error.js';
import { parsePrice } from '../../src/domain/parse/price.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import { parseStrategyRef, type StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import {
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../../src/domain/values.js';
import { exitCodeFor, isErrorCode } from '../../src/protocol/errors.js';
import type { HeldView, TradeResult } from '../../src/protocol/methods/execution.js';
import type { ParamsIn } from '../../src/protocol/methods.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { readBasket } from '../costs/basket.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

/** How a leg is sent: som decides from the analysis (auto), or MARKET, or LIMIT at --price. */
type TradeType = 'auto' | 'MARKET' | 'LIMIT';
const TRADE_TYPES: readonly TradeType[] = ['auto', 'MARKET', 'LIMIT'];

function parseTradeType(value: unknown, field: string): TradeType | ParseError {
  const text = typeof value === 'string' ? value.trim() : '';
  return (
    TRADE_TYPES.find((t) => t.toLowerCase() === text.toLowerCase()) ?? invalid(field, 'auto, MARKET or LIMIT', value)
  );
}

type TradeLeg = ParamsIn<'orders.trade'>['legs'][number];

export interface TradeOptions {
  instrument?: string | undefined;
  file?: string | undefined;
  side?: TransactionType | undefined;
  qty?: number | undefined;
  product?: TradingProduct | undefined;
  type?: TradeType | undefined;
  price?: number | undefined;
  stop?: number | undefined;
  target?: number | undefined;
  strategy?: StrategyRef | undefined;
  /** Send without the confirmation box. */
  yes?: boolean | undefined;
}

const LEG_FLAGS = { side: '--side', qty: '--qty', product: '--product', price: '--price' } as const;

/** `som trade`: analyse, cost, confirm, then send or hold, one order or a basket. */
export function tradeCommand(deps: CliDeps): Command {
  return new Command('trade')
    .argument('[instrument]', 'EXCHANGE:TRADINGSYMBOL (NSE:SBIN), or a symbol listed on one exchange only')
    .description(summaryOf('trade'))
    .option('--side <side>', 'BUY or SELL', flag('--side', parseTransactionType))
    .option('--qty <n>', 'quantity (a multiple of the lot size for derivatives)', flag('--qty', parseQuantity))
    .option(
      '--product <product>',
      'CNC delivery, MIS intraday, NRML derivatives carried',
      flag('--product', (v, f) => parseProduct(v, f, TRADING_PRODUCTS)),
    )
    .option(
      '--type <type>',
      'auto (som decides from the market), MARKET, or LIMIT at --price (default: LIMIT with --price, else auto)',
      flag('--type', parseTradeType),
    )
    .option('--price <price>', 'your limit price (LIMIT)', flag('--price', parsePrice))
    .option('--stop <trigger>', 'bracket: an SL-M stop for what fills (with --target)', flag('--stop', parsePrice))
    .option(
      '--target <price>',
      'bracket: a LIMIT target for what fills, OCO with the stop',
      flag('--target', parsePrice),
    )
    .option(
      '--strategy <name>',
      'the strategy the orders belong to, name or id (default: the strategy preference, else default)',
      flag('--strategy', parseStrategyRef),
    )
    .option(
      '--file <path>',
      'a basket in the costs format: {"instruments": [{"symbol", "quantity", "side", "product"?, "price"?, "type"?}]}; - reads standard input',
    )
    .option('--yes', 'send without the confirmation box')
    .addHelpText(
      'after',
      [
        '',
        'Before anything is sent, every leg is analysed (spread, impact, liquidity) and the basket is',
        'costed with its margin. In a terminal a confirmation box asks first (--yes, or the preference',
        'trade.confirm = never (som config set trade.confirm never), skips it). Then each leg goes out as the analysis decides: MARKET with',
        'protection, LIMIT at the computed price, or held for your answer (Cancel / Use LIMIT / Proceed),',
        'which lapses after [execution] held_order_expiry_seconds and is then never sent. A basket holds',
        'whole if one leg must be held; BUY legs go before SELL legs; a refused leg stops the rest.',
        '',
        'Exit codes: 0 sent; 1 cancelled at the confirmation; 2 bad input; 3 somd not reachable;',
        '4 held for your answer (the JSON document has "held": {alert_id, decision, analysis, expires_at}),',
        '   or refused by smart execution (an unreadable book, not enough margin); 5 broker error.',
      ].join('\n'),
    )
    .action(
      action(deps, (io, instrument: string | undefined, flags: Omit<TradeOptions, 'instrument'>) =>
        run({ instrument, ...flags }, io),
      ),
    );
}

/** The legs: one from flags, or a basket from --file (never both). */
export function tradeLegs(opts: TradeOptions, io: Pick<CommandIO, 'readStdin' | 'readFile'>): TradeLeg[] {
  const given = (Object.keys(LEG_FLAGS) as (keyof typeof LEG_FLAGS)[]).filter((k) => opts[k] !== undefined);
  if (opts.file !== undefined) {
    if (opts.instrument !== undefined)
      throw usageError('give one instrument with flags, or a basket with --file, not both');
    if (given.length > 0) {
      throw usageError(
        `${given.map((k) => LEG_FLAGS[k]).join(', ')} describe a single leg; put them in the file's legs instead`,
      );
    }
    const type = opts.type ?? 'auto';
    return readBasket(opts.file, io).map((leg) => ({ type, ...(leg as TradeLeg) }));
  }
  if (opts.instrument === undefined) {
    throw usageError('say what to trade: EXCHANGE:TRADINGSYMBOL with --side --qty --product, or --file F');
  }
  const missing = (['side', 'qty', 'product'] as const).filter((k) => opts[k] === undefined).map((k) => LEG_FLAGS[k]);
  if (missing.length > 0) throw usageError(`${opts.instrument}: give ${missing.join(', ')}`);
  const type = opts.type ?? (opts.price !== undefined ? 'LIMIT' : 'auto');
  return [
    {
      symbol: opts.instrument,
      side: opts.side!,
      quantity: opts.qty!,
      product: opts.product!,
      type,
      ...(opts.price !== undefined ? { price: opts.price } : {}),
    },
  ];
}

/**
 * Preview and confirm (a person at a terminal, unless --yes or the preference trade.confirm is
 * never), then trade; a held trade asks the person at a terminal at once, and otherwise ends
 * with exit 4.
 */
export async function run(opts: TradeOptions, io: CommandIO): Promise<void> {
  const legs = tradeLegs(opts, io);
  // --strategy, else the preferred strategy (`som config set strategy`), else somd's default.
  const strategy = opts.strategy ?? io.preferences.strategy;
  const params: ParamsIn<'orders.trade'> = {
    legs,
    ...(opts.stop !== undefined ? { stop: opts.stop } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(strategy !== undefined ? { strategy } : {}),
  };
  const client = await io.client();
  if (io.interactive && !opts.yes && io.preferences['trade.confirm'] !== 'never') {
    const preview = await client.call('orders.trade', { ...params, preview: true });
    const ui = await import('../ui/execution.js');
    io.note(ui.renderTradePreview(preview));
    const { choose } = await import('../ui/choice-prompt.js');
    const answer = await choose('Send?', [
      { key: 'c', label: 'Cancel', value: 'cancel' },
      { key: 'p', label: 'Proceed with orders', value: 'proceed' },
    ]);
    if (answer !== 'proceed') {
      io.note('cancelled: nothing was sent');
      io.exitWith(1);
      return;
    }
  }
  const result = await client.call('orders.trade', params);
  if (result.held && io.interactive) return answerHeld(result.held, io);
  await io.print(result, async () => (await import('../ui/execution.js')).renderTradeResult(result));
  io.exitWith(exitOf(result));
}

/** 0 sent; 4 held; a refused leg's own code (5 for the broker). */
function exitOf(result: TradeResult): number {
  if (result.held) return 4;
  if (result.error) return isErrorCode(result.error.code) ? exitCodeFor(result.error.code) : 1;
  return 0;
}

/** Ask the person at the terminal about a held trade until it is sent, cancelled, lapses or they leave. */
async function answerHeld(first: HeldView, io: CommandIO): Promise<void> {
  const ui = await import('../ui/execution.js');
  const { choose } = await import('../ui/choice-prompt.js');
  let held = first;
  for (;;) {
    io.note(ui.renderHeld(held));
    const limit = held.analysis.limit_price;
    const answer = await choose(
      'Held:',
      [
        { key: 'c', label: 'Cancel', value: 'cancel' as const },
        { key: 'l', label: `Use LIMIT${limit === null ? '' : ` ${limit}`}`, value: 'limit' as const },
        { key: 'p', label: 'Proceed anyway', value: 'proceed' as const },
      ],
      { deadline: Date.now() + held.expires_in_ms },
    );
    if (answer === 'expired' || answer === 'interrupted') {
      io.note(
        answer === 'expired'
          ? `alert ${held.alert_id} lapsed: the order is cancelled, never sent`
          : `left held as alert ${held.alert_id}: som alerts respond ${held.alert_id} cancel|limit|proceed before it lapses`,
      );
      io.exitWith(4);
      return;
    }
    const r = await (await io.client()).call('alerts.respond', { id: held.alert_id, choice: answer });
    if (r.outcome === 'asked_again' && r.held) {
      held = r.held;
      continue;
    }
    await io.print(r, () => ui.renderRespond(r));
    io.exitWith(r.outcome === 'failed' && r.trade ? exitOf(r.trade) : 0);
    return;
  }
}
