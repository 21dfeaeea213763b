import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";
import { priceAtPercentile } from "./benefits";

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 30, 12);

describe("benefits family", () => {
  it("reads a price at a percentile of p0..p100 by interpolation", () => {
    const q = Array.from({ length: 101 }, (_, k) => 1000 + 10 * k);
    expect(priceAtPercentile(0.8, q)).toBe(1800);
    expect(priceAtPercentile(0.805, q)).toBeCloseTo(1805, 9);
    expect(priceAtPercentile(1, q)).toBe(2000);
    expect(priceAtPercentile(0, q)).toBe(1000);
  });

  // Customer i (1..10): three orders at unit price i x 10.00, the first i discounted.
  const customers = Array.from({ length: 10 }, (_, k) => {
    const i = k + 1;
    return customerFeaturesFromOrders(
      `c${i}`,
      [0, 1, 2].map((n) => ({
        id: `o${i}-${n}`,
        customerId: `c${i}`,
        processedAt: asOf - (10 + 40 * n) * DAY,
        totalMinor: 3000,
        discountMinor: n < Math.min(i, 3) && i <= 3 ? 300 : 0,
        avgUnitPriceMinor: 1000 * i,
        productIds: [`p${n % 2}`],
        productTypes: [`t${(i + n) % 5}`],
        shippingMinor: 500,
        expressShipping: i === 10,
      })),
      "UTC",
    );
  });
  const settings = parseSettings({});
  const cutoffs = fitShop(customers, settings, asOf);
  const benefits = (i: number) =>
    assignSegments(customers[i - 1], cutoffs, settings, asOf)
      .memberships.filter((m) => m.family === "benefits")
      .map((m) => `${m.segment}: ${m.reason}`);

  it("assigns each benefit with the numbers behind it", () => {
    expect(benefits(2).find((r) => r.startsWith("discount-seekers"))).toMatch(
      /^discount-seekers: 2 of 3 orders discounted \(67% >= 50%\), average [\d.]+% off$/,
    );
    expect(benefits(10)).toContain("convenience-buyers: 100% express shipping >= 50%");
    expect(benefits(10).some((r) => r.startsWith("premium-buyers: average unit price 100.00 at the "))).toBe(true);
    expect(benefits(1).some((r) => r.startsWith("premium-buyers"))).toBe(false);
  });

  it("defines premium buyers with the shop's price at the percentile", () => {
    const premium = segmentCatalog(settings, cutoffs).find((e) => e.key === "benefits/premium-buyers");
    const price = priceAtPercentile(0.8, cutoffs.priceQuantiles as number[]);
    expect(premium?.definition).toBe(
      `Average unit price of about ${(price / 100).toFixed(2)} or more (the shop's 80th percentile of unit prices), and at most 10% of orders discounted`,
    );
    expect(segmentCatalog(settings).find((e) => e.key === "benefits/premium-buyers")?.definition).toBe(
      "Average unit price at or above the shop's 80th percentile of unit prices, and at most 10% of orders discounted",
    );
  });
});
