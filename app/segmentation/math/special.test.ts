import { describe, expect, it } from "vitest";
import { betaln, digamma, gammaln, hyp2f1, logHyp2f1Positive, trigamma } from "./special";

describe("gammaln", () => {
  it("matches factorials and known values", () => {
    expect(gammaln(1)).toBeCloseTo(0, 14);
    expect(gammaln(5)).toBeCloseTo(Math.log(24), 13);
    expect(gammaln(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(gammaln(100)).toBeCloseTo(359.1342053695754, 9);
    expect(gammaln(1e-3)).toBeCloseTo(6.907178885383854, 10);
  });
});

describe("digamma", () => {
  it("matches known values and the derivative of gammaln", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 12);
    for (const x of [0.05, 0.3, 2.7, 13, 250]) {
      const h = 1e-5 * Math.max(1, x);
      const numeric = (gammaln(x + h) - gammaln(x - h)) / (2 * h);
      expect(digamma(x)).toBeCloseTo(numeric, 6);
    }
  });
});

describe("betaln", () => {
  it("is log B(a,b)", () => {
    expect(betaln(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
  });
});

describe("hyp2f1", () => {
  it("matches closed forms", () => {
    // 2F1(1,1;2;z) = -ln(1-z)/z
    for (const z of [0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
    }
    // 2F1(a,b;b;z) = (1-z)^-a
    expect(hyp2f1(2.5, 3, 3, 0.4)).toBeCloseTo(Math.pow(0.6, -2.5), 12);
    expect(hyp2f1(1, 1, 2, 0)).toBe(1);
  });
  it("refuses z outside [0,1)", () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
  it("throws rather than truncating when it cannot converge", () => {
    expect(() => hyp2f1(1, 1, 2, 0.999999, 100)).toThrow(/did not converge/);
  });
});

describe("logHyp2f1Positive", () => {
  it("agrees with the plain series where that one is finite", () => {
    for (const [a, b, c, z] of [
      [1, 1, 2, 0.5],
      [2.2, 3.1, 4.5, 0.7],
      [0.3, 2.4, 2.9, 0.95],
    ]) {
      expect(logHyp2f1Positive(a, b, c, z)).toBeCloseTo(Math.log(hyp2f1(a, b, c, z)), 11);
    }
  });
  it("stays finite where the series overflows a double", () => {
    // 2F1(a, b; b; z) = (1-z)^-a
    expect(logHyp2f1Positive(2000, 5, 5, 0.9)).toBeCloseTo(-2000 * Math.log(0.1), 6);
  });
});

describe("trigamma", () => {
  it("matches known values and the derivative of digamma", () => {
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 13);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 12);
    for (const x of [1e-3, 0.05, 0.3, 2.7, 13, 250, 1e5]) {
      const h = 1e-5 * x;
      const numeric = (digamma(x + h) - digamma(x - h)) / (2 * h);
      expect(trigamma(x) / numeric).toBeCloseTo(1, 6);
    }
  });
});
