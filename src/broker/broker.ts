import type { Instrument } from '../domain/instrument.js';
import type { BrokerOrder, BrokerPosition, BrokerTrade, ModifyOrderRequest, PlaceOrderRequest } from '../domain/order.js';
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
  margins(): Promise<BrokerMargins>;
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
  available: { cash: number; opening_balance: number; live_balance: number; collateral: number; intraday_payin: number; adhoc_margin: number };
  utilised: Record<string, number>;
}
