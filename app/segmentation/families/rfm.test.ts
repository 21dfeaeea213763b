import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { QUINTILES, quantileEdges, scoreAgainst } from "../math/quantiles";
import { parseSettings } from "../settings";
import { minimumForScore, RFM_GROUPS, rfmGroupOf } from "./rfm";

const DAY = 86_400_000;

describe("RFM groups", () => {
  it("cover every (R, FM) pair exactly once", () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const fm = (f + m) / 2;
          const hits = RFM_GROUPS.filter((g) =>
            g.ranges.some((x) => r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1]),
          );
          expect(hits).toHaveLength(1);
          expect(rfmGroupOf(r, f, m)).toBe(hits[0]);
        }
      }
    }
    expect(RFM_GROUPS.map((g) => g.handle)).toHaveLength(11);
  });
});

describe("RFM definitions", () => {
  it("start each score at the smallest whole number that reaches it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 80 }), (values) => {
        const edges = quantileEdges(Float64Array.from(values).sort(), QUINTILES);
        for (let s = 2; s <= 5; s++) {
          const min = minimumForScore(edges, s);
          expect(scoreAgainst(min, edges)).toBeGreaterThanOrEqual(s);
          expect(scoreAgainst(min - 1, edges)).toBeLessThan(s);
        }
      }),
    );
  });

  it("show the fitted thresholds: last-order dates, orders and spend", () => {
    // Customer i (1..10) has i orders of 10.00, the last one i days before the as-of date.
    const asOf = Date.UTC(2025, 5, 30, 12);
    const customers = Array.from({ length: 10 }, (_, k) => {
      const i = k + 1;
      return customerFeaturesFromOrders(
        `c${i}`,
        Array.from({ length: i }, (_, n) => ({
          id: `o${i}-${n}`,
          customerId: `c${i}`,
          processedAt: asOf - (i + 30 * n) * DAY,
          totalMinor: 1000,
        })),
        "UTC",
      );
    });
    const settings = parseSettings({});
    const cutoffs = fitShop(customers, settings, asOf);
    const byKey = new Map(segmentCatalog(settings, cutoffs).map((e) => [e.key, e]));
    // Orders 1..10: edges 2, 4, 6, 8 with ties below, so F 2 starts at 3 orders.
    expect(byKey.get("rfm/champions")?.definition).toBe(
      "R 5 (last order on or after 2025-06-28) and FM 4 to 5; FM = (F + M) / 2 with F 2 from 3, 3 from 5, 4 from 7, 5 from 9 orders and M 2 from 20.01, 3 from 40.01, 4 from 60.01, 5 from 80.01 spent (fifths of the 10 customers with orders)",
    );
    expect(byKey.get("rfm/promising")?.definition).toMatch(
      /^R 4 \(last order from 2025-06-26 to 2025-06-27\) and FM 1 to 1.5, or R 3 \(last order from 2025-06-24 to 2025-06-25\) and FM 1 to 2; FM = /,
    );
    // The words agree with the scores: R 5 for the two most recent, R 4 for the next two.
    const recency = (i: number) => assignSegments(customers[i - 1], cutoffs, settings, asOf).scores?.recency;
    expect([1, 2, 3, 4, 5, 6].map(recency)).toEqual([5, 5, 4, 4, 3, 3]);
    expect(byKey.get("rfm/prospects")?.definition).toBe("No orders yet");
    // Without cut-offs the definition explains the scores instead.
    expect(segmentCatalog(settings).find((e) => e.key === "rfm/dormant")?.definition).toMatch(
      /^R 1 and FM 1 to 2.5\. Scores 1-5 split the shop's customers with orders in fifths/,
    );
  });
});
