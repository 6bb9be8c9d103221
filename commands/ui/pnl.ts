import { paint } from './color.js';
import { formatRupees } from './format.js';

/**
 * Profit or loss as people read it: always signed, so a glance tells a gain from a loss
 * without colour (+1,250.00, -300.50; nothing rounds to 0.00 with a sign), and green or red on
 * a colour terminal.
 */
export function formatPnl(value: number): string {
  const text = formatRupees(Math.abs(value));
  if (text === '0.00') return text;
  return value > 0 ? `+${text}` : `-${text}`;
}

/** {@link formatPnl}, painted green for a gain and red for a loss. */
export function pnlText(value: number): string {
  const text = formatPnl(value);
  if (text === '0.00') return text;
  return value > 0 ? paint.ok(text) : paint.bad(text);
}
