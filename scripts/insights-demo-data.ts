/**
 * The insights demo's store (run by scripts/demo-insights.ts with the demo
 * database in DATABASE_URL): 600 generated customers lived through the last
 * 56 days, segmented each evening by the real engine, snapshotted after each
 * recompute and after each midnight as the insights queue does; from day 28
 * a segment discount runs whose treated customers order twice as often as
 * its hold-out (groups recorded after each recompute, as the act step does).
 */
import { recordDiscountGroups } from "../app/act/holdout-groups.server";
import prisma from "../app/db.server";
import { addDays, localDay } from "../app/insights/core";
import { takeDailySnapshot, takeSnapshot } from "../app/insights/snapshots.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { STORES } from "../app/stores/index.server";
import { insertSegmentDiscount, listSegmentDiscounts } from "../app/stores/discounts.server";
import { closePgPool, withPgClient } from "../app/stores/pg/pool.server";
import { generateHistory } from "./lib/insights-history";

const SHOP = process.argv[2] ?? "insights-demo.myshopify.com";
const TIME_ZONE = "Europe/London";
const DAYS = 56;

const old = await prisma.shop.findUnique({ where: { domain: SHOP } });
if (old) {
  await prisma.$transaction(async (tx) => {
    for (const store of STORES) await store.eraseShop(tx, { id: old.id, domain: SHOP });
  });
}
const shop = await prisma.shop.create({ data: { domain: SHOP, timezone: TIME_ZONE, currency: "GBP" } });
const config = shopConfigFrom(shop);
const today = localDay(new Date(), TIME_ZONE);
let treated = new Set<bigint>();
const started = performance.now();
await generateHistory(prisma, {
  shopId: shop.id,
  timeZone: TIME_ZONE,
  firstDay: addDays(today, -DAYS),
  days: DAYS,
  customers: 600,
  seed: 2026,
  beforeDay: async (day, index) => {
    if (index !== DAYS / 2) return;
    await insertSegmentDiscount(prisma, {
      id: "demo-winback",
      shopId: shop.id,
      shopifyId: "gid://shopify/DiscountAutomaticNode/1",
      method: "automatic",
      code: null,
      title: "Win-back 10% for At risk and Lapsed",
      segments: ["loyalty/at-risk", "loyalty/lapsed", "loyalty/one-time"],
      reward: { target: "order", kind: "percentage", value: 10, appliesToEachItem: false } as never,
      minimumSubtotal: null,
      combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
      holdoutPercentage: 30,
      message: null,
      startsAt: new Date(`${day}T00:00:00Z`),
      endsAt: null,
      status: "active",
      pausedReason: null,
      notice: null,
      configurationHash: null,
    });
  },
  afterRecompute: async (_day, at) => {
    await takeSnapshot(prisma, SHOP, { now: at });
    const discounts = await listSegmentDiscounts(prisma, shop.id);
    if (discounts.length === 0) return;
    await withPgClient((client) => recordDiscountGroups(client, config, discounts, at));
    const rows = await prisma.discountGroupMembership.findMany({
      where: { shopId: shop.id, until: null, group: "treated" },
      select: { customerId: true },
    });
    treated = new Set(rows.map((r) => r.customerId));
  },
  afterMidnight: async (_day, at) => void (await takeDailySnapshot(prisma, SHOP, { now: at })),
  // Lapsed and at-risk customers rarely order: the offer brings some back.
  rateMultiplier: (id) => (treated.has(id) ? 6 : 1),
  discountOn: (id, _day, total) => (treated.has(id) ? Math.round(total / 10) : 0),
});
const snapshots = await prisma.segmentSnapshot.count({ where: { shopId: shop.id } });
console.log(
  JSON.stringify({ shop: SHOP, days: DAYS, snapshots, seconds: Math.round((performance.now() - started) / 100) / 10 }),
);
await prisma.$disconnect();
await closePgPool();
