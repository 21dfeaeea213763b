import "./isolated-database";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { shopConfigFrom, type ShopConfig } from "../../app/settings/shop-config";
import { markCustomerDeleted, upsertCustomers } from "../../app/stores/customers.server";
import { replaceMembershipsInRange, type CustomerMemberships } from "../../app/stores/memberships.server";
import { beginTagPass, forgetLongTagLog, stopTagLog } from "../../app/stores/tag-sync.server";
import {
  computeTagChanges,
  endShopTagPass,
  startShopTagPass,
  type CustomerTagChange,
  type ShopTagPass,
} from "../../app/writeback/tag-changes.server";
import { recordAppliedTags } from "../../app/writeback/tags.server";

// ADR 066: after a pass that compared every customer under the shop's tag
// settings, the write-back compares only the customers logged since. Each
// kind of change below is followed by a pass, which must find exactly what a
// comparison of every customer finds at that moment.
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
let shop: Awaited<ReturnType<typeof prisma.shop.create>>;
let config: ShopConfig;

const member = (customerId: number, segments: string[]): CustomerMemberships => ({
  customerId: String(customerId),
  segments,
  reasons: () => segments.map(() => "test"),
  rfmScores: null,
});

/** The memberships of the customers with ids in [from, to], written as a chunk writes them. */
async function writeMemberships(from: number, to: number, rows: CustomerMemberships[]) {
  const at = new Date();
  await replaceMembershipsInRange(client, {
    shopId: shop.id,
    fromId: String(from),
    toId: String(to),
    next: rows,
    at,
    computedAt: at,
    asOf: at,
    recordTransitions: true,
  });
}

const summary = (changes: readonly CustomerTagChange[]) =>
  Object.fromEntries(
    [...changes]
      .sort((a, b) => Number(a.customerId) - Number(b.customerId))
      .map((c) => [c.customerId, { add: c.diff.add, remove: c.diff.remove, capped: c.diff.capped }]),
  );

/** A pass, checked against a comparison of every customer, whose changes are then recorded as applied. */
async function passEqualToFull(options: { failed?: string[] } = {}): Promise<ShopTagPass> {
  const full = await computeTagChanges(client, config);
  const pass = await startShopTagPass(client, config);
  expect(summary(pass.changes)).toEqual(summary(full));
  const failed = new Set(options.failed ?? []);
  await recordAppliedTags(
    client,
    shop.id,
    pass.changes.filter((c) => !failed.has(c.customerId)),
  );
  await endShopTagPass(
    client,
    shop.id,
    pass,
    [...failed].map((customerId) => ({ customerId })),
  );
  return pass;
}

const logged = async () =>
  (
    await client.query<{ id: string }>(
      `SELECT DISTINCT "customerId"::text AS id FROM "TagSyncChange" WHERE "shopId" = $1 ORDER BY 1`,
      [shop.id],
    )
  ).rows.map((r) => r.id);

beforeAll(async () => {
  await client.connect();
});
afterAll(() => client.end());

beforeEach(async () => {
  shop = await prisma.shop.create({
    data: { domain: `tag-sync-${Date.now()}-${Math.random()}.myshopify.com`, timezone: "UTC" },
  });
  config = shopConfigFrom({ ...shop, settings: {} });
  for (let id = 1; id <= 6; id++) {
    await prisma.customer.create({ data: { shopId: shop.id, id: BigInt(id), appTags: [], tagCount: 1 } });
  }
  await writeMemberships(1, 6, [
    member(1, ["rfm/champions", "usage/light"]),
    member(2, ["rfm/champions"]),
    member(3, ["loyalty/loyal"]),
    member(4, ["usage/light"]),
  ]);
});

describe("the tag write-back's change log: a pass after the first", () => {
  it("compares every customer first, then only those logged; the write-back's own record is not logged", async () => {
    const first = await passEqualToFull();
    expect(first.scope).toBe("all");
    expect(first.changes.length).toBe(4);
    expect(await logged()).toEqual([]);
    const second = await passEqualToFull();
    expect(second.scope).toBe("logged");
    expect(second.changes).toEqual([]);
  });

  it("finds customers whose segments changed, new members and members gone", async () => {
    await passEqualToFull();
    await writeMemberships(1, 6, [
      member(1, ["usage/light", "rfm/champions"]), // the same segments in another order: no change
      member(2, ["rfm/at-risk"]),
      member(3, ["loyalty/loyal"]),
      member(5, ["usage/heavy"]),
      // 4: gone
    ]);
    expect(await logged()).toEqual(["2", "4", "5"]);
    const pass = await passEqualToFull();
    expect(pass.scope).toBe("logged");
    expect(Object.keys(summary(pass.changes))).toEqual(["2", "4", "5"]);
    expect(await logged()).toEqual([]);
  });

  it("finds customers whose recorded tags another writer changed, deleted, added and erased", async () => {
    await passEqualToFull();
    // The merchant took an app tag off customer 1 and added tags to 2 (the customers webhook).
    await upsertCustomers(prisma, shop.id, "seg:", [
      {
        id: "1",
        shopifyCreatedAt: null,
        shopifyUpdatedAt: null,
        tags: ["seg:usage-light", "vip"],
        emailMarketing: null,
      },
      {
        id: "2",
        shopifyCreatedAt: null,
        shopifyUpdatedAt: null,
        tags: ["seg:rfm-champions", "a", "b"],
        emailMarketing: null,
      },
    ]);
    await markCustomerDeleted(prisma, shop.id, 3n);
    // A customer created with one of the app's tags (no memberships: it is removed).
    await upsertCustomers(prisma, shop.id, "seg:", [
      { id: "7", shopifyCreatedAt: null, shopifyUpdatedAt: null, tags: ["seg:loyalty-loyal"], emailMarketing: null },
    ]);
    await client.query(`DELETE FROM "Customer" WHERE "shopId" = $1 AND id = 4`, [shop.id]);
    expect(await logged()).toEqual(["1", "2", "3", "4", "7"]);
    const pass = await passEqualToFull();
    expect(pass.scope).toBe("logged");
    expect(summary(pass.changes)).toEqual({
      "1": { add: ["seg:rfm-champions"], remove: [], capped: [] },
      // Deleted, its membership row not yet removed (the next recompute does): tagged as a full comparison does.
      "3": { add: ["seg:loyalty-loyal"], remove: [], capped: [] },
      "4": { add: ["seg:usage-light"], remove: [], capped: [] },
      "7": { add: [], remove: ["seg:loyalty-loyal"], capped: [] },
    });
  });
});

describe("the tag write-back's change log: what makes a pass compare again", () => {
  it("compares every customer again after a settings change, and after a first recompute turned the log off", async () => {
    await passEqualToFull();
    config = shopConfigFrom({ ...shop, settings: { writeback: { disabledSegments: ["usage/light"] } } });
    const afterSettings = await passEqualToFull();
    expect(afterSettings.scope).toBe("all");
    expect(Object.keys(summary(afterSettings.changes))).toEqual(["1", "4"]);
    expect((await passEqualToFull()).scope).toBe("logged");
    await stopTagLog(client, shop.id);
    await writeMemberships(1, 6, [member(1, ["rfm/champions"])]);
    expect(await logged()).toEqual([]);
    expect((await passEqualToFull()).scope).toBe("all");
  });

  it("logs again the customers Shopify refused and those with capped tags", async () => {
    await client.query(`UPDATE "Customer" SET "tagCount" = 250 WHERE "shopId" = $1 AND id = 3`, [shop.id]);
    await passEqualToFull({ failed: ["2"] });
    expect(await logged()).toEqual(["2", "3"]);
    const again = await passEqualToFull();
    expect(again.scope).toBe("logged");
    expect(Object.keys(summary(again.changes))).toEqual(["2", "3"]);
    expect(summary(again.changes)["3"].capped).toEqual(["seg:loyalty-loyal"]);
    expect(await logged()).toEqual(["3"]);
  });

  it("keeps the changes committed after a pass's snapshot for the next pass", async () => {
    await passEqualToFull();
    const pass = await startShopTagPass(client, config);
    await writeMemberships(1, 6, [
      member(1, ["rfm/champions", "usage/light"]),
      member(2, ["rfm/champions", "usage/heavy"]),
      member(3, ["loyalty/loyal"]),
      member(4, ["usage/light"]),
    ]);
    await endShopTagPass(client, shop.id, pass, []);
    expect(pass.changes).toEqual([]);
    expect(await logged()).toEqual(["2"]);
    const next = await passEqualToFull();
    expect(Object.keys(summary(next.changes))).toEqual(["2"]);
  });

  it("compares every customer when the log grew long, and the retention job forgets a long log", async () => {
    await passEqualToFull();
    await writeMemberships(1, 6, [member(1, ["rfm/new"]), member(2, ["rfm/new"]), member(3, ["rfm/new"])]);
    const { tagLogKey } = await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } });
    // Logged: 1, 2 and 3 changed, 4 gone.
    expect(await beginTagPass(client, shop.id, tagLogKey!, 4)).toBe("logged");
    expect(await beginTagPass(client, shop.id, tagLogKey!, 3)).toBe("all");
    expect(await forgetLongTagLog(prisma, shop.id, 4)).toBe(0);
    expect(await forgetLongTagLog(prisma, shop.id, 2)).toBe(4);
    expect(await logged()).toEqual([]);
    // Off until the next pass, which compares every customer and finds the changes the log held.
    await writeMemberships(1, 6, [member(1, ["rfm/new"]), member(2, ["rfm/new"]), member(5, ["rfm/new"])]);
    expect(await logged()).toEqual([]);
    const pass = await passEqualToFull();
    expect(pass.scope).toBe("all");
    expect(Object.keys(summary(pass.changes))).toEqual(["1", "2", "3", "4", "5"]);
  });
});
