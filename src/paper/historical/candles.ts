/**
 * Historical candles made up from the paper market: OHLC sampled from a price function,
 * volume and open interest drawn deterministically from the instrument and the minute, and
 * candles only where the exchange had a normal session (src/market/sessions.ts).
 *
 * Everything is a pure function of its inputs: the same token, range and price function give
 * the same candles, and a 5-minute candle's volume is the sum of its five minute candles'.
 */
import type { Exchange } from '../../domain/instrument.js';
import { addDays, istDate, istTime } from '../../market/ist.js';
import { daySchedule } from '../../market/sessions.js';
import { hash32 } from '../market/rng.js';
import { type HistoricalQuery, INTERVALS } from './request.js';

/** `["2017-12-15T09:15:00+0530", open, high, low, close, volume]`, with OI last when asked for. */
export type Candle =
  | [string, number, number, number, number, number]
  | [string, number, number, number, number, number, number];

/** What candles need to know about an instrument. */
export interface CandleInstrument {
  instrument_token: number;
  exchange: Exchange;
  /** `INDICES` for an index: no volume, no OI. */
  segment: string;
  instrument_type: string;
  tick_size: number;
  lot_size: number;
}

export interface PriceSource {
  /** The instrument's traded price at an instant, or undefined where the market has none. */
  priceAt(token: number, at: Date): number | undefined;
  /** Whether the exchange trades at an instant (candles start only where it does). */
  isTrading?(exchange: Exchange, at: Date): boolean;
}

/**
 * Volume and OI shape, as data (simulation values, not market facts):
 * - minuteVolume: per-minute traded quantity, in lots, drawn between min and max per instrument.
 * - openingCloseBoost: extra volume at the session's ends (intraday volume is U-shaped).
 * - oiLots: open interest in lots, drawn per instrument between min and max.
 * - oiKnotMinutes, oiSwing: OI drifts between hashed levels every `oiKnotMinutes`, by up to
 *   ±oiSwing of its base.
 * - samplesPerCandle: price samples for high and low, at least every 15 seconds for short
 *   candles and at most this many for long ones.
 */
export const CANDLE_MODEL = {
  minuteVolume: { min: 20, max: 400 },
  openingCloseBoost: 1.5,
  oiLots: { min: 2_000, max: 60_000 },
  oiKnotMinutes: 30,
  oiSwing: 0.08,
  samplesPerCandle: { perMinute: 4, max: 48 },
};

const MINUTE = 60_000;
const DERIVATIVE_TYPES = new Set(['FUT', 'CE', 'PE']);

/** Candles for `query` up to `now` (no candle starts in the future; the current one is partial). */
export function buildCandles(
  instrument: CandleInstrument,
  query: HistoricalQuery,
  now: Date,
  source: PriceSource,
): Candle[] {
  const out: Candle[] = [];
  const end = Math.min(query.to.getTime(), now.getTime());
  const lastDate = istDate(new Date(end));
  const step = INTERVALS[query.interval].minutes;
  for (let date = istDate(query.from); date <= lastDate; date = addDays(date, 1)) {
    const sessions = daySchedule(date, instrument.exchange).filter((s) => s.phase === 'normal');
    if (sessions.length === 0) continue;
    if (step === null) {
      const open = sessions[0]!.start.getTime();
      if (open > now.getTime()) continue;
      if (source.isTrading && !source.isTrading(instrument.exchange, new Date(open))) continue;
      const close = Math.min(sessions[sessions.length - 1]!.end.getTime(), now.getTime());
      const c = candle(instrument, `${date}T00:00:00+0530`, open, close, sessions, query.oi, source);
      if (c) out.push(c);
      continue;
    }
    for (const s of sessions) {
      for (let t = s.start.getTime(); t < s.end.getTime(); t += step * MINUTE) {
        if (t < query.from.getTime()) continue;
        if (t > end) break;
        if (source.isTrading && !source.isTrading(instrument.exchange, new Date(t))) continue;
        const close = Math.min(t + step * MINUTE, s.end.getTime(), now.getTime());
        const c = candle(instrument, stamp(new Date(t)), t, close, [s], query.oi, source);
        if (c) out.push(c);
      }
    }
  }
  return out;
}

interface Span {
  start: Date;
  end: Date;
}

/** One candle over [start, close); null when the price function has nothing there. */
function candle(
  inst: CandleInstrument,
  time: string,
  start: number,
  close: number,
  sessions: readonly Span[],
  withOi: boolean,
  source: PriceSource,
): Candle | null {
  if (close <= start) return null;
  const token = inst.instrument_token;
  const minutes = (close - start) / MINUTE;
  const { perMinute, max } = CANDLE_MODEL.samplesPerCandle;
  const n = Math.max(perMinute, Math.min(max, Math.round(minutes * perMinute)));
  const open = source.priceAt(token, new Date(start));
  if (open === undefined) return null;
  let high = open;
  let low = open;
  let last = open;
  for (let i = 1; i <= n; i++) {
    // The last sample is a millisecond before the close: the price at the close is the next candle's open.
    const at = i === n ? close - 1 : start + ((close - start) * i) / n;
    const p = source.priceAt(token, new Date(at));
    if (p === undefined) continue;
    if (p > high) high = p;
    if (p < low) low = p;
    last = p;
  }
  const tick = inst.tick_size;
  const row: Candle = [
    time,
    onTick(open, tick),
    onTick(high, tick),
    onTick(low, tick),
    onTick(last, tick),
    volumeBetween(inst, start, close, sessions),
  ];
  if (withOi) row.push(openInterest(inst, close - 1));
  return row;
}

/** Traded quantity between two instants: the sum of each whole minute's draw. */
export function volumeBetween(inst: CandleInstrument, start: number, end: number, sessions: readonly Span[]): number {
  if (inst.segment === 'INDICES') return 0;
  const token = inst.instrument_token;
  const lot = inst.lot_size > 0 ? inst.lot_size : 1;
  const { min, max } = CANDLE_MODEL.minuteVolume;
  const base = min + (hash32(token, 1) % (max - min + 1));
  let lots = 0;
  for (let t = Math.floor(start / MINUTE) * MINUTE; t < end; t += MINUTE) {
    const session = sessions.find((s) => s.start.getTime() <= t && t < s.end.getTime());
    if (!session) continue;
    // U shape: busier near the open and the close of the session.
    const x = (t - session.start.getTime()) / (session.end.getTime() - session.start.getTime());
    const shape = 1 + CANDLE_MODEL.openingCloseBoost * (2 * x - 1) ** 2;
    const noise = 0.25 + 1.5 * (hash32(token, 2, t / MINUTE) / 4_294_967_296);
    lots += Math.round(base * shape * noise);
  }
  return lots * lot;
}

/** Open interest of a derivative at an instant (0 for anything else), in whole lots. */
export function openInterest(inst: CandleInstrument, at: number): number {
  if (!DERIVATIVE_TYPES.has(inst.instrument_type)) return 0;
  const token = inst.instrument_token;
  const lot = inst.lot_size > 0 ? inst.lot_size : 1;
  const { min, max } = CANDLE_MODEL.oiLots;
  const baseLots = min + (hash32(token, 3) % (max - min + 1));
  const knotMs = CANDLE_MODEL.oiKnotMinutes * MINUTE;
  const k = Math.floor(at / knotMs);
  const level = (i: number) => (hash32(token, 4, i) / 4_294_967_296) * 2 - 1;
  // Steps of a minute, so consecutive minute candles often share a value, as Kite's sample does.
  const f = Math.floor((at - k * knotMs) / MINUTE) / CANDLE_MODEL.oiKnotMinutes;
  const drift = level(k) + (level(k + 1) - level(k)) * f;
  return Math.round(baseLots * (1 + CANDLE_MODEL.oiSwing * drift)) * lot;
}

/** `2017-12-15T09:15:00+0530`: Kite's candle timestamp, IST. */
export function stamp(at: Date): string {
  return `${istDate(at)}T${istTime(at)}+0530`;
}

/** A price on the instrument's tick grid (indices, tick 0, as they are). */
function onTick(price: number, tick: number): number {
  if (!(tick > 0)) return price;
  const decimals = Math.max(0, (String(tick).split('.')[1] ?? '').length);
  return Number((Math.round(price / tick) * tick).toFixed(decimals));
}
