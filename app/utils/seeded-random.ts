// The project's one seeded pseudo-random generator, for everything that must
// be reproducible from a seed: the Shopify simulator's synthetic stores,
// webhook chaos and bulk-output shuffles, the benchmarks' data, property tests.
// Pure: no I/O, no clock, no global state.
//
// mulberry32 (Tommy Ettinger): a 32-bit state advanced by a Weyl sequence and
// mixed with two multiply-xorshift rounds. Tiny and fast (no allocation per
// draw), it passes gjrand's and PractRand's tests up to a few hundred GB,
// far more than any store or benchmark here draws. Not cryptographic.

/** A function returning the next number of the sequence, uniform in [0, 1). */
export type RandomSource = () => number;

/**
 * A deterministic generator: the same seed always gives the same sequence,
 * on every platform. The seed is any finite number; it is reduced to an
 * unsigned 32-bit integer (so 1 and 2**32 + 1 give the same sequence).
 */
export function seededRandom(seed: number): RandomSource {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`seededRandom needs a finite number as seed, got ${String(seed)}`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) drawn from `random`; n must be a positive integer. */
export function randomInt(random: RandomSource, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`randomInt needs a positive integer bound, got ${n}`);
  return Math.floor(random() * n);
}

/** Shuffles `items` in place (Fisher-Yates) with `random`, and returns it. */
export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
