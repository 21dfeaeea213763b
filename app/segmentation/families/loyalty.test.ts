import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 30, 12);

/** A customer with one order on each of the given days before the as-of date (discounted when asked). */
function customer(id: string, daysAgo: number[], discounted = false) {
  return customerFeaturesFromOrders(
    id,
    daysAgo.map((d, k) => ({
      id: `${id}-${k}`,
      customerId: id,
      processedAt: asOf - d * DAY,
      totalMinor: 2000,
      discountMinor: discounted ? 500 : 0,
    })),
    "UTC",
  );
}

describe("loyalty family", () => {
  const settings = parseSettings({});
  const list = [
    customer("new", [10]),
    customer("lapsed", [400, 200], true),
    customer("reactivated", [400, 20]),
    customer("one-time", [100], true),
    customer("at-risk", [300, 120]),
    customer("loyal", [200, 150, 100, 5]),
    customer("repeat", [60, 5]),
    customer("prospect", []),
  ];
  const cutoffs = fitShop(list, settings, asOf);
  const loyalty = (id: string) =>
    assignSegments(
      list.find((c) => c.customerId === id)!,
      cutoffs,
      settings,
      asOf,
    )
      .memberships.filter((m) => m.family === "loyalty")
      .map((m) => `${m.segment}: ${m.reason}`);

  it("gives exactly one stage in rule order, with the numbers, and switchers beside it", () => {
    expect(loyalty("new")).toEqual(["new: first order 10 days ago <= 30"]);
    expect(loyalty("lapsed")).toEqual([
      "lapsed: no order for 200 days > 180",
      "switchers: lapsed, 100% of orders discounted >= 50%",
    ]);
    expect(loyalty("reactivated")).toEqual([
      "reactivated: came back 20 days ago after 380 days without orders (> 180)",
    ]);
    expect(loyalty("one-time")).toEqual([
      "one-time: 1 order, 100 days ago",
      "switchers: one-time, 100% of orders discounted >= 50%",
    ]);
    expect(loyalty("at-risk")).toEqual(["at-risk: 2 orders, none for 120 days > 90"]);
    expect(loyalty("loyal")).toEqual(["loyal: 4 orders >= 4, last 5 days ago"]);
    expect(loyalty("repeat")).toEqual(["repeat: 2 orders, last 5 days ago"]);
    expect(loyalty("prospect")).toEqual([]);
  });

  it("writes a count of one in the singular", () => {
    const yesterday = [customer("new-yesterday", [1])];
    const assigned = assignSegments(yesterday[0], fitShop(yesterday, settings, asOf), settings, asOf).memberships;
    expect(assigned.find((m) => m.family === "loyalty")?.reason).toBe("first order 1 day ago <= 30");
    expect(assigned.find((m) => m.family === "rfm")?.reason).toMatch(/: last order 1 day ago, 1 order, 20\.00 spent$/);
  });

  it("defines the stages with the merchant's thresholds", () => {
    const custom = parseSettings({ loyalty: { loyalMinOrders: 6, atRiskAfterDays: 60, lapsedAfterDays: 365 } });
    const def = new Map(segmentCatalog(custom).map((e) => [e.key, e.definition]));
    expect(def.get("loyalty/repeat")).toBe(
      "2 to 5 orders, the last at most 60 days ago (and not new or reactivated: the first matching stage counts)",
    );
    expect(def.get("loyalty/at-risk")).toBe(
      "2 or more orders, the last more than 60 and at most 365 days ago (and not new or reactivated: the first matching stage counts)",
    );
    expect(def.get("loyalty/switchers")).toBe(
      "One-time or lapsed, and at least 50% of orders discounted (an extra segment beside the stage)",
    );
  });

  it("rejects an at-risk threshold at or after the lapsed one", () => {
    expect(() => parseSettings({ loyalty: { atRiskAfterDays: 200 } })).toThrow(
      "loyalty: atRiskAfterDays must be smaller than lapsedAfterDays",
    );
  });
});
