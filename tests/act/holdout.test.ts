import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputErrors, outputErrors, runExport } from "../../extensions/segment-discount/tests/harness";
import { actOnShopDiscounts } from "../../app/act/act.server";
import { defaultFormValues, type DiscountFormValues } from "../../app/act/discount-form";
import { createSegmentDiscount, updateSegmentDiscountFromForm } from "../../app/act/discounts.server";
import { isHeldOut } from "../../app/act/segment-discount-function";
import prisma from "../../app/db.server";
import type { PipelineContext } from "../../app/pipeline";
import { QueueRegistry } from "../../app/queues/registry.server";
import { discountGroupRows } from "../../app/stores/discounts.server";
import { seededRandom } from "../../app/utils/seeded-random";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { discountStore, storeMemberships } from "./helpers";

const DOMAIN = "holdout.myshopify.com";
const CUSTOMERS = 10_000;
let store: Awaited<ReturnType<typeof discountStore>>;
let registry: QueueRegistry;
let ctx: PipelineContext;

/** Random customer ids across Shopify's whole range, beyond 2^53 too (as strings, exactly). */
function randomCustomerIds(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const ids = new Set<string>();
  while (ids.size < count) {
    const high = BigInt(Math.floor(random() * 2 ** 30));
    const low = BigInt(Math.floor(random() * 2 ** 32));
    ids.add(String(((high << 32n) | low) + 1n));
  }
  return [...ids];
}

const ids = randomCustomerIds(CUSTOMERS + 300, 15);
const members = ids.slice(0, CUSTOMERS);
const newcomers = ids.slice(CUSTOMERS);

beforeAll(async () => {
  store = await discountStore(DOMAIN);
  registry = new QueueRegistry(testQueueBackends()[0]);
  ctx = { db: prisma, queues: registry, adminApi: async () => store.api };
  await storeMemberships(
    store.shopId,
    members.map((id, i) => ({
      id: BigInt(id),
      segments: i % 2 === 0 ? ["rfm/champions"] : ["rfm/champions", "usage/heavy"],
    })),
  );
});
afterAll(async () => {
  await registry?.close();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

function form(patch: Partial<DiscountFormValues> = {}): DiscountFormValues {
  return { ...defaultFormValues("2026-01-01", "rfm/champions"), title: "Champions 10%", rewardValue: "10", ...patch };
}

async function openGroups(discountId: string): Promise<Map<string, string>> {
  const rows = await prisma.discountGroupMembership.findMany({
    where: { shopId: store.shopId, discountId, until: null },
  });
  return new Map(rows.map((r) => [String(r.customerId), r.group]));
}

describe("hold-out groups", () => {
  let discountId: string;

  it("holds out the configured share of a segment (within 2 points on 10,000 customers), as the Function splits it", async () => {
    const created = await createSegmentDiscount(await store.deps(), form());
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    discountId = created.discount.id;
    const summary = await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(summary).toMatchObject({
      discounts: 1,
      paused: 0,
      groups: { assignments: CUSTOMERS, entered: CUSTOMERS, left: 0 },
    });

    const groups = await openGroups(discountId);
    expect(groups.size).toBe(CUSTOMERS);
    const heldOut = [...groups.values()].filter((g) => g === "holdout").length;
    const share = (heldOut / CUSTOMERS) * 100;
    console.log(`[holdout] ${heldOut} of ${CUSTOMERS} held out (${share.toFixed(2)}%, setting 10%)`);
    expect(Math.abs(share - 10)).toBeLessThanOrEqual(2);
    for (const [customerId, group] of groups)
      expect(group).toBe(isHeldOut(customerId, discountId, 10) ? "holdout" : "treated");
  });

  it("agrees with the Function itself on every customer: held-out customers get no discount, the others get it", async () => {
    const shopifyId = (await prisma.segmentDiscount.findUniqueOrThrow({ where: { id: discountId } })).shopifyId!;
    // What the Function reads, as Shopify stores it on the discount node.
    const stored = store.sim.metafields(DOMAIN, shopifyId);
    const configuration = JSON.parse(stored.find((m) => m.key === "function-configuration")!.value);
    const { segmentTags } = JSON.parse(stored.find((m) => m.key === "input-variables")!.value) as {
      segmentTags: string[];
    };
    const groups = await openGroups(discountId);
    const target = "cart.lines.discounts.generate.run";
    let treated = 0;
    const sampled = { treated: 0, holdout: 0 };
    for (const customerId of members.slice(0, 3_000)) {
      const input = {
        cart: {
          buyerIdentity: {
            customer: {
              id: `gid://shopify/Customer/${customerId}`,
              // hasAnyTag(tags: $segmentTags) for a customer carrying the app's tag of their segment.
              inSegmentByTag: segmentTags.includes("seg:rfm-champions"),
              segmentHandles: null,
            },
          },
          cost: { subtotalAmount: { amount: "80.0", currencyCode: "GBP" } },
          lines: [{ id: "gid://shopify/CartLine/1" }],
        },
        discount: { discountClasses: ["ORDER"], configuration: { jsonValue: configuration } },
        presentmentCurrencyRate: "1.0",
      };
      const output = runExport("cart-lines-discounts-generate-run", input) as { operations: unknown[] };
      const discounted = output.operations.length > 0;
      expect(discounted, customerId).toBe(groups.get(customerId) === "treated");
      if (discounted) treated++;
      // Input and output as Shopify's Function API 2026-04 defines them, for 20 customers of each group
      // (a sample: graphql-js validation is slow).
      const group = discounted ? "treated" : "holdout";
      if (sampled[group] < 20) {
        sampled[group]++;
        expect(await inputErrors(target, input)).toEqual([]);
        expect(await outputErrors(target, output)).toEqual([]);
      }
    }
    expect(sampled).toEqual({ treated: 20, holdout: 20 });
    expect(treated).toBeGreaterThan(2_000);
  });

  it("keeps every customer on the same side across recomputes; only entries and exits are written", async () => {
    const before = await discountGroupRows(prisma, store.shopId, discountId);
    // A recompute that changes nothing.
    const again = await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(again).toMatchObject({ groups: { entered: 0, left: 0 } });
    expect(await discountGroupRows(prisma, store.shopId, discountId)).toEqual(before);

    // A recompute where 200 customers left the segment and 300 entered it.
    const leaving = members.slice(0, 200);
    await prisma.segmentMembership.deleteMany({
      where: { shopId: store.shopId, customerId: { in: leaving.map(BigInt) } },
    });
    await storeMemberships(
      store.shopId,
      newcomers.map((id) => ({ id: BigInt(id), segments: ["rfm/champions"] })),
    );
    const later = new Date(Date.now() + 1_000);
    const changed = await actOnShopDiscounts(ctx, { shop: DOMAIN }, { now: later });
    expect(changed).toMatchObject({ groups: { entered: 300, left: 200 } });
    const after = await discountGroupRows(prisma, store.shopId, discountId);
    const beforeById = new Map(before.map((r) => [r.id, r]));
    for (const row of after) {
      const was = beforeById.get(row.id);
      if (!was) {
        expect(newcomers).toContain(String(row.customerId));
        expect(row.since).toEqual(later);
        continue;
      }
      // Same side, same entry date; closed only for those who left.
      expect(row.group).toBe(was.group);
      expect(row.since).toEqual(was.since);
      expect(row.until).toEqual(leaving.includes(String(row.customerId)) ? later : null);
    }
  });

  it("moves the customers between the two positions to the hold-out when the share grows, closing their treated rows", async () => {
    const before = await openGroups(discountId);
    const edited = await updateSegmentDiscountFromForm(
      await store.deps(),
      discountId,
      form({ holdoutPercentage: "30" }),
    );
    expect(edited.ok).toBe(true);
    const at = new Date(Date.now() + 2_000);
    const summary = await actOnShopDiscounts(ctx, { shop: DOMAIN }, { now: at });
    const after = await openGroups(discountId);
    const switched = [...before].filter(([id, group]) => after.get(id) !== group);
    expect(switched.length).toBeGreaterThan(1_500);
    for (const [id, group] of switched) {
      expect(group).toBe("treated");
      expect(after.get(id)).toBe("holdout");
      expect(isHeldOut(id, discountId, 10)).toBe(false);
      expect(isHeldOut(id, discountId, 30)).toBe(true);
    }
    expect(summary).toMatchObject({ groups: { entered: switched.length, left: switched.length } });
    const share = ([...after.values()].filter((g) => g === "holdout").length / after.size) * 100;
    expect(Math.abs(share - 30)).toBeLessThanOrEqual(2);
  });
});
