import type { Exchange } from '../../domain/instrument.js';
import { istYymmdd } from '../../market/ist.js';

/**
 * Where the id counters start. Two engines built with the same start and fed the same calls
 * hand out the same ids, which is what makes a paper session replayable.
 */
export interface IdStart {
  /** First order counter value (default 1). */
  order?: number;
  /** First exchange order counter value (default 1). */
  exchangeOrder?: number;
  /** First trade counter value (default 1). */
  trade?: number;
}

/**
 * Leading digits of a 16-digit exchange order id by exchange. Kite's samples show NSE ids
 * starting 13 (orders.json 1300000038792287, order_info.json 1300000001887410) and an NFO id
 * starting 15 (orders.json 1500000159758742); the other prefixes are this project's choice.
 */
export const EXCHANGE_ORDER_ID_PREFIX: Readonly<Record<Exchange, string>> = {
  NSE: '13',
  NFO: '15',
  BSE: '11',
  BFO: '12',
  CDS: '16',
  BCD: '17',
  MCX: '20',
  NCO: '21',
};

/**
 * Kite-style identifiers, deterministic from their start values:
 * - order_id: IST date `YYMMDD` + 9-digit counter, 15 digits (order_info.json: 171229000724687);
 * - exchange_order_id: exchange prefix + 14-digit counter, 16 digits;
 * - trade_id: 8 digits (trades.json: "10000000").
 */
export class IdSource {
  #order: number;
  #exchangeOrder: number;
  #trade: number;

  constructor(start: IdStart = {}) {
    this.#order = start.order ?? 1;
    this.#exchangeOrder = start.exchangeOrder ?? 1;
    this.#trade = start.trade ?? 1;
  }

  nextOrderId(at: Date): string {
    return istYymmdd(at) + String(this.#order++).padStart(9, '0');
  }

  nextExchangeOrderId(exchange: Exchange): string {
    return EXCHANGE_ORDER_ID_PREFIX[exchange] + String(this.#exchangeOrder++).padStart(14, '0');
  }

  nextTradeId(): string {
    return String(10_000_000 + this.#trade++);
  }
}
