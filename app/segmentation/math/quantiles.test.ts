import { describe, expect, it } from "vitest";
import { QUINTILES, quantileEdges, scoreAgainst } from "./quantiles";

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
