import { describe, expect, it } from "vitest";
import { assignTable } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop, type ShopCutoffs } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { parseSettings } from "../settings";
import { SYNTHETIC_AS_OF, syntheticStore } from "../testing/synthetic-store";
import { CLV_DISTRIBUTION_RANGES } from "./predictive";
import { NEGLIGIBLE_DROPOUT } from "./predictive-notes";

const settings = parseSettings({ predictive: { minCustomers: 100, minRepeatCustomers: 30 } });
const orders = syntheticStore();
const table = computeFeatureTable(orders, { timeZone: "UTC" });
const cutoffs = fitShop(table, settings, SYNTHETIC_AS_OF);

function fitted(c: ShopCutoffs) {
  if (c.predictive.status !== "ok") throw new Error(`expected fitted models: ${c.predictive.reason}`);
  return c.predictive;
}

const predictiveEntries = (c: ShopCutoffs | null) =>
  new Map(
    segmentCatalog(settings, c)
      .filter((e) => e.family === "predictive")
      .map((e) => [e.handle, e]),
  );

describe("predictive family: what the models say", () => {
  it("explains why every predictive segment is empty when the models could not be fitted", () => {
    const small = computeFeatureTable(
      orders.filter((o) => Number(o.customerId?.slice(1)) < 20),
      { timeZone: "UTC" },
    );
    const c = fitShop(small, settings, SYNTHETIC_AS_OF);
    const entries = predictiveEntries(c);
    expect(entries.size).toBe(6);
    for (const e of entries.values()) {
      expect(e.model?.status).toBe("unavailable");
      expect(e.model?.reason).toMatch(
        /^Not enough data for the BG\/NBD and Gamma-Gamma models: \d+ customers with orders; the models need at least 100\. /,
      );
    }
  });

  it("says ok, with the parameters and the customers behind them, when the fit is informative", () => {
    const p = fitted(cutoffs);
    const entries = predictiveEntries(cutoffs);
    for (const e of entries.values()) {
      expect(e.model?.status).toBe("ok");
      expect(e.model?.reason).toContain(
        `fitted on ${p.customers} customers, ${p.repeatCustomers} with a repeat purchase`,
      );
    }
    expect(entries.get("churn-risk")?.model?.reason).toMatch(
      /^The chance of dropping out after an order averages [\d.]+% \(BG\/NBD a = /,
    );
    // Without cut-offs there is nothing to say about a fit.
    for (const e of predictiveEntries(null).values()) expect(e.model).toBeUndefined();
  });

  it("keeps the distribution of the 12-month values the assignment gives, in ranges between round numbers", () => {
    const { clvDistribution } = fitted(cutoffs);
    const values: number[] = [];
    assignTable(table, cutoffs, settings, SYNTHETIC_AS_OF, (a) => {
      if (a.predictive.status === "ok") values.push(a.predictive.clv12mMinor);
    });
    expect(values.length).toBeGreaterThan(100);
    const { edges, max, counts } = clvDistribution!;
    expect(max).toBe(Math.max(...values));
    expect(counts.length).toBeGreaterThan(3);
    expect(counts.length).toBeLessThanOrEqual(CLV_DISTRIBUTION_RANGES);
    const bounds = [-Infinity, ...edges, Infinity];
    expect(counts).toEqual(counts.map((_, k) => values.filter((v) => v >= bounds[k] && v < bounds[k + 1]).length));
    // Readable where equal ranges were not: no range holds most of the customers.
    expect(Math.max(...counts)).toBeLessThan(values.length / 2);
  });

  it("warns that churn risk is nearly empty when the data show almost no dropout (a near 0), and it is", () => {
    const p = fitted(cutoffs);
    const a = ((p.bgnbd.b * NEGLIGIBLE_DROPOUT) / 10) as number;
    const noDropout: ShopCutoffs = { ...cutoffs, predictive: { ...p, bgnbd: { ...p.bgnbd, a } } };
    const entries = predictiveEntries(noDropout);
    expect(entries.get("churn-risk")?.model).toEqual({
      status: "weak",
      reason: expect.stringMatching(
        /^Almost no dropout observed: the chance of dropping out after an order averages 0\.\d+% .*churn risk is nearly empty\.$/,
      ),
    });
    expect(entries.get("likely-active")?.model?.status).toBe("weak");
    expect(entries.get("high-value")?.model?.status).toBe("ok");
    // The claim holds on the data: with that fit hardly any repeat customer is at risk, almost all look active.
    const normal = assignTable(table, cutoffs, settings, SYNTHETIC_AS_OF).counts;
    const weak = assignTable(table, noDropout, settings, SYNTHETIC_AS_OF).counts;
    const repeat = fitted(cutoffs).repeatCustomers;
    expect(normal["predictive/churn-risk"] ?? 0).toBeGreaterThan(0);
    expect(weak["predictive/churn-risk"] ?? 0).toBeLessThanOrEqual(repeat * 0.01);
    expect(weak["predictive/likely-active"]).toBeGreaterThanOrEqual(repeat * 0.9);
  });

  it("warns that medium-value is nearly empty when the tier edges coincide", () => {
    const p = fitted(cutoffs);
    const edge = p.clvEdges.values[1];
    const bunched: ShopCutoffs = {
      ...cutoffs,
      predictive: { ...p, clvEdges: { values: [edge, edge], tiesAbove: [true, true] } },
    };
    expect(predictiveEntries(bunched).get("medium-value")?.model?.status).toBe("weak");
  });

  it("defines the value tiers with the fitted 12-month value edges, in the shop's currency decimals", () => {
    const [medium, high] = fitted(cutoffs).clvEdges.values;
    const money = (v: number) => (v / 100).toFixed(2);
    const def = (h: string) => predictiveEntries(cutoffs).get(h)?.definition;
    expect(def("high-value")).toMatch(new RegExp(`of (at least|more than) ${money(high)} \\(top 20%\\)$`));
    expect(def("medium-value")).toMatch(
      new RegExp(`of (at least|more than) ${money(medium)} and (less than|at most) ${money(high)} \\(next 30%\\)$`),
    );
    expect(def("likely-active")).toBe(
      "At least two purchase days and a probability of still being a customer (BG/NBD P(alive)) of at least 0.7",
    );
    const yen = parseSettings({ currencyDecimals: 0, predictive: { minCustomers: 100 } });
    const yenHigh = segmentCatalog(yen, cutoffs).find((e) => e.key === "predictive/high-value")?.definition;
    expect(yenHigh).toContain(` ${high.toFixed(0)} (top 20%)`);
  });

  it("rejects thresholds that contradict each other", () => {
    expect(() => parseSettings({ predictive: { churnRiskMaxPAlive: 0.8 } })).toThrow(
      "predictive: churnRiskMaxPAlive must be below likelyActiveMinPAlive",
    );
    expect(() => parseSettings({ predictive: { highValueTopShare: 0.6, mediumValueNextShare: 0.5 } })).toThrow(
      "predictive: highValueTopShare + mediumValueNextShare must not exceed 1",
    );
  });
});
