import "./isolated-database";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { shopConfigFrom } from "../../app/settings/shop-config";
import { computeTagChanges } from "../../app/writeback/tag-changes.server";

// ADR 046: the tags a customer should carry are derived from its stored
// segments under the shop's settings when the write-back compares, so they
// follow a settings change without the memberships being rewritten.
describe("computeTagChanges", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  let shop: Awaited<ReturnType<typeof prisma.shop.create>>;

  beforeAll(async () => {
    await client.connect();
    shop = await prisma.shop.create({ data: { domain: "tag-changes.myshopify.com", timezone: "UTC" } });
    const customers: Array<[id: number, appTags: string[], segments: string[] | null]> = [
      [1, ["seg:rfm-champions", "seg:usage-light"], ["rfm/champions", "usage/light"]], // in sync (sorted)
      [2, ["SEG:usage-light", "seg:rfm-champions"], ["rfm/champions", "usage/light"]], // in sync (case, order)
      [3, [], ["rfm/champions"]], // never tagged
      [4, ["seg:rfm-champions"], null], // no memberships any more
      [5, [], null], // nothing either way
      [6, ["seg:loyalty-loyal"], ["loyalty/loyal", "rfm/champions"]], // one to add
    ];
    for (const [id, appTags, segments] of customers) {
      await prisma.customer.create({
        data: { shopId: shop.id, id: BigInt(id), appTags, tagCount: appTags.length + 1 },
      });
      if (segments) {
        await prisma.segmentMembership.create({
          data: {
            shopId: shop.id,
            customerId: BigInt(id),
            segments,
            sinceDay: segments.map(() => 20000),
          },
        });
      }
    }
  });
  afterAll(() => client.end());

  const changes = async (settings: object) => {
    const config = shopConfigFrom({ ...shop, settings });
    const list = await computeTagChanges(client, config);
    return Object.fromEntries(list.map((c) => [c.customerId, { add: c.diff.add, remove: c.diff.remove }]));
  };

  it("sends only what differs from the tags the stored segments give", async () => {
    expect(await changes({})).toEqual({
      "3": { add: ["seg:rfm-champions"], remove: [] },
      "4": { add: [], remove: ["seg:rfm-champions"] },
      "6": { add: ["seg:rfm-champions"], remove: [] },
    });
  });

  it("follows the settings without the memberships being rewritten: a new prefix, a disabled segment", async () => {
    const moved = await changes({
      writeback: { tagPrefix: "rs-", previousPrefixes: ["seg:"], disabledSegments: ["usage/light"] },
    });
    expect(moved["1"]).toEqual({ add: ["rs-rfm-champions"], remove: ["seg:rfm-champions", "seg:usage-light"] });
    expect(moved["2"]).toEqual({ add: ["rs-rfm-champions"], remove: ["SEG:usage-light", "seg:rfm-champions"] });
    expect(moved["5"]).toBeUndefined();
    expect(moved["6"]).toEqual({ add: ["rs-loyalty-loyal", "rs-rfm-champions"], remove: ["seg:loyalty-loyal"] });
  });

  it("compares one customer when asked", async () => {
    const config = shopConfigFrom({ ...shop, settings: {} });
    expect((await computeTagChanges(client, config, "3")).map((c) => c.customerId)).toEqual(["3"]);
    expect(await computeTagChanges(client, config, "1")).toEqual([]);
  });
});
