/**
 * The paper account's alerts: create, modify, delete, list, and evaluation against prices,
 * with the trigger history Kite keeps. State only: time and prices come from the caller, ATO
 * orders go out through the `placeOrder` callback.
 */
import type { Quote } from '../../domain/quote.js';
import { istTimestamp } from '../../market/ist.js';
import { hash32 } from '../market/rng.js';
import { alertError } from './messages.js';
import {
  ALERT_LIMITS,
  type AlertLimits,
  type AlertOperand,
  type AlertSpec,
  conditionText,
  holds,
  parseAlertRequest,
} from './rules.js';
import type {
  Alert,
  AlertError,
  AlertFiring,
  AlertHistoryEntry,
  AlertHistoryMeta,
  AlertOrderPlacer,
  AlertOrderRequest,
  AlertPlaceOutcome,
  AlertRequest,
  AlertStatus,
  AlertType,
  AtoOrderMeta,
  BasketItem,
} from './types.js';

export interface AlertBookOptions {
  userId: string;
  /**
   * An instrument by exchange and tradingsymbol, or undefined. Kite's alerts name the index
   * exchange `INDICES` (`INDICES:NIFTY 50`): the resolver must answer for it too.
   */
  resolve(exchange: string, tradingsymbol: string): { instrument_token: number } | undefined;
  /** Places an ATO alert's orders; without it ATO orders are recorded as failed. */
  placeOrder?: AlertOrderPlacer;
  /** Seed of the uuids handed out (the same seed gives the same uuids). */
  seed?: number;
  /** The first basket item id (ids then count up). */
  firstItemId?: number;
  limits?: Partial<AlertLimits>;
}

export type AlertOutcome = { ok: true; alert: Alert } | { ok: false; error: AlertError };

interface Entry {
  alert: Alert;
  spec: AlertSpec;
  lhsToken: number;
  rhsToken: number | null;
  history: AlertHistoryEntry[];
}

interface Seen {
  price: number;
  quote: Quote | undefined;
}

export class AlertBook {
  readonly #options: AlertBookOptions;
  readonly #limits: AlertLimits;
  readonly #entries = new Map<string, Entry>();
  /** The last price (and quote) seen per instrument token: the other side of two-instrument alerts. */
  readonly #seen = new Map<number, Seen>();
  #uuidCounter = 0;
  #nextItemId: number;

  constructor(options: AlertBookOptions) {
    this.#options = options;
    this.#limits = { ...ALERT_LIMITS, ...options.limits };
    this.#nextItemId = options.firstItemId ?? 275_218_517;
  }

  /** POST /alerts. Kite's answer leaves the basket out (alerts_create_ato.json); `get` shows it. */
  create(req: AlertRequest, now: Date): AlertOutcome {
    const count = [...this.#entries.values()].filter((e) => e.alert.status !== 'deleted').length;
    if (count >= this.#limits.maxAlerts)
      return { ok: false, error: alertError('MAX_ALERTS', { max: this.#limits.maxAlerts }) };
    const checked = this.#check(req);
    if (!checked.ok) return checked;
    const uuid = this.#uuid();
    const at = istTimestamp(now);
    const { spec, lhsToken, rhsToken } = checked.value;
    const entry: Entry = {
      spec,
      lhsToken,
      rhsToken,
      alert: this.#alertOf(checked.value.spec, checked.value.items, {
        uuid,
        status: 'enabled',
        alert_count: 0,
        created_at: at,
        updated_at: at,
      }),
      history: [],
    };
    this.#entries.set(uuid, entry);
    return { ok: true, alert: withoutBasket(entry.alert) };
  }

  /**
   * PUT /alerts/{uuid}: replace the alert's condition (and basket). A modified alert is
   * enabled again: changing the level of a spent alert re-arms it.
   */
  modify(uuid: string, req: AlertRequest, now: Date): AlertOutcome {
    const entry = this.#entries.get(uuid);
    if (!entry || entry.alert.status === 'deleted') return { ok: false, error: alertError('NOT_FOUND', { uuid }) };
    const checked = this.#check(req);
    if (!checked.ok) return checked;
    entry.spec = checked.value.spec;
    entry.lhsToken = checked.value.lhsToken;
    entry.rhsToken = checked.value.rhsToken;
    entry.alert = this.#alertOf(checked.value.spec, checked.value.items, {
      uuid,
      status: 'enabled',
      alert_count: entry.alert.alert_count,
      created_at: entry.alert.created_at,
      updated_at: istTimestamp(now),
    });
    return { ok: true, alert: entry.alert };
  }

  /** DELETE /alerts?uuid=..&uuid=..: all or nothing; an unknown uuid refuses the lot. */
  delete(uuids: readonly string[], now: Date): { ok: true } | { ok: false; error: AlertError } {
    for (const uuid of uuids) {
      const e = this.#entries.get(uuid);
      if (!e || e.alert.status === 'deleted') return { ok: false, error: alertError('NOT_FOUND', { uuid }) };
    }
    for (const uuid of uuids) {
      const e = this.#entries.get(uuid)!;
      e.alert = { ...e.alert, status: 'deleted', updated_at: istTimestamp(now) };
    }
    return { ok: true };
  }

  /** GET /alerts/{uuid} (deleted alerts are gone). */
  get(uuid: string): Alert | undefined {
    const e = this.#entries.get(uuid);
    return e && e.alert.status !== 'deleted' ? e.alert : undefined;
  }

  /** GET /alerts: newest first; deleted alerts only when asked for by `status`. */
  list(filter: { status?: string; type?: string } = {}): Alert[] {
    return [...this.#entries.values()]
      .map((e) => e.alert)
      .filter((a) => (filter.status ? a.status === filter.status : a.status !== 'deleted'))
      .filter((a) => !filter.type || a.type === filter.type)
      .reverse();
  }

  /** GET /alerts/{uuid}/history: each trigger, oldest first. */
  history(uuid: string): AlertHistoryEntry[] | undefined {
    const e = this.#entries.get(uuid);
    return e && e.alert.status !== 'deleted' ? [...e.history] : undefined;
  }

  /** Instrument tokens an enabled alert watches: what to feed onPrice. */
  watched(): number[] {
    const tokens = new Set<number>();
    for (const e of this.#entries.values()) {
      if (e.alert.status !== 'enabled') continue;
      tokens.add(e.lhsToken);
      if (e.rhsToken !== null) tokens.add(e.rhsToken);
    }
    return [...tokens];
  }

  /**
   * A traded price of instrument `token` at `now` (with its full quote when the caller has it,
   * for the history's market snapshot). Every enabled alert whose condition now holds fires
   * once: `alert_count` goes up, the alert turns `disabled` (as Kite shows a spent ATO alert:
   * alerts_get.json), the trigger is recorded in its history, and an ATO alert places its
   * basket through `placeOrder`.
   */
  onPrice(token: number, lastPrice: number, now: Date, quote?: Quote): AlertFiring[] {
    this.#seen.set(token, { price: lastPrice, quote });
    const fired: AlertFiring[] = [];
    for (const [uuid, e] of this.#entries) {
      if (e.alert.status !== 'enabled') continue;
      if (e.lhsToken !== token && e.rhsToken !== token) continue;
      const lhs = this.#seen.get(e.lhsToken);
      if (!lhs) continue;
      let rhsValue: number;
      if (e.spec.rhs.type === 'constant') rhsValue = e.spec.rhs.constant;
      else {
        const rhs = this.#seen.get(e.rhsToken!);
        if (!rhs) continue;
        rhsValue = rhs.price;
      }
      if (!holds(lhs.price, e.spec.operator, rhsValue)) continue;

      const at = istTimestamp(now);
      e.alert = { ...e.alert, status: 'disabled', alert_count: e.alert.alert_count + 1, updated_at: at };
      const orders = e.alert.type === 'ato' ? this.#placeBasket(e.alert.basket?.items ?? []) : [];
      const meta = [snapshot(e.spec.lhs, e.lhsToken, lhs, now)];
      if (e.spec.rhs.type === 'instrument')
        meta.push(snapshot(e.spec.rhs, e.rhsToken!, this.#seen.get(e.rhsToken!)!, now));
      const entry: AlertHistoryEntry = {
        uuid,
        type: e.alert.type,
        meta,
        condition: conditionText(e.spec),
        created_at: at,
        order_meta: e.alert.type === 'ato' ? orders.map((o) => o.meta) : null,
      };
      e.history.push(entry);
      fired.push({ uuid, entry, orders: orders.map(({ order, outcome }) => ({ order, outcome })) });
    }
    return fired;
  }

  #placeBasket(
    items: readonly BasketItem[],
  ): { order: AlertOrderRequest; outcome: AlertPlaceOutcome; meta: AtoOrderMeta }[] {
    return items.map((item) => {
      const p = item.params;
      const order: AlertOrderRequest = {
        variety: p.variety,
        exchange: item.exchange,
        tradingsymbol: item.tradingsymbol,
        transaction_type: p.transaction_type,
        order_type: p.order_type,
        quantity: p.quantity,
        product: p.product,
        price: p.price,
        trigger_price: p.trigger_price,
        disclosed_quantity: p.disclosed_quantity,
        validity: p.validity,
        validity_ttl: p.validity_ttl,
      };
      const outcome = this.#options.placeOrder?.(order) ?? { error: { message: 'Orders cannot be placed.' } };
      const meta: AtoOrderMeta =
        'order_id' in outcome
          ? {
              id: item.id,
              tradingsymbol: item.tradingsymbol,
              exchange: item.exchange,
              status: 'success',
              order_id: outcome.order_id,
              rejection_reason: '',
            }
          : {
              id: item.id,
              tradingsymbol: item.tradingsymbol,
              exchange: item.exchange,
              status: 'failed',
              order_id: '',
              rejection_reason: outcome.error.message,
            };
      return { order, outcome, meta };
    });
  }

  #check(
    req: AlertRequest,
  ):
    | { ok: true; value: { spec: AlertSpec; lhsToken: number; rhsToken: number | null; items: BasketItem[] } }
    | { ok: false; error: AlertError } {
    const parsed = parseAlertRequest(req, this.#limits);
    if (!parsed.ok) return parsed;
    const spec = parsed.value;
    const lhsToken = this.#token(spec.lhs);
    if (lhsToken === undefined)
      return {
        ok: false,
        error: alertError('UNKNOWN_INSTRUMENT', { key: `${spec.lhs.exchange}:${spec.lhs.tradingsymbol}` }),
      };
    let rhsToken: number | null = null;
    if (spec.rhs.type === 'instrument') {
      const t = this.#token(spec.rhs);
      if (t === undefined)
        return {
          ok: false,
          error: alertError('UNKNOWN_INSTRUMENT', { key: `${spec.rhs.exchange}:${spec.rhs.tradingsymbol}` }),
        };
      rhsToken = t;
    }
    const items: BasketItem[] = [];
    for (const b of spec.basket) {
      const found = this.#options.resolve(b.exchange, b.tradingsymbol);
      if (!found)
        return { ok: false, error: alertError('UNKNOWN_INSTRUMENT', { key: `${b.exchange}:${b.tradingsymbol}` }) };
      items.push({
        id: this.#nextItemId++,
        tradingsymbol: b.tradingsymbol,
        exchange: b.exchange,
        instrument_token: found.instrument_token,
        weight: b.weight,
        params: b.params,
      });
    }
    return { ok: true, value: { spec, lhsToken, rhsToken, items } };
  }

  #token(o: AlertOperand): number | undefined {
    return this.#options.resolve(o.exchange, o.tradingsymbol)?.instrument_token;
  }

  /** Kite's keys in Kite's order (alerts_get.json), the basket after `disabled_reason`. */
  #alertOf(
    spec: AlertSpec,
    items: BasketItem[],
    state: { uuid: string; status: AlertStatus; alert_count: number; created_at: string; updated_at: string },
  ): Alert {
    const type: AlertType = spec.type;
    const rhs = spec.rhs;
    return {
      type,
      user_id: this.#options.userId,
      uuid: state.uuid,
      name: spec.name,
      status: state.status,
      disabled_reason: '',
      ...(type === 'ato' ? { basket: { items } } : {}),
      lhs_attribute: spec.lhs.attribute,
      lhs_exchange: spec.lhs.exchange,
      lhs_tradingsymbol: spec.lhs.tradingsymbol,
      operator: spec.operator,
      rhs_type: rhs.type,
      rhs_attribute: rhs.type === 'instrument' ? rhs.attribute : '',
      rhs_exchange: rhs.type === 'instrument' ? rhs.exchange : '',
      rhs_tradingsymbol: rhs.type === 'instrument' ? rhs.tradingsymbol : '',
      rhs_constant: rhs.type === 'constant' ? rhs.constant : 0,
      alert_count: state.alert_count,
      created_at: state.created_at,
      updated_at: state.updated_at,
    };
  }

  /** A version-4-shaped uuid drawn from the seed and a counter: the same run gives the same ids. */
  #uuid(): string {
    const n = this.#uuidCounter++;
    const seed = (this.#options.seed ?? 0) >>> 0;
    const words = [0, 1, 2, 3].map((i) => hash32(seed, n, i));
    const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

function withoutBasket(alert: Alert): Alert {
  const { basket: _basket, ...rest } = alert;
  return rest;
}

/** The market snapshot of one side of a condition, from the quote when there is one. */
function snapshot(o: AlertOperand, token: number, seen: Seen, now: Date): AlertHistoryMeta {
  const q = seen.quote;
  return {
    instrument_token: token,
    tradingsymbol: o.tradingsymbol,
    timestamp: istTimestamp(now),
    last_price: seen.price,
    ohlc: q ? { ...q.ohlc } : { open: 0, high: 0, low: 0, close: 0 },
    net_change: q?.net_change ?? 0,
    exchange: o.exchange,
    // Kite's sample shows this zero time for an index, which has no trades.
    last_trade_time: q?.last_trade_time || '0001-01-01 00:00:00',
    last_quantity: q?.last_quantity ?? 0,
    buy_quantity: q?.buy_quantity ?? 0,
    sell_quantity: q?.sell_quantity ?? 0,
    volume: q?.volume ?? 0,
    volume_tick: 0,
    average_price: q?.average_price ?? 0,
    oi: q?.oi ?? 0,
    oi_day_high: q?.oi_day_high ?? 0,
    oi_day_low: q?.oi_day_low ?? 0,
    lower_circuit_limit: q?.lower_circuit_limit ?? 0,
    upper_circuit_limit: q?.upper_circuit_limit ?? 0,
  };
}
