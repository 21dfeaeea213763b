import { describe, expect, it } from "vitest";
import { bgnbdConditionalExpected } from "./bgnbd";

describe("BG/NBD conditional expectation edge cases", () => {
  it("handles a + b < 1 for customers without repeat purchases (c = a + b - 1 < 0)", () => {
    const p = { r: 0.8, alpha: 3, a: 0.3, b: 0.5 };
    const e = bgnbdConditionalExpected(p, 52, 0, 0, 20);
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(0);
    // Continuity: nearly the same value just above the c = 0 boundary.
    const above = bgnbdConditionalExpected({ ...p, b: 0.7000001 }, 52, 0, 0, 20);
    const below = bgnbdConditionalExpected({ ...p, b: 0.6999999 }, 52, 0, 0, 20);
    expect(above).toBeCloseTo(below, 4);
  });
  it("stays finite for heavy buyers and very large a, b", () => {
    expect(Number.isFinite(bgnbdConditionalExpected({ r: 0.5, alpha: 4, a: 0.8, b: 2.4 }, 52, 2000, 300, 310))).toBe(
      true,
    );
    const e = bgnbdConditionalExpected({ r: 0.5, alpha: 9.6, a: 86466, b: 183850 }, 52, 3, 40, 93);
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(52);
  });
});
