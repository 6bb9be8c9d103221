/**
 * Seeded randomness for the paper market. Two flavours, both pure integer arithmetic
 * (Math.imul and unsigned shifts), so a seed gives the same numbers on every platform:
 *
 * - `Rng`: a sequential generator (sfc32, Chris Doty-Humphrey's "small fast chaotic" PRNG,
 *   as in PractRand) for streams that are consumed in a fixed order, such as one
 *   underlying's per-second moves or one contract's trade events.
 * - `hash32` / `uniformAt`: counter-based draws, a pure function of their keys, for values
 *   that must not depend on what was drawn before (the resting quantities of a depth
 *   snapshot at a given second, for example).
 *
 * Normal draws use Box-Muller, which calls Math.log/sqrt/cos; V8 implements those in
 * software (its fdlibm port), so they too are the same on every platform for a Node version.
 */

const TWO_POW_32 = 4_294_967_296;
const GOLDEN = 0x9e3779b9;

/** murmur3's 32-bit finaliser: a bijective avalanche mix of one uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes one key into a running hash. Keys may exceed 32 bits (both halves are mixed). */
function mixKey(h: number, key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / TWO_POW_32) >>> 0;
  h = fmix32((h ^ fmix32(lo + GOLDEN)) >>> 0);
  if (hi !== 0) h = fmix32((h ^ fmix32(hi + 0x7f4a7c15)) >>> 0);
  return fmix32((Math.imul(h, 0x27d4eb2d) + 0x165667b1) >>> 0);
}

/** A uint32 that is a pure function of the (non-negative integer) keys. */
export function hash32(...keys: number[]): number {
  let h = 0x811c9dc5;
  for (const k of keys) h = mixKey(h, k);
  return h;
}

/** `hash32(a, b)` without the rest-argument array: the depth builder's hot path. */
export function hash2(a: number, b: number): number {
  return mixKey(mixKey(0x811c9dc5, a), b);
}

/** A uint32 seed from a number or a string (FNV-1a over UTF-16 code units, then mixed). */
export function hashSeed(seed: number | string): number {
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return hash32(seed);
  return fmix32(fnv1a32(String(seed)));
}

/** 32-bit FNV-1a of a string's UTF-16 code units (unmixed: stable for slots keyed by name). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Maps a uint32 to (0, 1), never 0 or 1, so that log(u) is always finite. */
export function toUnit(u32: number): number {
  return ((u32 >>> 0) + 0.5) / TWO_POW_32;
}

/** A counter-based uniform draw in (0, 1) for the given keys. */
export function uniformAt(...keys: number[]): number {
  return toUnit(hash32(...keys));
}

/** Sequential seeded generator (sfc32). */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` is any uint32 (use `hashSeed` for strings, `hash32` to derive sub-streams). */
  constructor(seed: number) {
    this.#a = hash32(seed, 1);
    this.#b = hash32(seed, 2);
    this.#c = hash32(seed, 3);
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** The next uint32. */
  nextU32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform in (0, 1). Consumes one draw. */
  uniform(): number {
    return toUnit(this.nextU32());
  }

  /**
   * Standard normal (Box-Muller). Always consumes exactly two draws, so a stream's position
   * depends only on how many values were asked for, never on the values.
   */
  normal(): number {
    const u1 = this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
