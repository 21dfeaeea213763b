// Limits of the models. The no-dropout limit: when the data show hardly
// anyone leaving, the BG/NBD likelihood keeps rising as a -> 0. The fit must
// reach that limit's likelihood (not stop short of it) and say that a and b
// are not identified, and fitShop must carry that to the cut-offs. The
// homogeneous limits: a, b (or q, γ) growing together without bound.
import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { parseSettings } from "../settings";
import type { EngineOrder } from "../types";
import { bgnbdConditionalExpected, bgnbdLogLikelihood, bgnbdProbabilityAlive, fitBgNbd } from "./bgnbd";
import { compressCustomerBase } from "./customer-base";
import { fitGammaGamma, gammaGammaExpectedValue } from "./gamma-gamma";
import { compressSpend } from "./predict";
import { type SimulationOptions, simulateCustomerBase } from "./simulate";

const BASE: SimulationOptions = {
  customers: 20_000,
  seed: 2,
  r: 0.5,
  alpha: 8,
  dropout: null,
  maxAgeDays: 365,
  spend: { p: 6, q: 4, gamma: 15 },
};

describe("BG/NBD on a shop where nobody leaves", () => {
  const triples = compressCustomerBase(simulateCustomerBase(BASE), 7);
  const fit = fitBgNbd(triples);

  it("ends at the no-dropout limit and reports a and b as not identified", () => {
    expect(fit.limit).toBe("no-dropout");
    expect(fit.notIdentified).toEqual(["a", "b"]);
    expect(fit.params.a).toBe(0);
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toBe(false);
    // Close to the simulated purchase process.
    expect(Math.abs(fit.params.r / 0.5 - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alpha / 8 - 1)).toBeLessThan(0.1);
  });

  it("reaches the limit's likelihood: the BG/NBD likelihood tends to it as a -> 0 and stays below it", () => {
    const { r, alpha, b } = fit.params;
    expect(bgnbdLogLikelihood({ r, alpha, a: 1e-12, b }, triples)).toBeCloseTo(fit.logLik, 6);
    for (const a of [1e-6, 1e-4, 1e-2, 0.5]) {
      for (const bb of [0.5, 3, 100, 1e4, 1e6]) {
        expect(bgnbdLogLikelihood({ r, alpha, a, b: bb }, triples)).toBeLessThanOrEqual(fit.logLik + 1e-9);
      }
    }
    // Where lifetimes 0.11.3 (BetaGeoFitter with weights) stops on these data
    // (scripts/compare-lifetimes.py, synthetic-no-dropout-2-weeks).
    const lifetimes = bgnbdLogLikelihood({ r: 0.522817, alpha: 8.56759, a: 1.83791e-6, b: 8240.59 }, triples);
    expect(fit.logLik).toBeGreaterThanOrEqual(lifetimes);
  });

  it("predicts with every customer alive, at each customer's own rate", () => {
    expect(bgnbdProbabilityAlive(fit.params, 3, 10, 40)).toBe(1);
    const { r, alpha } = fit.params;
    expect(bgnbdConditionalExpected(fit.params, 52, 3, 10, 40)).toBeCloseTo(((r + 3) / (alpha + 40)) * 52, 12);
  });

  it("still finds the interior optimum when customers do leave", () => {
    const withDropout = fitBgNbd(
      compressCustomerBase(simulateCustomerBase({ ...BASE, seed: 4, dropout: { a: 0.8, b: 2.4 } }), 7),
    );
    expect(withDropout.limit).toBeNull();
    expect(withDropout.notIdentified).toEqual([]);
    expect(withDropout.converged).toBe(true);
    expect(withDropout.params.a).toBeGreaterThan(0.5);
    expect(withDropout.params.a).toBeLessThan(1.2);
  });
});

describe("fitShop on a shop where nobody leaves", () => {
  it("keeps the predictive family and says why a and b are not identified", () => {
    const sim = simulateCustomerBase({ ...BASE, customers: 5000 });
    const DAY = 86_400_000;
    const asOfDay = Date.UTC(2026, 0, 1) / DAY;
    const orders: EngineOrder[] = [];
    for (let i = 0; i < sim.length; i++) {
      const first = asOfDay - sim.ageDays[i];
      // Only x, t_x and T matter to the model: repeat days 1..x-1 and the last one at t_x.
      const days = [first];
      for (let k = 1; k < sim.frequency[i]; k++) days.push(first + k);
      if (sim.frequency[i] > 0) days.push(first + sim.recencyDays[i]);
      // The simulated repeat spend, spread evenly over the repeat days.
      const repeatValue = sim.frequency[i] > 0 ? Math.round(sim.repeatTotals[i] / sim.frequency[i]) : 0;
      days.forEach((day, k) =>
        orders.push({
          id: `${i}-${k}`,
          customerId: `c${i}`,
          processedAt: day * DAY + 12 * 3600_000,
          totalMinor: k === 0 ? 2500 : repeatValue,
        }),
      );
    }
    const settings = parseSettings({ timeZone: "UTC" });
    const features = computeFeatureTable(orders, { timeZone: "UTC" });
    const asOf = asOfDay * DAY + 23 * 3600_000;
    const cutoffs = fitShop(features, settings, asOf);
    const pred = cutoffs.predictive;
    expect(pred).toMatchObject({ status: "ok" });
    if (pred.status !== "ok") return;
    expect(pred.bgnbd.limit).toBe("no-dropout");
    expect(pred.bgnbd.notIdentified).toEqual(["a", "b"]);
    expect(pred.bgnbd.a).toBe(0);
    const assignment = assignSegments(features.customer(0), cutoffs, settings, asOf);
    expect(assignment.predictive.status).toBe("ok");
    if (assignment.predictive.status === "ok") expect(assignment.predictive.pAlive).toBe(1);
  });
});

describe("homogeneous limits", () => {
  // Everyone has the same dropout probability 0.3 and the same spend scale.
  const sim = simulateCustomerBase({
    ...BASE,
    customers: 5000,
    seed: 4,
    r: 0.8,
    alpha: 6,
    dropout: { a: 3e7, b: 7e7 },
    spend: { p: 4, q: 1e8, gamma: 5e6 },
  });

  it("BG/NBD: a and b grow together; only a/(a+b) is identified", () => {
    const fit = fitBgNbd(compressCustomerBase(sim, 7));
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toBe(false);
    expect(fit.limit).toBe("homogeneous-dropout");
    expect(fit.notIdentified).toEqual(["a", "b"]);
    const p = fit.params.a / (fit.params.a + fit.params.b);
    expect(Math.abs(p - 0.3)).toBeLessThan(0.03);
  });

  it("Gamma-Gamma: q and γ grow together; expected values are the population mean", () => {
    const x: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < sim.length; i++) {
      if (sim.frequency[i] > 0) {
        x.push(sim.frequency[i]);
        totals.push(sim.repeatTotals[i]);
      }
    }
    const fit = fitGammaGamma(compressSpend(x, totals, 0.01));
    expect(fit.converged).toBe(true);
    expect(fit.atBound).toBe(false);
    expect(fit.limit).toBe("homogeneous-spend");
    expect(fit.notIdentified).toEqual(["q", "gamma"]);
    // Mean spend per purchase day p/ν = 4 / (1e8 / 5e6) = 0.2 (currency units), whatever the customer's own mean.
    const mean = gammaGammaExpectedValue(fit.params, 0, 0);
    expect(Math.abs(mean / 0.2 - 1)).toBeLessThan(0.05);
    expect(gammaGammaExpectedValue(fit.params, 5, 10 * mean) / mean).toBeCloseTo(1, 3);
  });
});
