import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QUINTILES, quantileEdges, quantileEdgesOf, scoreAgainst } from "./quantiles";

const scores = (data: number[]) => {
  const edges = quantileEdges(Float64Array.from(data).sort(), QUINTILES);
  return data.map((v) => scoreAgainst(v, edges));
};

describe("quintile scores", () => {
  it("are plain quintiles without ties", () => {
    expect(scores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
  it("give a tied group the quintile of its mid-rank", () => {
    // 6 of 10 customers with one order: mid-rank 0.3 -> score 2.
    expect(scores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5])).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
  });
  it("still reach 5 when the top value is heavily tied", () => {
    expect(scores([1, 2, 3, 4, 5, 6, 7, 9, 9, 9])).toEqual([1, 1, 2, 2, 3, 3, 4, 5, 5, 5]);
  });
  it("score values between or beyond the data against the stored edges", () => {
    const edges = quantileEdges(Float64Array.from([10, 20, 30, 40, 50]), QUINTILES);
    expect([0, 10, 15, 45, 60].map((v) => scoreAgainst(v, edges))).toEqual([1, 1, 2, 5, 5]);
  });
});

describe("quantileEdgesOf (unsorted data, by selection)", () => {
  const probabilities = fc.uniqueArray(fc.double({ min: 0.001, max: 0.999, noNaN: true }), {
    minLength: 1,
    maxLength: 5,
  });

  it("gives quantileEdges' edges of the sorted data, ties and all, in any input order", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Few distinct values (the tie groups of order counts and days) or many (amounts).
          fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 300 }),
          fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        ),
        probabilities,
        (data, ps) => {
          const expected = quantileEdges(Float64Array.from(data).sort(), ps);
          expect(quantileEdgesOf(Float64Array.from(data), ps)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles sorted, reversed and constant data of a million values", () => {
    const n = 1_000_000;
    const up = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 3));
    for (const data of [up, up.slice().reverse(), new Float64Array(n).fill(7)]) {
      expect(quantileEdgesOf(data.slice(), QUINTILES)).toEqual(quantileEdges(data.slice().sort(), QUINTILES));
    }
  });
});
