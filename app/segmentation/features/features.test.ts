import { describe, expect, it } from "vitest";
import type { EngineOrder } from "../types";
import { computeFeatureTable, FeatureAccumulator } from "./accumulator";
import { customerFeaturesFromOrders, updateCustomerFeatures } from "./customer";

const base = (o: Partial<EngineOrder> & { id: string; processedAt: number }): EngineOrder => ({
  customerId: "c1",
  totalMinor: 1000,
  ...o,
});

describe("feature accumulator", () => {
  it("nets out cancelled and fully refunded orders and counts guest orders only for the shop", () => {
    const table = computeFeatureTable(
      [
        base({
          id: "1",
          processedAt: Date.UTC(2025, 0, 1, 12),
          totalMinor: 2000,
        }),
        base({
          id: "2",
          processedAt: Date.UTC(2025, 0, 2, 12),
          cancelled: true,
        }),
        base({
          id: "3",
          processedAt: Date.UTC(2025, 0, 3, 12),
          fullyRefunded: true,
        }),
        base({
          id: "4",
          processedAt: Date.UTC(2025, 0, 4, 12),
          totalMinor: 500,
        }),
        base({
          id: "5",
          processedAt: Date.UTC(2025, 0, 5, 12),
          customerId: null,
          totalMinor: 700,
        }),
      ],
      { timeZone: "UTC" },
    );
    expect(table.size).toBe(1);
    const c = table.customer(0);
    expect(c.orders).toBe(2);
    expect(c.totalSpentMinor).toBe(2500);
    expect(table.shop.orders).toBe(3);
    expect(table.shop.guestOrders).toBe(1);
    expect(table.shop.skippedOrders).toBe(2);
    expect(table.shop.revenueMinor).toBe(3200);
  });

  it("computes weekday, hour, day and month in the shop's time zone", () => {
    // 2025-03-01 03:30 UTC is Friday 2025-02-28 22:30 in New York (UTC-5).
    const table = computeFeatureTable([base({ id: "1", processedAt: Date.UTC(2025, 2, 1, 3, 30) })], {
      timeZone: "America/New_York",
    });
    const c = table.customer(0);
    expect(c.weekdayCounts[5]).toBe(1);
    expect(c.hourCounts[22]).toBe(1);
    expect(c.monthCounts[1]).toBe(1);
    expect(c.purchaseDays).toEqual([Date.UTC(2025, 1, 28) / 86_400_000]);
  });

  it("merges orders of the same local day, keeps product repeats and the first-order touch", () => {
    const orders: EngineOrder[] = [
      base({
        id: "b",
        processedAt: Date.UTC(2025, 0, 10, 9),
        productIds: ["p1", "p2"],
        productTypes: ["tea"],
        utmMedium: "email",
        utmCampaign: "jan",
      }),
      base({
        id: "a",
        processedAt: Date.UTC(2025, 0, 1, 9),
        productIds: ["p1"],
        productTypes: ["tea", "cups"],
        referrerDomain: "www.google.com",
        utmSource: null,
        utmMedium: null,
        utmCampaign: null,
      }),
      base({
        id: "c",
        processedAt: Date.UTC(2025, 0, 10, 18),
        totalMinor: 300,
        discountMinor: 100,
        subtotalMinor: 300,
        discountCodes: ["X"],
      }),
    ];
    const c = computeFeatureTable(orders, { timeZone: "UTC" }).customer(0);
    expect(c.purchaseDays).toHaveLength(2);
    expect(c.dayTotalsMinor).toEqual([1000, 1300]);
    expect(c.products).toEqual(["p1", "p2"]);
    expect(c.repeatedProducts).toEqual(["p1"]);
    expect(c.productTypes).toEqual(["cups", "tea"]);
    expect(c.acquisition?.orderId).toBe("a");
    expect(c.acquisition?.referrerDomain).toBe("www.google.com");
    expect(c.campaignOrders).toBe(1);
    expect(c.discountedOrders).toBe(1);
    expect(c.discountBpSum).toBe(2500); // 100 off a 400 pre-discount subtotal
    expect(customerFeaturesFromOrders("c1", orders, "UTC")).toEqual(c);
  });

  it("takes the smaller order id as the acquisition order when two first orders share their instant", () => {
    const at = Date.UTC(2025, 2, 1, 9);
    const orders = [
      base({ id: "m", processedAt: at + 60_000, utmSource: "late" }),
      base({ id: "k", processedAt: at, utmSource: "tie-k" }),
      base({ id: "j", processedAt: at, utmSource: "tie-j" }),
      base({ id: "l", processedAt: at, utmSource: "tie-l" }),
    ];
    const c = computeFeatureTable(orders, { timeZone: "UTC" }).customer(0);
    expect(c.acquisition?.orderId).toBe("j");
    expect(c.acquisition?.utmSource).toBe("tie-j");
    expect(customerFeaturesFromOrders("c1", orders, "UTC")).toEqual(c);
  });

  it("rejects an order of another customer in an incremental update", () => {
    const f = customerFeaturesFromOrders("c1", [], "UTC");
    expect(() => updateCustomerFeatures(f, base({ id: "x", processedAt: 0, customerId: "c2" }))).toThrow(
      /belongs to c2/,
    );
  });

  it("registers customers without orders as prospects", () => {
    const acc = new FeatureAccumulator({ timeZone: "UTC" });
    acc.addCustomer("nobody");
    const t = acc.finish();
    expect(t.customer(0).orders).toBe(0);
    expect(t.customer(0).acquisition).toBeNull();
  });
});
