export {
  buildCandles,
  CANDLE_MODEL,
  type Candle,
  type CandleInstrument,
  openInterest,
  type PriceSource,
  stamp,
  volumeBetween,
} from './candles.js';
export { HISTORICAL_MESSAGES, type HistoricalError, type HistoricalErrorCode, historicalError } from './messages.js';
export {
  type HistoricalQuery,
  type HistoricalRequest,
  INTERVALS,
  type Interval,
  isInterval,
  parseHistoricalRequest,
  parseIstDateTime,
} from './request.js';
