/**
 * Open interest for futures and options: large near the money and for near expiries,
 * changing slowly, with the day's high and low.
 *
 * Day to day, OI moves a fifth of the way from where it opened towards a target set by
 * moneyness and time to expiry, plus a little noise (`nextDayOpenInterest`): this fixes
 * each day's opening OI without simulating the days in between, so a contract nobody
 * looked at for a week costs nothing to bring up to date. Within the day each trade
 * either transfers existing positions (OI unchanged) or opens or closes contracts (OI up
 * or down by the trade's quantity); opening is likelier when OI is below the next day's
 * opening figure and closing when above, so the intraday walk heads for it and the
 * overnight step is small.
 */
import { DERIVATIVE_SCALING, expiryMultiple, type LiquidityContext, type LiquidityProfile } from './liquidity.js';

export interface OpenInterest {
  oi: number;
  dayHigh: number;
  dayLow: number;
}

/** Share of trades that move OI at all (the rest transfer positions between traders). */
export const OI_MOVING_TRADE_SHARE = 0.5;
/** How strongly OI is pulled to its target: P(open) = 0.5 + this x (target - oi) / target, within [0.1, 0.9]. */
export const OI_PULL = 0.4;

/** The OI the market drifts towards, in shares (whole lots). */
export function targetOpenInterest(profile: LiquidityProfile, ctx: LiquidityContext, lotSize: number): number {
  const lots =
    (profile.oiLots * Math.exp(-DERIVATIVE_SCALING.oiPerZ2 * ctx.z * ctx.z)) / expiryMultiple(ctx.daysToExpiry);
  return Math.max(1, Math.round(lots)) * lotSize;
}

/** Share of the gap to target that OI closes from one day to the next. */
export const OI_DAILY_PULL = 0.2;
/** Day-to-day noise, as a fraction of the target (uniform in +-this). */
export const OI_DAILY_NOISE = 0.05;

/** The next trading day's opening OI, from today's opening OI; `u` is a uniform draw in (0, 1). Whole lots, at least one. */
export function nextDayOpenInterest(oi: number, target: number, lotSize: number, u: number): number {
  const next = oi + OI_DAILY_PULL * (target - oi) + OI_DAILY_NOISE * target * (2 * u - 1);
  return Math.max(1, Math.round(next / lotSize)) * lotSize;
}

/** Opening OI: the target scaled by `u` in (0, 1) to 60%..140%, whole lots. */
export function initialOpenInterest(target: number, lotSize: number, u: number): number {
  return Math.max(1, Math.round(((0.6 + 0.8 * u) * target) / lotSize)) * lotSize;
}

/** A new day: OI carries over, the day's range starts from it. */
export function startOpenInterestDay(oi: number): OpenInterest {
  return { oi, dayHigh: oi, dayLow: oi };
}

/**
 * OI after a trade of `quantity` shares, heading for `target` (the next day's opening OI).
 * `uMove` decides whether the trade moves OI, `uDirection` whether it opens or closes;
 * both are uniform draws in (0, 1).
 */
export function afterTrade(
  state: OpenInterest,
  quantity: number,
  target: number,
  uMove: number,
  uDirection: number,
): OpenInterest {
  if (uMove >= OI_MOVING_TRADE_SHARE) return state;
  const pull = target > 0 ? (target - state.oi) / target : 0;
  const pOpen = Math.min(0.9, Math.max(0.1, 0.5 + OI_PULL * pull));
  const oi = uDirection < pOpen ? state.oi + quantity : Math.max(0, state.oi - quantity);
  return { oi, dayHigh: Math.max(state.dayHigh, oi), dayLow: Math.min(state.dayLow, oi) };
}
