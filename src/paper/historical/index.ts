export { CANDLE_MODEL, buildCandles, openInterest, stamp, volumeBetween, type Candle, type CandleInstrument, type PriceSource } from './candles.js';
export { HISTORICAL_MESSAGES, historicalError, type HistoricalError, type HistoricalErrorCode } from './messages.js';
export { INTERVALS, isInterval, parseHistoricalRequest, parseIstDateTime, type HistoricalQuery, type HistoricalRequest, type Interval } from './request.js';
