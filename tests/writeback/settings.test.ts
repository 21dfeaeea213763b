import "./isolated-database";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { seedCustomersAndOrders } from "../helpers/synthetic-shop";
import { membershipRows, segmentSizes } from "../../app/stores/memberships.server";
import { dryRunSettings } from "../../app/recompute/dry-run.server";
import { forgetRulePreviews, previewRule } from "../../app/settings/rule-preview.server";
import { forgetFeatureRead } from "../../app/stores/feature-reads.server";
import { processChunk } from "../../app/recompute/chunk.server";
import { fitShopStep } from "../../app/recompute/fit.server";
import { readShopFeatures } from "../../app/recompute/read-features.server";
import { createAssigner, type ShopCutoffs } from "../../app/segmentation";
import { computeTagChanges } from "../../app/writeback/tag-changes.server";
import { loadShopConfig, updateShopSettings } from "../../app/settings/settings.server";
import { type ShopConfig, ShopSettingsError, validateShopSettings } from "../../app/settings/shop-config";

const shopTz = { timezone: "UTC", currency: "USD" };

function messagesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShopSettingsError) return error.issues;
    throw error;
  }
  throw new Error("expected a ShopSettingsError");
}

describe("write-back settings validation", () => {
  it("accepts the defaults", () => {
    const s = validateShopSettings({}, shopTz);
    expect(s.writeback.tagPrefix).toBe("seg:");
    expect(s.tags.get("rfm/champions")).toBe("seg:rfm-champions");
  });

  it("refuses an empty prefix, a comma and a prefix that makes tags longer than 255 characters", () => {
    expect(messagesOf(() => validateShopSettings({ writeback: { tagPrefix: "" } }, shopTz))[0]).toMatch(
      /cannot be empty/,
    );
    expect(messagesOf(() => validateShopSettings({ writeback: { tagPrefix: "a,b:" } }, shopTz))[0]).toMatch(/comma/);
    expect(messagesOf(() => validateShopSettings({ writeback: { tagPrefix: "p".repeat(230) } }, shopTz))[0]).toMatch(
      /at most 255/,
    );
  });

  it("refuses a tag name that collides with another segment's after kebab-casing", () => {
    const issues = messagesOf(() =>
      validateShopSettings({ writeback: { tagNames: { "loyalty/loyal": "RFM  Champions" } } }, shopTz),
    );
    expect(issues.join("\n")).toMatch(/seg:rfm-champions.*already uses/);
  });

  it("refuses unknown segments and bad engine settings, with the field named", () => {
    const issues = messagesOf(() =>
      validateShopSettings(
        { segmentation: { loyalty: { atRiskAfterDays: 400 } }, writeback: { disabledSegments: ["rfm/nope"] } },
        shopTz,
      ),
    );
    expect(issues.join("\n")).toMatch(/segmentation\.loyalty: atRiskAfterDays must be smaller/);
  });
});

describe("settings change and dry run", () => {
  let shopId: string;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const asOf = new Date("2026-01-01T00:00:00Z");

  beforeAll(async () => {
    await client.connect();
    const shop = await prisma.shop.create({ data: { domain: "dry-run.myshopify.com", timezone: "UTC" } });
    shopId = shop.id;
    // 80 customers, 1 to 6 orders each, plus 5 customers without orders.
    await seedCustomersAndOrders(shopId, { asOf, customers: 85, withOrders: 80, cycle: 6, tagCount: (c) => c % 3 });
    const config = await loadShopConfig(prisma, shopId);
    const fit = await fitShopStep(client, config, asOf, { chunkSize: 30 });
    expect(fit.ranges.length).toBe(3);
    for (const range of fit.ranges)
      await processChunk(client, { config, cutoffs: fit.cutoffs, asOf, range, recordTransitions: !fit.firstRun });
  });
  afterAll(() => client.end());

  /**
   * The orders of the shop's first customer cancelled (its segments change;
   * logged, ADR 064), or restored (`cancelled` false): the later cases expect
   * the seeded data.
   */
  async function cancelFirstCustomersOrders(cancelled = true): Promise<void> {
    await client.query(
      `UPDATE "Order" SET "cancelledAt" = CASE WHEN $2 THEN "processedAt" END
       WHERE "shopId" = $1 AND "customerId" = (SELECT min("customerId") FROM "Order" WHERE "shopId" = $1)`,
      [shopId, cancelled],
    );
  }

  async function memberCounts(): Promise<Map<string, number>> {
    return segmentSizes(prisma, shopId);
  }

  it("counts, per tag, the customers who would gain and lose it, without writing anything", async () => {
    const counts = await memberCounts();
    const config = await loadShopConfig(prisma, shopId);
    expect((await computeTagChanges(client, config)).length).toBe(85);

    const same = await dryRunSettings(prisma, client, shopId, {}, asOf);
    expect(same.recomputed).toBe(false);
    expect(same.customersChanged).toBe(85);
    for (const t of same.tags) {
      expect(t.lose).toBe(0);
      expect(t.gain).toBe(counts.get(t.segment!));
    }

    const moved = await dryRunSettings(
      prisma,
      client,
      shopId,
      { writeback: { tagPrefix: "rs-", disabledSegments: ["usage/light"] } },
      asOf,
    );
    expect(moved.tags.find((t) => t.tag === "rs-usage-light")).toBeUndefined();
    expect(moved.tags.find((t) => t.tag === "rs-rfm-champions")?.gain).toBe(counts.get("rfm/champions") ?? undefined);

    // Different thresholds: recomputed in memory, stored memberships untouched.
    const before = await prisma.segmentMembership.count({ where: { shopId } });
    const stricter = await dryRunSettings(
      prisma,
      client,
      shopId,
      { segmentation: { loyalty: { loyalMinOrders: 6 } } },
      asOf,
    );
    expect(stricter.recomputed).toBe(true);
    expect(stricter.readOrders).toBe(true); // no recompute has kept its read
    expect(stricter.tags.find((t) => t.tag === "seg:loyalty-loyal")?.gain ?? 0).toBeLessThan(
      counts.get("loyalty/loyal") ?? 0,
    );
    expect(await prisma.segmentMembership.count({ where: { shopId } })).toBe(before);

    await expect(dryRunSettings(prisma, client, shopId, { writeback: { tagPrefix: "" } }, asOf)).rejects.toThrow(
      /cannot be empty/,
    );
  });

  it("previews other thresholds from the shop's kept read as from its orders (ADR 051)", async () => {
    const input = { segmentation: { loyalty: { loyalMinOrders: 6 } } };
    const fromOrders = await dryRunSettings(prisma, client, shopId, input, asOf);
    // A recompute's fit step (with a run, as the job runs it) keeps its read; nothing has changed since.
    const config = await loadShopConfig(prisma, shopId);
    await fitShopStep(client, config, asOf, { chunkSize: 30, runId: "dry-run-kept-read", readThreads: 1 });
    const fromKept = await dryRunSettings(prisma, client, shopId, input, asOf);
    expect(fromKept.readOrders).toBe(false);
    expect({ ...fromKept, readOrders: true }).toEqual(fromOrders);

    // After a customer's orders changed, from the kept read patched with that customer (ADR 065), as from the orders.
    await cancelFirstCustomersOrders();
    const fromPatched = await dryRunSettings(prisma, client, shopId, input, asOf);
    expect(fromPatched.readOrders).toBe(false);
    await forgetFeatureRead(client, shopId);
    expect({ ...fromPatched, readOrders: true }).toEqual(await dryRunSettings(prisma, client, shopId, input, asOf));
    expect(fromPatched).not.toEqual(fromKept);
    await cancelFirstCustomersOrders(false);
  });

  it("previews a custom rule from the shop's kept read as from its orders (ADR 051)", async () => {
    const rule = { feature: "orders", op: "gte", value: 2 } as const;
    forgetRulePreviews();
    const fromOrders = await previewRule(client, await loadShopConfig(prisma, shopId), rule, 10);
    expect(fromOrders).toMatchObject({ ok: true, readOrders: true });
    const config = await loadShopConfig(prisma, shopId);
    await fitShopStep(client, config, asOf, { chunkSize: 30, runId: "rule-preview-kept-read", readThreads: 1 });
    forgetRulePreviews();
    const fromKept = await previewRule(client, config, rule, 10);
    expect(fromKept).toMatchObject({ ok: true, readOrders: false });
    expect({ ...fromKept, readOrders: true }).toEqual(fromOrders);
    if (!fromKept.ok) throw new Error("unreachable");
    expect(fromKept.count).toBeGreaterThan(0);
    expect(fromKept.sample.length).toBeGreaterThan(0);

    // After a customer's orders changed, from the kept read patched with that customer (ADR 065), as from the orders.
    await cancelFirstCustomersOrders();
    forgetRulePreviews();
    const fromPatched = await previewRule(client, config, rule, 10);
    expect(fromPatched).toMatchObject({ ok: true, readOrders: false });
    await forgetFeatureRead(client, shopId);
    forgetRulePreviews();
    expect({ ...fromPatched, readOrders: true }).toEqual(await previewRule(client, config, rule, 10));
    expect(fromPatched).not.toEqual(fromKept);
    forgetRulePreviews();
    await cancelFirstCustomersOrders(false);
  });

  it("stores a new prefix and remembers the old one until the tags have moved", async () => {
    await updateShopSettings(prisma, shopId, { writeback: { tagPrefix: "rs-" } });
    const config = await loadShopConfig(prisma, shopId);
    expect(config.prefixes).toEqual(["rs-", "seg:"]);
    await expect(updateShopSettings(prisma, shopId, { writeback: { tagPrefix: "a,b" } })).rejects.toThrow(/comma/);
  });

  it("recomputing unchanged data changes no membership and records no transition", async () => {
    const config = await loadShopConfig(prisma, shopId);
    // Memberships (segment, since, as of); the stored tags follow the prefix changed above.
    const before = await membershipRows(prisma, shopId);
    const fit = await fitShopStep(client, config, asOf, { chunkSize: 30 });
    expect(fit.firstRun).toBe(false);
    for (const range of fit.ranges) {
      const r = await processChunk(client, { config, cutoffs: fit.cutoffs, asOf, range, recordTransitions: true });
      expect(r.entered + r.left + r.rowsWritten).toBe(0);
    }
    expect(await membershipRows(prisma, shopId)).toEqual(before);
    expect(await prisma.segmentTransition.count({ where: { shopId } })).toBe(0);

    // One customer's new order: a transition for each segment entered or left.
    const at = new Date(asOf.getTime() - 86_400_000);
    await prisma.order.create({
      data: {
        shopId,
        id: 99_999n,
        customerId: 81n,
        processedAt: at,
        shopifyUpdatedAt: at,
        currency: "USD",
        totalMinor: 50_000,
      },
    });
    const r = await processChunk(client, {
      config,
      cutoffs: fit.cutoffs,
      asOf,
      range: { from: "81", to: "81" },
      recordTransitions: true,
    });
    expect(r.entered).toBeGreaterThan(0);
    const transitions = await prisma.segmentTransition.findMany({ where: { shopId, customerId: 81n } });
    expect(transitions.map((t) => `${t.change} ${t.segment}`)).toEqual(expect.arrayContaining(["left rfm/prospects"]));
    await expectEntriesExplained(client, config, fit.cutoffs, asOf, "81", transitions);
  });
});

/**
 * The chunk assigns without reasons (ADR 067): each entry's transition still
 * keeps the reason the engine gives the customer.
 */
async function expectEntriesExplained(
  client: pg.Client,
  config: ShopConfig,
  cutoffs: ShopCutoffs,
  asOf: Date,
  customerId: string,
  transitions: ReadonlyArray<{ change: string; segment: string; reason: string | null }>,
) {
  const range = { from: customerId, to: customerId };
  const { table } = await readShopFeatures(client, config.shopId, config.segmentation.timeZone, range);
  const assignment = createAssigner(cutoffs, config.segmentation, asOf).assign(table.customer(0));
  const entered = transitions.filter((t) => t.change === "entered");
  expect(entered.length).toBeGreaterThan(0);
  for (const t of entered) {
    expect(t.reason).toBe(assignment.memberships.find((m) => m.key === t.segment)!.reason);
    expect(t.reason).not.toBe("");
  }
}
