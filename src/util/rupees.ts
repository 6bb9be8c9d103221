/**
 * Rupees for people, written out rather than with Intl: its first formatter loads ICU's locale
 * and zone data, which costs a command more than the rest of its output. Shared by the command
 * line and the end-of-day report's HTML.
 */

/**
 * Rupees with Indian digit grouping, rounded to the paisa only here: 125085.5 -> "1,25,085.50".
 * Rounded as Intl.NumberFormat('en-IN') rounds: the number's shortest decimal form, half away
 * from zero (1.005 -> "1.01").
 */
export function formatRupees(value: number): string {
  const decimal = Math.abs(value).toString();
  // Exponent forms (below 1e-6, from 1e21) are no amounts of money; Intl writes them as well as anything.
  if (!Number.isFinite(value) || decimal.includes('e')) return INDIAN.format(value);
  const [whole = '0', fraction = ''] = decimal.split('.');
  let digits = whole + `${fraction}00`.slice(0, 2);
  if ((fraction[2] ?? '0') >= '5') digits = addOne(digits);
  const rupees = digits.slice(0, -2) || '0';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  return `${sign}${groupIndian(rupees)}.${digits.slice(-2)}`;
}

/** The Intl formatter for the rare number whose decimal form has an exponent, made only then. */
const INDIAN = {
  format: (value: number) =>
    new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value),
};

/** A string of decimal digits plus one: "0999" -> "1000", "99" -> "100". */
function addOne(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/** "12345678" -> "1,23,45,678": the last three digits, then pairs. */
function groupIndian(whole: string): string {
  if (whole.length <= 3) return whole;
  const head = whole.slice(0, -3);
  const pairs = head.length % 2 ? [head.slice(0, 1)] : [];
  for (let i = head.length % 2; i < head.length; i += 2) pairs.push(head.slice(i, i + 2));
  return `${pairs.join(',')},${whole.slice(-3)}`;
}
