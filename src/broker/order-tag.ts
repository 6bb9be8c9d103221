import { randomInt } from 'node:crypto';

/**
 * som's tag on every order it sends, so an order seen later in Kite's order book (or on the
 * WebSocket, or after a crash) is known as som's and attributed to its strategy.
 *
 * Format: `so` + the strategy id in decimal + `x` + random base-36 characters (0-9, a-z)
 * filling the tag to Kite's 20 characters (at least 10 of them), e.g. `so42xk3v9q0z7m1a8b2c`.
 * The id is decimal, not base 36, so the first `x` always ends it (base 36 has an `x` digit,
 * which would make `so1x2x...` ambiguous), and a person reading the order book sees the
 * strategy number. With 7 digits for the id and 10 to 16 random characters (36^10 is about
 * 3.7e15), two tags never meet in practice.
 *
 * Kite's limit: the `tag` parameter is alphanumeric, at most 20 characters (Kite Connect v3
 * orders docs; raised from 8 to 20, per Kite's forum). Lower case survives Kite unchanged.
 */
export const KITE_TAG_MAX_LENGTH = 20;

const PREFIX = 'so';
const SEPARATOR = 'x';
const MIN_RANDOM = 10;
/** The largest strategy id that still leaves MIN_RANDOM random characters. */
export const MAX_TAGGED_STRATEGY_ID = 10 ** (KITE_TAG_MAX_LENGTH - PREFIX.length - SEPARATOR.length - MIN_RANDOM) - 1;

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const TAG = /^so([1-9][0-9]*)x([0-9a-z]{10,})$/;

/** A uniform number in [0, 1) from the operating system's random source. */
const cryptoRandom = (): number => randomInt(0, 2 ** 47) / 2 ** 47;

/**
 * A fresh tag for an order of strategy `strategyId` (a positive integer up to
 * {@link MAX_TAGGED_STRATEGY_ID}). `random` (uniform in [0, 1)) is for tests.
 */
export function newOrderTag(strategyId: number, random: () => number = cryptoRandom): string {
  if (!Number.isSafeInteger(strategyId) || strategyId < 1 || strategyId > MAX_TAGGED_STRATEGY_ID) {
    throw new RangeError(`strategy id ${strategyId} cannot be put in an order tag (1..${MAX_TAGGED_STRATEGY_ID})`);
  }
  const head = `${PREFIX}${strategyId}${SEPARATOR}`;
  let tail = '';
  while (head.length + tail.length < KITE_TAG_MAX_LENGTH) {
    tail += BASE36[Math.min(35, Math.floor(random() * 36))];
  }
  return head + tail;
}

/** The strategy a tag names, when som made the tag; null for any other tag (or none). */
export function parseOrderTag(tag: string | null | undefined): { strategyId: number } | null {
  if (!tag || tag.length > KITE_TAG_MAX_LENGTH) return null;
  const m = TAG.exec(tag);
  if (!m) return null;
  const strategyId = Number(m[1]);
  return strategyId <= MAX_TAGGED_STRATEGY_ID ? { strategyId } : null;
}
