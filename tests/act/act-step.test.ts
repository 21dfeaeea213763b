import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnShopDiscounts } from "../../app/act/act.server";
import { noticeText } from "../../app/act/discount-display";
import { defaultFormValues, type DiscountFormValues } from "../../app/act/discount-form";
import { createSegmentDiscount, pauseSegmentDiscount, resumeSegmentDiscount } from "../../app/act/discounts.server";
import prisma from "../../app/db.server";
import type { PipelineContext } from "../../app/pipeline";
import { redactCustomer, redactShop } from "../../app/privacy/privacy.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { updateShopSettings } from "../../app/settings/settings.server";
import { applyDiscountGroupChanges, findSegmentDiscount } from "../../app/stores/discounts.server";
import { withPgClient } from "../../app/stores/pg/pool.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { discountStore, expectValidAgainstSchema, storeMemberships } from "./helpers";

const DOMAIN = "act-step.myshopify.com";
let store: Awaited<ReturnType<typeof discountStore>>;
let registry: QueueRegistry;
let ctx: PipelineContext;

const CUSTOM_VIP = { handle: "vip", title: "VIP", rule: { feature: "orders", op: "gte", value: 5 } };

beforeAll(async () => {
  store = await discountStore(DOMAIN);
  registry = new QueueRegistry(testQueueBackends()[0]);
  ctx = { db: prisma, queues: registry, adminApi: async () => store.api };
  await updateShopSettings(prisma, store.shopId, { segmentation: { customSegments: [CUSTOM_VIP] } });
  const members: Array<{ id: bigint; segments: string[] }> = [];
  for (let i = 1; i <= 300; i++) {
    const segments = [i % 3 === 0 ? "rfm/champions" : "loyalty/loyal", ...(i % 5 === 0 ? ["custom/vip"] : [])];
    members.push({ id: BigInt(7_000_000_000 + i), segments });
  }
  await storeMemberships(store.shopId, members);
});
afterAll(async () => {
  await registry?.close();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

function form(patch: Partial<DiscountFormValues>): DiscountFormValues {
  return { ...defaultFormValues("2026-01-01"), title: "Discount", rewardValue: "10", ...patch };
}

async function create(patch: Partial<DiscountFormValues>) {
  const created = await createSegmentDiscount(await store.deps(), form(patch));
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.discount;
}

async function openCount(discountId: string): Promise<number> {
  return prisma.discountGroupMembership.count({ where: { shopId: store.shopId, discountId, until: null } });
}

function simDiscount(shopifyId: string) {
  return store.sim.discounts(DOMAIN).find((d) => `gid://shopify/DiscountAutomaticNode/${d.id}` === shopifyId)!;
}

function configurationOf(shopifyId: string) {
  const stored = store.sim.metafields(DOMAIN, shopifyId);
  return {
    configuration: JSON.parse(stored.find((m) => m.key === "function-configuration")!.value),
    variables: JSON.parse(stored.find((m) => m.key === "input-variables")!.value),
  };
}

describe("the act step after a write-back", () => {
  it("pauses a discount whose only segment is disabled, tells the merchant, and narrows one that keeps a segment", async () => {
    const onlyChampions = await create({ title: "Champions only", segments: ["rfm/champions"] });
    const both = await create({ title: "Champions and loyal", segments: ["rfm/champions", "loyalty/loyal"] });
    await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(await openCount(onlyChampions.id)).toBe(100);
    expect(await openCount(both.id)).toBe(300);

    await updateShopSettings(prisma, store.shopId, {
      segmentation: { customSegments: [CUSTOM_VIP] },
      writeback: { disabledSegments: ["rfm/champions"] },
    });
    const mark = store.sent.length;
    const summary = await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(summary).toMatchObject({ paused: 1, configurationsWritten: 1, failures: [] });
    const sent = store.sent.slice(mark);
    for (const request of sent) expectValidAgainstSchema(request);
    expect(sent.map((r) => r.operation).sort()).toEqual([
      "SegmentDiscountAutomaticDeactivate",
      "SegmentDiscountMetafieldsSet",
    ]);

    // Paused in Shopify (ended now) and in the app, with the reason and a notice; its groups closed.
    expect(simDiscount(onlyChampions.shopifyId!).endsAt).toBeLessThanOrEqual(store.sim.now() / 1000);
    const paused = await findSegmentDiscount(prisma, store.shopId, onlyChampions.id);
    expect(paused).toMatchObject({
      status: "paused",
      pausedReason: "segments-unavailable",
      notice: { kind: "paused-segments-unavailable", segments: ["rfm/champions"] },
    });
    expect(noticeText(paused!.notice!, paused!, new Map([["rfm/champions", "Champions"]]), "UTC")).toMatch(
      /^“Champions only” was paused on \d{4}-\d{2}-\d{2}: its segments \(Champions\) are disabled or removed/,
    );
    expect(await openCount(onlyChampions.id)).toBe(0);

    // The other applies to its remaining segment only: the Function looks for that tag alone.
    expect(configurationOf(both.shopifyId!)).toMatchObject({
      configuration: { segments: ["loyalty-loyal"] },
      variables: { segmentTags: ["seg:loyalty-loyal"] },
    });
    expect(simDiscount(both.shopifyId!).endsAt).toBeNull();
    expect(await findSegmentDiscount(prisma, store.shopId, both.id)).toMatchObject({
      status: "active",
      notice: { kind: "segments-dropped", segments: ["rfm/champions"] },
    });
    expect(await openCount(both.id)).toBe(200);

    // Resuming a discount with no segment left is refused: it would apply to nobody.
    expect(await resumeSegmentDiscount(await store.deps(), onlyChampions.id)).toEqual({
      ok: false,
      message: "None of its segments is enabled. Choose other segments, then resume it.",
    });
    // A second act step changes nothing.
    expect(await actOnShopDiscounts(ctx, { shop: DOMAIN })).toMatchObject({
      paused: 0,
      configurationsWritten: 0,
      groups: { entered: 0, left: 0 },
    });

    // Enabled again: the narrowed discount looks for both segments again; the paused one waits for the merchant.
    await updateShopSettings(prisma, store.shopId, { segmentation: { customSegments: [CUSTOM_VIP] } });
    expect(await actOnShopDiscounts(ctx, { shop: DOMAIN })).toMatchObject({ paused: 0, configurationsWritten: 1 });
    expect(configurationOf(both.shopifyId!).configuration.segments).toEqual(["rfm-champions", "loyalty-loyal"]);
    expect((await findSegmentDiscount(prisma, store.shopId, both.id))!.notice).toBeNull();
    expect((await findSegmentDiscount(prisma, store.shopId, onlyChampions.id))!.status).toBe("paused");
    expect(await resumeSegmentDiscount(await store.deps(), onlyChampions.id)).toEqual({ ok: true });
    await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(await openCount(onlyChampions.id)).toBe(100);
  });

  it("pauses a discount whose custom segment was removed from the settings", async () => {
    const vip = await create({ title: "VIP", segments: ["custom/vip"] });
    await actOnShopDiscounts(ctx, { shop: DOMAIN });
    expect(await openCount(vip.id)).toBe(60);
    await updateShopSettings(prisma, store.shopId, { segmentation: { customSegments: [] } });
    expect(await actOnShopDiscounts(ctx, { shop: DOMAIN })).toMatchObject({ paused: 1 });
    expect(await findSegmentDiscount(prisma, store.shopId, vip.id)).toMatchObject({
      status: "paused",
      notice: { kind: "paused-segments-unavailable", segments: ["custom/vip"] },
    });
    expect(await openCount(vip.id)).toBe(0);
  });

  it("rewrites the tags the Function looks for when the tag prefix changes, old and new while tags move", async () => {
    const discount = await create({ title: "Loyal", segments: ["loyalty/loyal"] });
    await updateShopSettings(prisma, store.shopId, { writeback: { tagPrefix: "rs-" } });
    expect(await actOnShopDiscounts(ctx, { shop: DOMAIN })).toMatchObject({ failures: [] });
    expect(configurationOf(discount.shopifyId!).variables).toEqual({
      segmentTags: ["rs-loyalty-loyal", "seg:loyalty-loyal"],
    });
  });

  it("never opens group rows for a discount the merchant paused while the act step ran", async () => {
    const discount = await create({ title: "Paused meanwhile", segments: ["loyalty/loyal"] });
    expect(await pauseSegmentDiscount(await store.deps(), discount.id)).toEqual({ ok: true });
    // What an act step that read the discount before the pause would write.
    const changes = await withPgClient((client) =>
      applyDiscountGroupChanges(
        client,
        store.shopId,
        { close: [], open: [{ discountId: discount.id, customerId: "7000000001", group: "treated" }] },
        new Date(),
      ),
    );
    expect(changes).toEqual({ entered: 0, left: 0 });
    expect(await openCount(discount.id)).toBe(0);
  });

  it("erases a customer's group rows on redaction and the shop's discounts on shop/redact", async () => {
    const customerId = "7000000003";
    expect(await prisma.discountGroupMembership.count({ where: { customerId: BigInt(customerId) } })).toBeGreaterThan(
      0,
    );
    await redactCustomer({ db: prisma, queues: registry }, { id: store.shopId, domain: DOMAIN }, customerId);
    expect(await prisma.discountGroupMembership.count({ where: { customerId: BigInt(customerId) } })).toBe(0);
    await redactShop({ db: prisma, queues: registry }, DOMAIN);
    expect(await prisma.segmentDiscount.count({ where: { shopId: store.shopId } })).toBe(0);
    expect(await prisma.discountGroupMembership.count({ where: { shopId: store.shopId } })).toBe(0);
  });
});
