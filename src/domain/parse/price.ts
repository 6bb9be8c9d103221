import { invalid, isBlank, missing, type ParseError } from './error.js';

const EXPECTED = 'a number greater than 0';
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)$/;

/**
 * A price in rupees (a premium for options, a trigger), or any other amount that must be above
 * 0 (a protection percentage): finite, from a JSON number or from decimal text ("150.5",
 * "0.05"). Exponents and separators are refused as in quantities. The value is kept as given,
 * unrounded; whether it is on the instrument's tick is {@link checkOnTickGrid}'s question, since
 * only the instrument master knows the tick.
 */
export function parsePrice(value: unknown, field = 'price'): number | ParseError {
  if (isBlank(value)) return missing(field, EXPECTED);
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : invalid(field, EXPECTED, value);
  if (typeof value !== 'string') return invalid(field, EXPECTED, value);
  const text = value.trim();
  const n = Number(text);
  if (DECIMAL.test(text) && n > 0) return n;
  const read = Number(text.replace(/,/g, ''));
  return invalid(field, EXPECTED, value, Number.isFinite(read) && read > 0 ? `write it as ${read}` : undefined);
}

/** Decimal places the grid is counted in: paise at the least, finer for currency ticks (0.0025). */
const MIN_DECIMALS = 2;
const MAX_DECIMALS = 8;

/** The fewest decimal places that write `x` exactly, at least MIN_DECIMALS (0.0025 -> 4, 0.05 -> 2). */
function decimalsOf(x: number): number {
  for (let d = MIN_DECIMALS; d < MAX_DECIMALS; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return MAX_DECIMALS;
}

/**
 * Whether `price` lies on the tick grid of `tick` (0.05 for most NSE instruments), judged in
 * whole multiples of the smallest unit the tick is written in (paise for 0.05, hundredths of a
 * paisa for 0.0025): both become integers, so float noise such as 0.1 + 0.2 = 0.30000000000000004
 * is never taken for a price off the grid, while a real extra digit (150.553) is. Off the grid,
 * the error names the nearest valid prices either side. A tick of 0 or less means the
 * instrument sets none: every price is on it.
 */
export function checkOnTickGrid(price: number, tick: number, field = 'price'): number | ParseError {
  if (!(tick > 0) || !Number.isFinite(tick)) return price;
  const decimals = decimalsOf(tick);
  const scale = 10 ** decimals;
  const step = Math.round(tick * scale);
  const exact = price * scale;
  const units = Math.round(exact);
  const noise = 1e-9 * Math.max(1, Math.abs(exact));
  if (Math.abs(exact - units) <= noise && units % step === 0) return price;
  const at = Math.abs(exact - units) <= noise ? units : exact;
  const below = Math.floor(at / step) * step;
  const above = below + step;
  const write = (u: number) => (u / scale).toFixed(decimals);
  const nearest = below > 0 ? `${write(below)} or ${write(above)}` : write(above);
  return invalid(field, `on the tick grid of ${tick}`, price, `nearest valid: ${nearest}`);
}
