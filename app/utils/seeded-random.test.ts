import { describe, expect, it } from "vitest";
import { randomInt, seededRandom, shuffleInPlace } from "./seeded-random";

describe("seededRandom", () => {
  it("gives the same sequence for the same seed, and mulberry32's reference values", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    // mulberry32 with state 1: the first outputs of the reference C code
    // (uint32 arithmetic), computed outside JavaScript.
    const one = seededRandom(1);
    expect([one(), one(), one()].map((x) => x * 4294967296)).toEqual([2693262067, 11749833, 2265367787]);
  });

  it("reduces the seed to 32 bits and differs between seeds", () => {
    expect(seededRandom(2 ** 32 + 5)()).toBe(seededRandom(5)());
    expect(seededRandom(5)()).not.toBe(seededRandom(6)());
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const random = seededRandom(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("rejects a seed that is not a finite number", () => {
    expect(() => seededRandom(Number.NaN)).toThrow(/finite number as seed/);
    expect(() => seededRandom(undefined as unknown as number)).toThrow(/finite number as seed/);
  });
});

describe("randomInt and shuffleInPlace", () => {
  it("draws integers below the bound and rejects a bad bound", () => {
    const random = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const n = randomInt(random, 6);
      expect(Number.isInteger(n) && n >= 0 && n < 6).toBe(true);
    }
    expect(() => randomInt(random, 0)).toThrow(/positive integer/);
  });

  it("permutes deterministically for a seed", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffleInPlace(items.slice(), seededRandom(9));
    expect(a).toEqual(shuffleInPlace(items.slice(), seededRandom(9)));
    expect(a).not.toEqual(items);
    expect(a.slice().sort((x, y) => x - y)).toEqual(items);
  });
});
