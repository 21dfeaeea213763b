import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeriesDidNotConvergeError } from "../math/special";
import { type BgNbdParams, bgnbdConditionalExpected, bgnbdProbabilityAlive } from "./bgnbd";
import { HorizonSeries, type PurchaseSummary, predictCustomer, predictedYearValue, seriesFor } from "./predict";
import { gammaGammaExpectedValue } from "./gamma-gamma";

const gg = { p: 6.25, q: 3.74, gamma: 15.44 };

/** E[Y(t)] computed directly, and whether its series did not converge (then NaN): what HorizonSeries must give. */
function computed(bg: BgNbdParams, horizonDays: number, unitDays: number, s: PurchaseSummary) {
  try {
    const value = bgnbdConditionalExpected(bg, horizonDays / unitDays, s.x, s.txDays / unitDays, s.Tdays / unitDays);
    return { value, failed: false };
  } catch (e) {
    if (e instanceof SeriesDidNotConvergeError) return { value: NaN, failed: true };
    throw e;
  }
}

const direct = (bg: BgNbdParams, horizonDays: number, unitDays: number, s: PurchaseSummary) =>
  computed(bg, horizonDays, unitDays, s).value;

const summary = (x: number, txDays: number, Tdays: number): PurchaseSummary => ({
  x,
  txDays,
  Tdays,
  repeatMean: x > 0 ? 2500 : 0,
  repeatTotal: x > 0 ? 2500 * x : 0,
});

const params = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.05, max: 300, noNaN: true }),
  // a = 0 (the no-dropout limit) and a = 1 (the removable singularity) take other branches of the formula.
  a: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0.01, max: 8, noNaN: true })),
  b: fc.double({ min: 0.01, max: 20, noNaN: true }),
});

// x up to 80 and T up to 5,000 days: inside and beyond the (x, T) kept in arrays.
const customer = fc
  .record({
    x: fc.integer({ min: 0, max: 80 }),
    T: fc.integer({ min: 0, max: 5000 }),
    share: fc.double({ min: 0, max: 1 }),
  })
  .map(({ x, T, share }) => summary(x, x === 0 ? 0 : Math.floor(T * share), T));

describe("HorizonSeries", () => {
  it("gives bgnbdConditionalExpected's value to the last bit, the series kept per (x, T) or not", () => {
    fc.assert(
      fc.property(
        params,
        fc.constantFrom(1, 7),
        fc.array(customer, { minLength: 1, maxLength: 40 }),
        (bg, unit, cs) => {
          const series = new HorizonSeries(bg, unit, 365);
          // Customers sharing x and T but not t_x reuse one series: asked twice, in any order.
          for (const s of [...cs, ...cs.map((c) => ({ ...c, txDays: Math.floor(c.txDays / 2) }))]) {
            expect(Object.is(series.expected(s), direct(bg, 365, unit, s))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("says when the series did not converge, and keeps saying it for that (x, T)", () => {
    const bg = { r: 0.5, alpha: 0.01, a: 0.8, b: 2.4 };
    const days365 = new HorizonSeries(bg, 1, 365);
    for (let k = 0; k < 2; k++) {
      expect(days365.expected(summary(3, 0, 0))).toBeNaN();
      expect(days365.lastDidNotConverge).toBe(true);
    }
    const fine = days365.expected(summary(3, 100, 200));
    expect(fine).toBe(direct(bg, 365, 1, summary(3, 100, 200)));
    expect(days365.lastDidNotConverge).toBe(false);
  });
});

describe("predictCustomer", () => {
  it("leaves both expectations out when either series does not converge (the 365-day one fails first)", () => {
    const bg = { r: 0.5, alpha: 0.01, a: 0.8, b: 2.4 };
    const s = summary(3, 0, 0);
    expect(Number.isFinite(direct(bg, 90, 1, s))).toBe(true);
    expect(direct(bg, 365, 1, s)).toBeNaN();
    const p = predictCustomer(bg, gg, 1, s);
    expect(p.expectedOrders90d).toBeNaN();
    expect(p.expectedOrders365d).toBeNaN();
    expect(p.clv12m).toBeNaN();
    expect(p.pAlive).toBe(bgnbdProbabilityAlive(bg, 3, 0, 0));
  });

  it("predicts from the shared series what the formulas give directly", () => {
    fc.assert(
      fc.property(params, fc.constantFrom(1, 7), customer, (bg, unit, s) => {
        const p = predictCustomer(bg, gg, unit, s, seriesFor(bg, unit));
        const e90 = computed(bg, 90, unit, s);
        const e365 = computed(bg, 365, unit, s);
        const failed = e90.failed || e365.failed;
        expect(Object.is(p.expectedOrders90d, failed ? NaN : e90.value)).toBe(true);
        expect(Object.is(p.expectedOrders365d, failed ? NaN : e365.value)).toBe(true);
        expect(p.pAlive).toBe(bgnbdProbabilityAlive(bg, s.x, s.txDays / unit, s.Tdays / unit));
        expect(
          Object.is(
            predictedYearValue(gg, s, seriesFor(bg, unit)),
            e365.value * gammaGammaExpectedValue(gg, s.x, s.repeatMean),
          ),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
