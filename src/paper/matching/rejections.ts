/**
 * Every refusal the paper exchange gives, with Kite's wording and where that wording was found.
 *
 * Kite refuses an order in one of two ways:
 * - at the request: HTTP 400 (or other) with `{ status: "error", error_type, message }`; no order
 *   is created. Zerodha's pre-OMS checks (circuit limits, freeze quantity, trigger price against
 *   LTP, market hours...) answer this way: "Such orders cannot be found in the order book as they
 *   are rejected before they are sent to the exchanges" (support.zerodha.com, "Why is the rejected
 *   order not displayed in the order book?"), "You will get an Input Exception while placing the
 *   order, if order is rejected at our RMS" (kite.trade/forum/discussion/7679).
 * - after acceptance: the order exists and turns REJECTED with `status_message` and
 *   `status_message_raw`. Margin shortfalls show up this way (orders.json sample).
 *
 * `confirmed: true` means the text was seen verbatim in a Kite response, Kite's docs or samples,
 * or a user's copy of a Kite response; `false` means it is the closest wording found or
 * composed, to be corrected when the real text is seen.
 */
import {
  type CatalogueError,
  formatPrice,
  type MessageParams,
  type MessageSpec,
  MISSING_FIELD,
  messageSpec as spec,
} from '../error-catalogue.js';

export type { KiteErrorType } from '../server/kite-error.js';

/** Tick sizes as Kite prints them: at least two decimals ("0.05", "0.10", "0.50"). */
export function formatTick(tick: number): string {
  const decimals = Math.max(2, (String(tick).split('.')[1] ?? '').length);
  return tick.toFixed(decimals);
}

const MARKET_CLOSED_LINK =
  '[Read more.](https://support.zerodha.com/category/trading-and-markets/gtt/articles/what-is-the-good-till-triggered-gtt-feature)';

export const REJECTIONS = {
  /** REJECTED order's status_message; the raw RMS text is `insufficientFundsRaw`. */
  INSUFFICIENT_FUNDS: spec<{ required: number; available: number }>({
    error_type: 'MarginException',
    http_status: 400,
    confirmed: true,
    source: 'test/fixtures/kite/orders.json (zerodha/kiteconnect-mocks), order 220524001859672',
    render: (p) =>
      `Insufficient funds. Required margin is ${p.required.toFixed(2)} but available margin is ${p.available.toFixed(2)}. Check the orderbook for open orders.`,
  }),
  PRICE_BELOW_LOWER_CIRCUIT: spec<{ limit: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'kite.trade/docs/connect/v3/gtt sample rejection_reason "Your order price is lower than the current lower circuit limit of 70.65. Place an order within the daily range."; error_type InputException per a captured response quoted in a public Go client README',
    render: (p) =>
      `Your order price is lower than the current lower circuit limit of ${formatPrice(p.limit)}. Place an order within the daily range.`,
  }),
  PRICE_ABOVE_UPPER_CIRCUIT: spec<{ limit: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      '"Your order price is higher than the current upper circuit limit of 503.35" quoted from a live Kite rejection in a public trading repo; the closing sentence is taken from the lower-limit twin (GTT docs sample); Zerodha tech blog "Veto" (2020) shows the same rule',
    render: (p) =>
      `Your order price is higher than the current upper circuit limit of ${formatPrice(p.limit)}. Place an order within the daily range.`,
  }),
  TRIGGER_ABOVE_UPPER_CIRCUIT: spec<{ limit: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'prefix "Trigger price for stoploss buy orders cannot be above the upper circuit price. Please try placing the order with trigger price below" kept by a public trading repo as a Kite error; the number after it is unconfirmed',
    render: (p) =>
      `Trigger price for stoploss buy orders cannot be above the upper circuit price. Please try placing the order with trigger price below ${formatPrice(p.limit)}`,
  }),
  TRIGGER_BELOW_LOWER_CIRCUIT: spec<{ limit: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed as the sell-side twin of TRIGGER_ABOVE_UPPER_CIRCUIT',
    render: (p) =>
      `Trigger price for stoploss sell orders cannot be below the lower circuit price. Please try placing the order with trigger price above ${formatPrice(p.limit)}`,
  }),
  PRICE_NOT_ON_TICK: spec<{ tick: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      '"Tick size for this script is 0.10. Kindly enter price in the multiple of tick size for this script" in several public Kite users\' logs and tests',
    render: (p) =>
      `Tick size for this script is ${formatTick(p.tick)}. Kindly enter price in the multiple of tick size for this script`,
  }),
  TRIGGER_NOT_ON_TICK: spec<{ tick: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      '"Tick size for this script is 0.50. Kindly enter trigger price in the multiple of tick size for this script" in public Kite users\' logs',
    render: (p) =>
      `Tick size for this script is ${formatTick(p.tick)}. Kindly enter trigger price in the multiple of tick size for this script`,
  }),
  QUANTITY_NOT_LOT_MULTIPLE: spec<{ lot: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'no Kite text found; wording follows "Quantity must be in multiples of lot size" seen in a public repo\'s broker log',
    render: (p) => `Quantity must be in multiples of lot size ${p.lot}.`,
  }),
  QUANTITY_ABOVE_FREEZE: spec<{ quantity: number; lots: number; max: number; maxLots: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'tradingqna.com/t/freeze-qty-old-stale-not-being-updated/160065 (2024): "The order quantity 6300 (21 lots) is higher than the maximum quantity of 6000 (20 lots) allowed by the exchanges. Please reduce the order quantity or use iceberg orders."; kite.trade/forum comment 46716: the freeze quantity comes back in the 400 response',
    render: (p) =>
      `The order quantity ${p.quantity} (${p.lots} lots) is higher than the maximum quantity of ${p.max} (${p.maxLots} lots) allowed by the exchanges. Please reduce the order quantity or use iceberg orders.`,
  }),
  MARKET_CLOSED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'Kite response captured in a public repo: {"status":"error","message":"Markets are closed right now. Use GTT for placing long standing orders instead. [Read more.](https://support.zerodha.com/...)","error_type":"InputException"}',
    render: () =>
      `Markets are closed right now. Use GTT for placing long standing orders instead. ${MARKET_CLOSED_LINK}`,
  }),
  AMO_DURING_MARKET_HOURS: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: Zerodha support "Why is the rejected order not displayed in the order book?" (AMOs blocked 9:00-15:45 EQ); wording composed',
    render: () => 'After market orders (AMO) cannot be placed during market hours. Place a regular order instead.',
  }),
  INSTRUMENT_EXPIRED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'no Kite text found; composed',
    render: () => 'The instrument has expired. Place an order in an active contract.',
  }),
  INVALID_TRADINGSYMBOL: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      '"Invalid `tradingsymbol`." as InputException in public Kite client tests; Kite\'s field-error style ("Invalid `order_id`")',
    render: () => 'Invalid `tradingsymbol`.',
  }),
  TRIGGER_NOT_ABOVE_LTP: spec<{ ltp: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      '"Trigger price for stoploss buy orders should be higher than the last traded price" kept by public repos as a Kite error (one with "HTTP 400"); the "(ltp). Try limit order to buy at a lower price." tail is from a Kite look-alike and unconfirmed; error_type unconfirmed',
    render: (p) =>
      `Trigger price for stoploss buy orders should be higher than the last traded price (${formatPrice(p.ltp)}). Try limit order to buy at a lower price.`,
  }),
  TRIGGER_NOT_BELOW_LTP: spec<{ ltp: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'sell-side twin: "Trigger price for stoploss sell orders should be lower than the last traded price" (public repo test); tail unconfirmed',
    render: (p) =>
      `Trigger price for stoploss sell orders should be lower than the last traded price (${formatPrice(p.ltp)}). Try limit order to sell at a higher price.`,
  }),
  TRIGGER_ABOVE_PRICE: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'third-party guide (webnotes.in, "trigger and limit price mismatch") quoting "Trigger price can\'t be higher than price"',
    render: () => "Trigger price can't be higher than price",
  }),
  TRIGGER_BELOW_PRICE: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'third-party guide (webnotes.in) quoting "Trigger price can\'t be lesser than price"',
    render: () => "Trigger price can't be lesser than price",
  }),
  MARKET_PROTECTION_REQUIRED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'kite.trade/forum/discussion/comment/52331: "Market orders without market protection are not allowed via API. Please set market protection or use a Limit order."; error_type unconfirmed',
    render: () =>
      'Market orders without market protection are not allowed via API. Please set market protection or use a Limit order.',
  }),
  INVALID_MARKET_PROTECTION: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: "rule: -1 (auto) or 0..100 (forum comment 52940); wording in Kite's field-error style, unconfirmed",
    render: () => 'Invalid `market_protection`.',
  }),
  MAX_MODIFICATIONS: spec({
    error_type: 'NetworkException',
    http_status: 400,
    confirmed: true,
    source:
      '"Maximum allowed order modifications exceeded." matched verbatim with error_type NetworkException by public Kite clients; limit 25 (Zerodha support); HTTP status unconfirmed',
    render: () => 'Maximum allowed order modifications exceeded.',
  }),
  MODIFY_NOT_ALLOWED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'kite.trade/forum/discussion/8106: the "...as it is being processed. Try later." message is Kite\'s generic answer to modifying or cancelling an executed order; the modify wording is the twin of the confirmed cancel text',
    render: () => 'Order cannot be modified as it is being processed. Try later.',
  }),
  CANCEL_NOT_ALLOWED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'kite.trade/forum/discussion/8106 and /9679; "kiteconnect.exceptions.InputException: Order cannot be cancelled as it is being processed. Try later." in public tracebacks',
    render: () => 'Order cannot be cancelled as it is being processed. Try later.',
  }),
  ORDER_NOT_FOUND: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: '"Couldn\'t find that `order_id`." from a public Kite mock; unconfirmed',
    render: () => "Couldn't find that `order_id`.",
  }),
  QUANTITY_BELOW_FILLED: spec<{ filled: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'no Kite text found; composed',
    render: (p) => `Quantity cannot be less than or equal to the filled quantity (${p.filled}).`,
  }),
  TAG_TOO_LONG: spec<{ max: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: kite.trade/forum/discussion/comment/52970 (max 20 characters, rejected not truncated); wording composed',
    render: (p) => `Invalid \`tag\`. Tag can be at most ${p.max} characters.`,
  }),
  INVALID_FIELD: spec<{ field: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'Kite\'s field-error style ("Invalid `tradingsymbol`.", "Missing or empty field `product`" in forum posts); per-field texts unconfirmed',
    render: (p) => `Invalid \`${p.field}\`.`,
  }),
  MISSING_FIELD,
  PRODUCT_NOT_ALLOWED: spec<{ product: string; exchange: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'no Kite text found; composed',
    render: (p) => `Product ${p.product} is not allowed for ${p.exchange}.`,
  }),
  DISCLOSED_QUANTITY: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'rule: NSE/BSE disclosed quantity at least 10% of the quantity, none for derivatives; wording composed',
    render: () =>
      'Invalid disclosed quantity. It must be at least 10% of the quantity and not more than the quantity, and is not allowed for derivatives.',
  }),
  IOC_NOT_ALLOWED: spec<{ exchange: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'rule: kite.trade/forum/discussion/comment/52316 (MCX IOC not supported for algo orders); wording composed',
    render: (p) => `IOC orders are not allowed on ${p.exchange}.`,
  }),
  UNSUPPORTED_VARIETY: spec<{ variety: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'paper exchange only: Kite takes this variety, the paper exchange does not model it',
    render: (p) => `Order variety \`${p.variety}\` is not supported by the paper exchange.`,
  }),
} as const;

export type RejectionCode = keyof typeof REJECTIONS;

/** A refused request as a value: `code` for callers, the rest as Kite answers. */
export type KiteError = CatalogueError<RejectionCode>;

/** Build the error for `code` with its message parameters. */
export function reject<C extends RejectionCode>(code: C, ...params: MessageParams<(typeof REJECTIONS)[C]>): KiteError {
  const s = REJECTIONS[code] as MessageSpec<unknown>;
  return { code, error_type: s.error_type, message: s.render(params[0]), http_status: s.http_status };
}

/**
 * The two texts a margin-rejected order carries (orders.json, order 220524001859672):
 * `status_message` for people and `status_message_raw` as the OMS/RMS wrote it (trailing space
 * included).
 */
export function insufficientFunds(
  required: number,
  available: number,
  userId: string,
): { status_message: string; status_message_raw: string } {
  const r = required.toFixed(2);
  const a = available.toFixed(2);
  return {
    status_message: REJECTIONS.INSUFFICIENT_FUNDS.render({ required, available }),
    status_message_raw: `RMS:Margin Exceeds,Required:${r}, Available:${a} for entity account-${userId} across exchange across segment across product `,
  };
}
