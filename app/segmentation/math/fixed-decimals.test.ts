import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toFixedDigits } from "./fixed-decimals";

const digits = fc.integer({ min: 0, max: 3 });

describe("toFixedDigits", () => {
  it("writes what toFixed writes, for any number", () => {
    fc.assert(
      fc.property(fc.double(), digits, (v, d) => {
        expect(toFixedDigits(v, d)).toBe(v.toFixed(d));
      }),
      { numRuns: 20_000 },
    );
  });

  it("writes what toFixed writes for amounts, rates and probabilities as reasons carry them", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Minor units over 100 or 1000 (money), small rates, probabilities, and values on or beside halves.
          fc.integer({ min: -10_000_000, max: 10_000_000 }).map((m) => m / 100),
          fc.integer({ min: 0, max: 100_000_000 }).map((m) => m / 1000),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 2000, noNaN: true }),
          fc
            .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: -3, max: 3 }), digits)
            .map(([k, ulps, d]) => {
              const half = (k + 0.5) / 10 ** d;
              return half + ulps * Number.EPSILON * Math.max(1, Math.abs(half));
            }),
        ),
        digits,
        (v, d) => {
          expect(toFixedDigits(v, d)).toBe(v.toFixed(d));
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it("keeps toFixed's sign and its special cases", () => {
    for (const [v, d] of [
      [-0, 2],
      [-0.001, 2],
      [-0.004999, 2],
      [0.005, 2],
      [1.005, 2],
      [2.675, 2],
      [0.5, 0],
      [1.5, 0],
      [-2.5, 0],
      [999_999.995, 2],
      [1e6, 2],
      [123_456_789.125, 3],
      [NaN, 2],
      [Infinity, 1],
      [-Infinity, 3],
      [5e-324, 3],
    ] as const) {
      expect(toFixedDigits(v, d)).toBe(v.toFixed(d));
    }
  });
});
