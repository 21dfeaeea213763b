import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDiscountGroups } from "../../app/act/holdout-groups.server";
import prisma from "../../app/db.server";
import { discountLiftFor } from "../../app/insights/discount-lift.server";
import { insightsSettingsOf } from "../../app/insights/core";
import { shopConfigFrom } from "../../app/settings/shop-config";
import { discountGroupRows, insertSegmentDiscount, type NewSegmentDiscount } from "../../app/stores/discounts.server";
import { withPgClient } from "../../app/stores/pg/pool.server";
import { seededRandom } from "../../app/utils/seeded-random";

const DAY = 86_400_000;
const start = new Date("2026-10-01T00:00:00Z");
const end = new Date(start.getTime() + 28 * DAY);
const settings = insightsSettingsOf({});
let shopId = "";
let otherShopId = "";

function discount(id: string, segments: string[]): NewSegmentDiscount {
  return {
    id,
    shopId,
    shopifyId: `gid://shopify/DiscountAutomaticNode/${id.length}`,
    method: "automatic",
    code: null,
    title: `Offer ${id}`,
    segments,
    reward: { target: "order", kind: "percentage", value: 10, appliesToEachItem: false } as never,
    minimumSubtotal: null,
    combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    holdoutPercentage: 20,
    message: null,
    startsAt: start,
    endsAt: null,
    status: "active",
    pausedReason: null,
    notice: null,
    configurationHash: null,
  };
}

/**
 * A generated store with a known effect: over 28 days, each treated customer
 * orders with probability 0.30 and each held-out one with 0.20 (one order of
 * 10.00 to 99.99, uniform), so the true conversion lift is 0.10 and the true
 * revenue-per-member lift 0.10 × 5,499.5 minor units.
 */
beforeAll(async () => {
  const shop = await prisma.shop.create({ data: { domain: "lift.myshopify.com", timezone: "UTC", currency: "GBP" } });
  shopId = shop.id;
  otherShopId = (await prisma.shop.create({ data: { domain: "lift-other.myshopify.com" } })).id;
  const members = [
    ...Array.from({ length: 4_000 }, (_, i) => ({ id: BigInt(10_000 + i), segments: ["loyalty/at-risk"] })),
    ...Array.from({ length: 8 }, (_, i) => ({ id: BigInt(90_000 + i), segments: ["rfm/new"] })),
  ];
  await prisma.segmentMembership.createMany({
    data: members.map((m) => ({
      shopId,
      customerId: m.id,
      segments: m.segments,
      sinceDay: [20_000],
    })),
  });
  const discounts = [
    await insertSegmentDiscount(prisma, discount("lift-big", ["loyalty/at-risk"])),
    await insertSegmentDiscount(prisma, discount("lift-tiny", ["rfm/new"])),
  ];
  // The act stage's own split (the Function's hold-out hash), recorded at the start.
  await withPgClient((client) => recordDiscountGroups(client, shopConfigFrom(shop), discounts, start));
  const random = seededRandom(1616);
  const orders = [];
  let orderId = 1n;
  for (const d of discounts) {
    for (const row of await discountGroupRows(prisma, shopId, d.id)) {
      const p = row.group === "treated" ? 0.3 : 0.2;
      if (random() >= p) continue;
      const total = 1_000 + Math.floor(random() * 9_000);
      const at = new Date(start.getTime() + random() * 28 * DAY);
      orders.push({
        shopId,
        id: orderId++,
        customerId: row.customerId,
        processedAt: at,
        shopifyUpdatedAt: at,
        currency: "GBP",
        totalMinor: BigInt(total),
        discountMinor: row.group === "treated" ? BigInt(Math.round(total / 9)) : 0n,
      });
    }
  }
  await prisma.order.createMany({ data: orders });
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
});

describe("discount lift", () => {
  it("lift: a known effect is recovered within its 95 % intervals, and the discount is helping", async () => {
    const result = await discountLiftFor(prisma, shopId, "lift-big", settings, { now: end });
    expect(result).not.toBeNull();
    const { lift, withDiscount } = result!;
    expect(lift.treated.members + lift.holdout.members).toBe(4_000);
    expect(lift.holdout.members / 4_000).toBeGreaterThan(0.17);
    expect(lift.holdout.members / 4_000).toBeLessThan(0.23);
    const conversion = lift.conversionLift!;
    expect(conversion.low).toBeLessThan(0.1);
    expect(conversion.high).toBeGreaterThan(0.1);
    expect(Math.abs(conversion.estimate - 0.1)).toBeLessThan(0.04);
    const revenue = lift.revenuePerMemberLift!;
    expect(revenue.low).toBeLessThan(549.95);
    expect(revenue.high).toBeGreaterThan(549.95);
    expect(lift.verdict).toBe("helping");
    // Orders with the discount, its cost, and the return on the offer from them.
    expect(withDiscount.orders).toBeGreaterThan(800);
    expect(withDiscount.costMinor).toBeGreaterThan(0);
    expect(lift.returnOnOffer).toBeCloseTo(
      (lift.incrementalRevenueMinor! - withDiscount.costMinor) / withDiscount.costMinor,
      10,
    );
  });

  it("lift: a tiny segment says not enough data yet", async () => {
    const result = await discountLiftFor(prisma, shopId, "lift-tiny", settings, { now: end });
    expect(result!.lift.verdict).toBe("not-enough-data");
    expect(result!.lift.explanation).toMatch(/^Not enough data yet/);
    expect(result!.lift.conversionLift).toBeNull();
  });

  it("lift: another shop's discount id is not found", async () => {
    expect(await discountLiftFor(prisma, otherShopId, "lift-big", settings, { now: end })).toBeNull();
  });
});
