import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { equalRangeCounts } from "./equal-ranges";

describe("equalRangeCounts", () => {
  it("puts each value in its range, the largest in the last", () => {
    expect(equalRangeCounts([0, 1, 2.5, 4.99, 5, 9.99, 10], 2)).toEqual({ max: 10, counts: [4, 3] });
    expect(equalRangeCounts([0, 1, 2, 3, 4], 4)).toEqual({ max: 4, counts: [1, 1, 1, 2] });
  });

  it("gives zeros without values, and all in the first range when every value is 0", () => {
    expect(equalRangeCounts([], 3)).toEqual({ max: 0, counts: [0, 0, 0] });
    expect(equalRangeCounts([0, 0], 3)).toEqual({ max: 0, counts: [2, 0, 0] });
  });

  it("rejects a range count that is not a positive integer", () => {
    expect(() => equalRangeCounts([1], 0)).toThrow(/positive integer/);
    expect(() => equalRangeCounts([1], 2.5)).toThrow(/positive integer/);
  });

  it("counts every value once, each no further from 0 than its range allows", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (values, ranges) => {
          const { max, counts } = equalRangeCounts(values, ranges);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          expect(max).toBe(values.length ? Math.max(...values) : 0);
          // Values in range k are at least k × max / ranges: the counts from range k up never exceed those values.
          for (let k = 1; k < ranges; k++) {
            const atLeast = values.filter((v) => v >= (k * max) / ranges - max * 1e-12).length;
            expect(counts.slice(k).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(atLeast);
          }
        },
      ),
    );
  });
});
