/** P&L and option Greeks: strategy P&L, Black-76, implied volatility, time to expiry. Pure. */

export {
  type Black76Input,
  type Black76Result,
  black76,
  isPnlError,
  type OptionType,
  type PnlError,
} from './black76.js';
export { type GreeksPosition, type GreeksReport, greeksReport, type PositionGreeks, positionGreeks } from './greeks.js';
export { type ImpliedVol, impliedVolatility } from './implied-vol.js';
export { type PnlPosition, type StrategyPnl, strategyPnl, unrealisedPnl } from './strategy-pnl.js';
export { expiryInstant, yearsToExpiry } from './time-to-expiry.js';
export { impliedCarryRate, type UnderlyingPrices, underlyingForward } from './underlying.js';
