import { parsePrice } from '../../src/domain/parse/price.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import {
  choiceList,
  ORDER_TYPES,
  type OrderType,
  PLACEABLE_VARIETIES,
  type Product,
  parseOrderType,
  parseProduct,
  parseTransactionType,
  parseValidity,
  parseVariety,
  type TransactionType,
  type Validity,
  type Variety,
} from '../../src/domain/values.js';
import type { ParamsIn } from '../../src/protocol/methods.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { instrumentKeyOf } from '../instrument-key.js';

/** Products an order placed from the command line may have (CO and BO are Kite's retired ones). */
const PLACE_PRODUCTS = ['CNC', 'MIS', 'NRML', 'MTF'] as const satisfies readonly Product[];
/** Validities `som order place` offers (TTL needs minutes som does not ask for). */
const PLACE_VALIDITIES = ['DAY', 'IOC'] as const satisfies readonly Validity[];

export interface PlaceOptions {
  instrument: string;
  side: TransactionType;
  qty: number;
  type: OrderType;
  product: Product;
  price?: number | undefined;
  trigger?: number | undefined;
  validity: Validity;
  variety: Variety;
  protection?: number | undefined;
  strategy?: StrategyRef | undefined;
}

type PlaceFlags = Omit<PlaceOptions, 'instrument'>;

/** `som order place`: send an order to the broker now. */
export function placeCommand(deps: CliDeps): Command {
  return new Command('place')
    .argument('<instrument>', 'EXCHANGE:TRADINGSYMBOL (NSE:SBIN), or a symbol listed on one exchange only')
    .description('send an order to the broker now')
    .requiredOption('--side <side>', 'BUY or SELL', flag('--side', parseTransactionType))
    .requiredOption('--qty <n>', 'quantity (a multiple of the lot size for derivatives)', flag('--qty', parseQuantity))
    .option(
      '--type <type>',
      `order type: ${choiceList(ORDER_TYPES)}`,
      flag('--type', parseOrderType),
      'LIMIT' satisfies OrderType,
    )
    .requiredOption(
      '--product <product>',
      'CNC delivery, MIS intraday, NRML derivatives carried, MTF margin trading',
      flag('--product', (v, f) => parseProduct(v, f, PLACE_PRODUCTS)),
    )
    .option('--price <price>', 'limit price (LIMIT, SL)', flag('--price', parsePrice))
    .option('--trigger <price>', 'trigger price (SL, SL-M)', flag('--trigger', parsePrice))
    .option(
      '--validity <validity>',
      choiceList(PLACE_VALIDITIES),
      flag('--validity', (v, f) => parseValidity(v, f, PLACE_VALIDITIES)),
      'DAY' satisfies Validity,
    )
    .option(
      '--variety <variety>',
      'regular, or amo (after market)',
      flag('--variety', (v, f) => parseVariety(v, f, PLACEABLE_VARIETIES)),
      'regular' satisfies Variety,
    )
    .option(
      '--protection <pct>',
      "MARKET/SL-M: furthest fill from the last price, percent (default: Kite's automatic protection)",
      flag('--protection', parsePrice),
    )
    .option(
      '--strategy <name>',
      'the strategy this order belongs to, name or id (default: the strategy preference, else default)',
      flag('--strategy', parseStrategyRef),
    )
    .action(action(deps, (io, instrument: string, flags: PlaceFlags) => run({ instrument, ...flags }, io)));
}

/** The `orders.place` request for the options, its instrument already keyed. */
export function placeParams(
  key: { exchange: ParamsIn<'orders.place'>['exchange']; tradingsymbol: string },
  opts: PlaceOptions,
): ParamsIn<'orders.place'> {
  return {
    exchange: key.exchange,
    tradingsymbol: key.tradingsymbol,
    transaction_type: opts.side,
    order_type: opts.type,
    product: opts.product,
    quantity: opts.qty,
    validity: opts.validity,
    variety: opts.variety,
    ...(opts.price !== undefined ? { price: opts.price } : {}),
    ...(opts.trigger !== undefined ? { trigger_price: opts.trigger } : {}),
    ...(opts.protection !== undefined ? { market_protection: opts.protection } : {}),
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  };
}

/**
 * Key the instrument (a bare symbol is placed by somd), then send the order: for --strategy,
 * else the preferred strategy (`som config set strategy`), else somd's default.
 */
export async function run(opts: PlaceOptions, io: CommandIO): Promise<void> {
  const key = await instrumentKeyOf(opts.instrument, io);
  const strategy = opts.strategy ?? io.preferences.strategy;
  const result = await (await io.client()).call(
    'orders.place',
    placeParams(key, { ...opts, ...(strategy !== undefined ? { strategy } : {}) }),
  );
  await io.print(result, async () => (await import('../ui/orders.js')).renderPlaced(result));
}
