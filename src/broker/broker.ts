import type { Instrument } from '../domain/instrument.js';
import type {
  BrokerOrder,
  BrokerPosition,
  BrokerTrade,
  ModifyOrderRequest,
  PlaceOrderRequest,
} from '../domain/order.js';
import type { Quote } from '../domain/quote.js';

/**
 * Everything som's engine asks of a broker. One implementation (`KiteBroker`) serves both the
 * real Kite and the paper exchange through the official kiteconnect client; only the roots
 * differ. Every method rejects with a {@link BrokerError} (never a bare kiteconnect object).
 */
export interface Broker {
  /** Use this access token from now on (null: none, calls will fail with a session error). */
  setAccessToken(token: string | null): void;
  /** Kite's login page for this api_key (the user signs in there; Kite redirects with a request_token). */
  loginUrl(): string;
  /** Exchange a request_token for a session (checksum = sha256(api_key + request_token + api_secret)). */
  generateSession(requestToken: string, apiSecret: string): Promise<BrokerSession>;
  profile(): Promise<BrokerProfile>;

  /**
   * One attempt to place an order; never retried here (see `placeOrderOnce` in
   * order-placement.ts for the tag look-up that decides whether a failed attempt landed).
   */
  placeOrder(request: PlaceOrderRequest): Promise<{ order_id: string }>;
  modifyOrder(variety: string, orderId: string, changes: ModifyOrderRequest): Promise<{ order_id: string }>;
  cancelOrder(variety: string, orderId: string, parentOrderId?: string): Promise<{ order_id: string }>;

  orders(): Promise<BrokerOrder[]>;
  orderHistory(orderId: string): Promise<BrokerOrder[]>;
  trades(): Promise<BrokerTrade[]>;
  orderTrades(orderId: string): Promise<BrokerTrade[]>;
  positions(): Promise<{ net: BrokerPosition[]; day: BrokerPosition[] }>;
  /** Demat holdings (GET /portfolio/holdings): a CNC position becomes one at the next day's settlement. */
  holdings(): Promise<BrokerHolding[]>;
  /** GTT triggers (GET /gtt/triggers), every status. */
  gtts(): Promise<BrokerGtt[]>;
  /** Delete a GTT trigger: it will never fire. */
  deleteGtt(id: number): Promise<void>;
  /** Replace a GTT trigger's definition (Kite's modify takes the whole of it). */
  modifyGtt(id: number, gtt: GttDefinition): Promise<void>;
  margins(): Promise<BrokerMargins>;
  /**
   * What a basket of orders needs (POST /margins/basket): `initial` is the legs each on their
   * own, summed; `final` the basket held together (hedges and premium netted), on top of the
   * account's open positions when `considerPositions`; `orders` one entry per leg. A read:
   * rate-limited and retried like the others.
   */
  basketMargins(orders: readonly MarginOrder[], considerPositions: boolean): Promise<BasketMargins>;
  /** The whole instrument master (all exchanges), parsed from Kite's CSV. */
  instruments(): Promise<Instrument[]>;
  /** Full quotes keyed `EXCHANGE:TRADINGSYMBOL` (Kite allows 1 request/s; the adapter queues). */
  quote(keys: readonly string[]): Promise<Record<string, Quote>>;
}

export interface BrokerSession {
  user_id: string;
  user_name: string;
  access_token: string;
  /** When Kite issued the token (ISO instant). Kite tokens expire at 06:00 IST the next day. */
  login_time: string | null;
}

export interface BrokerProfile {
  user_id: string;
  user_name: string;
  email: string;
  broker: string;
  exchanges: string[];
  products: string[];
  order_types: string[];
}

/** Available and used margin per segment, as GET /user/margins (only the fields som uses are typed). */
export interface BrokerMargins {
  equity?: SegmentMargin;
  commodity?: SegmentMargin;
}

export interface SegmentMargin {
  enabled: boolean;
  net: number;
  available: {
    cash: number;
    opening_balance: number;
    live_balance: number;
    collateral: number;
    intraday_payin: number;
    adhoc_margin: number;
  };
  utilised: Record<string, number>;
}

/** One order as Kite's margin APIs take it (kite.trade/docs/connect/v3/margins, "Order structure"). */
export interface MarginOrder {
  exchange: string;
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  variety: 'regular' | 'amo';
  product: string;
  order_type: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
  quantity: number;
  /** The limit price (LIMIT, SL); 0 for MARKET, which Kite margins at the last price. */
  price: number;
  trigger_price: number;
}

/**
 * One margin figure of Kite's margin APIs (`initial`, `final`, or a leg), rupees, unrounded.
 * Kite's compact mode sends only some of the parts: a part it leaves out reads 0; `total` is
 * always there.
 */
export interface OrderMargin {
  /** "equity" or "commodity" for a leg; "" for a basket's `initial` and `final`. */
  type: string;
  tradingsymbol: string;
  exchange: string;
  span: number;
  exposure: number;
  option_premium: number;
  additional: number;
  bo: number;
  cash: number;
  var: number;
  total: number;
}

/** POST /margins/basket `data`, the parts som reads (basket_margins.json). */
export interface BasketMargins {
  initial: OrderMargin;
  final: OrderMargin;
  orders: OrderMargin[];
}

/** A demat holding, the parts som reads (holdings.json). */
export interface BrokerHolding {
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  /** Settled in the demat account. */
  quantity: number;
  /** Bought, settling tomorrow (T+1). */
  t1_quantity: number;
  /** Sold today (shown as a negative CNC position until it settles). */
  used_quantity: number;
  average_price: number;
  last_price: number;
}

/** What a GTT trigger fires: one order per trigger value, in the same order. */
export interface GttOrder {
  exchange: string;
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  quantity: number;
  order_type: string;
  product: string;
  price: number;
}

/** A GTT trigger's definition, as Kite's place and modify take it. */
export interface GttDefinition {
  type: 'single' | 'two-leg';
  exchange: string;
  tradingsymbol: string;
  /** One value for a single trigger; two, lower then upper, for a two-leg (OCO) trigger. */
  trigger_values: number[];
  /** The last price when the trigger was set. */
  last_price: number;
  orders: GttOrder[];
}

/** A GTT trigger as the broker describes it (gtt_get_orders.json). */
export interface BrokerGtt extends GttDefinition {
  id: number;
  instrument_token: number;
  /** active, triggered, disabled, expired, cancelled, rejected or deleted. */
  status: string;
  /** ISO instants (Kite sends IST wall times; the adapter converts). */
  created_at: string | null;
  updated_at: string | null;
  expires_at: string | null;
}
