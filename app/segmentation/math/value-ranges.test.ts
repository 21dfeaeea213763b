import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { valueRangeCounts } from "./value-ranges";

/** m × 10^e with m in 1, 2, 3, 5. */
const isRound = (x: number) => /^[1235]$/.test(x.toExponential(0).split("e")[0]) && Number(x.toExponential(0)) === x;

describe("valueRangeCounts", () => {
  it("bounds the ranges with round numbers from the low values up to the largest, finer where the values are", () => {
    // A skewed spread: most values small, a few large (as predicted 12-month values are).
    const values = [0, 0, 3, 8, 12, 15, 18, 22, 25, 40, 45, 60, 75, 90, 130, 250, 700, 4_000];
    const r = valueRangeCounts(values, 10);
    expect(r.max).toBe(4_000);
    // From the 5th percentile (3): 1-2-5 from 2 would need 10 bounds below 4,000, 1-3 needs 7.
    expect(r.edges).toEqual([3, 10, 30, 100, 300, 1_000, 3_000]);
    expect(r.counts).toEqual([2, 2, 5, 5, 2, 1, 0, 1]);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
  });

  it("uses the 1-2-5 scale when it fits, and decades of decades when even tens do not", () => {
    expect(valueRangeCounts([10, 20, 30, 60, 99], 10).edges).toEqual([10, 20, 50]);
    const wide = valueRangeCounts([1e-3, 1e9], 4);
    // Twelve decades in three bounds: one every four decades.
    expect(wide.edges).toEqual([1e-3, 10, 1e5]);
    expect(wide.counts).toEqual([0, 1, 0, 1]);
  });

  it("gives one range without positive values or when they are all the same", () => {
    expect(valueRangeCounts([], 10)).toEqual({ edges: [], max: 0, counts: [0] });
    expect(valueRangeCounts([0, 0], 10)).toEqual({ edges: [], max: 0, counts: [2] });
    expect(valueRangeCounts([7, 7, 7], 10)).toEqual({ edges: [5], max: 7, counts: [0, 3] });
  });

  it("rejects fewer than two ranges", () => {
    expect(() => valueRangeCounts([1], 1)).toThrow(/at least 2/);
    expect(() => valueRangeCounts([1], 2.5)).toThrow(/at least 2/);
  });

  it("counts every value once in its range, with at most maxRanges round, ascending bounds below the largest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 300 }),
        fc.integer({ min: 2, max: 16 }),
        (values, maxRanges) => {
          const { edges, max, counts } = valueRangeCounts(values, maxRanges);
          expect(max).toBe(values.length ? Math.max(...values) : 0);
          expect(counts).toHaveLength(edges.length + 1);
          expect(counts.length).toBeLessThanOrEqual(maxRanges);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          for (let k = 0; k < edges.length; k++) {
            expect(isRound(edges[k])).toBe(true);
            expect(edges[k]).toBeLessThan(max);
            if (k > 0) expect(edges[k]).toBeGreaterThan(edges[k - 1]);
          }
          const bounds = [-Infinity, ...edges, Infinity];
          for (let k = 0; k < counts.length; k++) {
            expect(counts[k]).toBe(values.filter((v) => v >= bounds[k] && v < bounds[k + 1]).length);
          }
          // The first bound is at or below the 5th percentile of the positive values (or of those not negligibly
          // small next to the largest): the first range holds few of them.
          const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
          const negligible = Math.max(max * 1e-12, 1e-300);
          if (edges.length && positive[Math.floor(0.05 * (positive.length - 1))] >= negligible) {
            expect(positive.filter((v) => v < edges[0]).length).toBeLessThanOrEqual(
              Math.floor(0.05 * (positive.length - 1)),
            );
          }
        },
      ),
    );
  });
});
