/** Numbers in reason messages: people read them; the result's fields keep the exact values. */

/** Three significant digits: 2.4691358 -> "2.47", 0.0031746 -> "0.00317". */
export function sig(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** "1 tick", "3 ticks". */
export function ticksText(n: number): string {
  return `${n} tick${n === 1 ? '' : 's'}`;
}

/** An average price, to four decimals: 100.8417. */
export function price(x: number): string {
  return String(Number(x.toFixed(4)));
}
