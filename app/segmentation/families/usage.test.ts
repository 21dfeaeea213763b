import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 30, 12);

/** Customer i (1..10): i orders over the last year. */
function customers() {
  return Array.from({ length: 10 }, (_, k) => {
    const i = k + 1;
    return customerFeaturesFromOrders(
      `c${i}`,
      Array.from({ length: i }, (_, n) => ({
        id: `o${i}-${n}`,
        customerId: `c${i}`,
        processedAt: asOf - (365 - 30 * n) * DAY,
        totalMinor: 1000,
      })),
      "UTC",
    );
  });
}

describe("usage family", () => {
  const settings = parseSettings({});
  const list = customers();
  const cutoffs = fitShop(list, settings, asOf);

  it("tiers customers by annualized order rate against the fitted edges, with the rate in the reason", () => {
    // Rates are i orders per 365 days: edges at the 50th and 80th percentile are 5 and 8.
    expect(cutoffs.usage.rateEdges.values).toEqual([5, 8]);
    const tier = (i: number) =>
      assignSegments(list[i - 1], cutoffs, settings, asOf).memberships.find((m) => m.family === "usage");
    expect(tier(9)).toMatchObject({ key: "usage/heavy", reason: "9 orders/year > 8 (top 20%)" });
    expect(tier(6)).toMatchObject({ key: "usage/moderate", reason: "6 orders/year > 5" });
    expect(tier(5)).toMatchObject({ key: "usage/light", reason: "5 orders/year <= 5" });
  });

  it("states the fitted rates in the definitions", () => {
    const def = new Map(segmentCatalog(settings, cutoffs).map((e) => [e.key, e.definition]));
    const rate = "orders per year since the first order (counting at least 90 days)";
    expect(def.get("usage/heavy")).toBe(`More than 8 ${rate} (top 20%)`);
    expect(def.get("usage/moderate")).toBe(`More than 5 and at most 8 ${rate} (next 30%)`);
    expect(def.get("usage/light")).toBe(`At most 5 ${rate}, or no orders yet`);
    expect(segmentCatalog(settings).find((e) => e.key === "usage/heavy")?.definition).toBe(
      `Top 20% of customers with orders by ${rate}`,
    );
  });

  it("rejects shares that add up to more than everyone", () => {
    expect(() => parseSettings({ usage: { heavyTopShare: 0.6, moderateNextShare: 0.5 } })).toThrow(
      "usage: heavyTopShare + moderateNextShare must not exceed 1",
    );
  });
});
