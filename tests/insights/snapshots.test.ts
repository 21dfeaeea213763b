import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { addDays } from "../../app/insights/core";
import { snapshotsCsv } from "../../app/insights/exports.server";
import { movementMatrix } from "../../app/insights/movement.server";
import { rebuildSnapshots, takeDailySnapshot, takeSnapshot } from "../../app/insights/snapshots.server";
import { STORES } from "../../app/stores/index.server";
import { readSnapshots } from "../../app/stores/insights.server";
import { generateHistory } from "../../scripts/lib/insights-history";

const domain = "snapshots-shop.myshopify.com";
const firstDay = "2026-03-18"; // London moves to summer time on 2026-03-29, inside the period
const days = 18;
const lastDay = addDays(firstDay, days - 1);
const range = { from: firstDay, to: addDays(lastDay, 1) };
let shopId = "";
let customers: bigint[] = [];
let lastMoment = new Date(0);

async function csvText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

beforeAll(async () => {
  const shop = await prisma.shop.create({ data: { domain, timezone: "Europe/London", currency: "GBP" } });
  shopId = shop.id;
  customers = await generateHistory(prisma, {
    shopId,
    timeZone: "Europe/London",
    firstDay,
    days,
    customers: 320,
    afterRecompute: async (_day, at) => void (await takeSnapshot(prisma, domain, { now: at })),
    afterMidnight: async (_day, at) => {
      await takeDailySnapshot(prisma, domain, { now: at });
      lastMoment = at;
    },
  });
}, 240_000);

afterAll(async () => {
  await prisma.$disconnect();
});

describe("daily snapshots", () => {
  it("snapshots rebuilt from the stored history equal the ones taken live", async () => {
    const live = await readSnapshots(prisma, shopId, range);
    expect(live.length).toBeGreaterThan(days * 10);
    // The history really moved: entries, exits and orders on the days, and later transitions to undo.
    expect(live.some((r) => r.entries > 0)).toBe(true);
    expect(live.some((r) => r.exits > 0)).toBe(true);
    expect(live.reduce((n, r) => n + r.orders, 0)).toBeGreaterThan(50);
    const sizes = live.filter((r) => r.segment === "loyalty/lapsed").map((r) => r.size);
    expect(new Set(sizes).size).toBeGreaterThan(1);

    await prisma.segmentSnapshot.deleteMany({ where: { shopId } });
    const rebuilt = await rebuildSnapshots(prisma, shopId, range, { now: lastMoment });
    expect(rebuilt.days).toBe(days + 1);
    expect(await readSnapshots(prisma, shopId, range)).toEqual(live);
  });

  it("a redacted customer leaves no trace in snapshots, movement matrices or exports", async () => {
    // A customer who was in segments and ordered during the period.
    const [row] = await prisma.$queryRawUnsafe<Array<{ id: bigint }>>(
      `SELECT o."customerId" AS id FROM "Order" o JOIN "SegmentMembership" m ON m."shopId" = o."shopId" AND m."customerId" = o."customerId"
       WHERE o."shopId" = $1 GROUP BY 1 HAVING min(o."processedAt") < $2::timestamptz
       ORDER BY count(*) FILTER (WHERE o."processedAt" >= $2::timestamptz) DESC, 1 LIMIT 1`,
      shopId,
      `${firstDay}T00:00:00Z`,
    );
    expect(customers).toContain(row.id);
    const period = { from: addDays(firstDay, 1), to: lastDay };
    const segments = [
      "loyalty/new",
      "loyalty/repeat",
      "loyalty/loyal",
      "loyalty/at-risk",
      "loyalty/lapsed",
      "loyalty/one-time",
      "loyalty/reactivated",
    ];
    const before = await readSnapshots(prisma, shopId, range);
    const matrixBefore = await movementMatrix(
      prisma,
      { id: shopId, timezone: "Europe/London" },
      { family: "loyalty", period, segments, now: lastMoment },
    );

    await prisma.$transaction(async (tx) => {
      for (const store of STORES) {
        await store.eraseCustomer(tx, { shop: { id: shopId, domain }, customerId: row.id, orderIds: [] });
      }
    });

    const after = await readSnapshots(prisma, shopId, range);
    const sum = (rows: typeof before, key: "size" | "orders") => rows.reduce((n, r) => n + r[key], 0);
    // They were counted before (every day's sizes, their orders) and are not now.
    expect(sum(after, "size")).toBeLessThan(sum(before, "size"));
    expect(sum(after, "orders")).toBeLessThan(sum(before, "orders"));
    const exportAfter = await csvText(snapshotsCsv(prisma, shopId, range));

    // What is stored equals a rebuild from the history that remains: as if the customer had never been there.
    await prisma.segmentSnapshot.deleteMany({ where: { shopId } });
    await rebuildSnapshots(prisma, shopId, range, { now: lastMoment });
    expect(await readSnapshots(prisma, shopId, range)).toEqual(after);
    expect(await csvText(snapshotsCsv(prisma, shopId, range))).toBe(exportAfter);
    expect(exportAfter).not.toContain(String(row.id));

    const matrixAfter = await movementMatrix(
      prisma,
      { id: shopId, timezone: "Europe/London" },
      { family: "loyalty", period, segments, now: lastMoment },
    );
    const total = (m: typeof matrixBefore) => m.startSizes.reduce((a, b) => a + b, 0);
    expect(total(matrixAfter)).toBe(total(matrixBefore) - 1);
    // Each row still sums to the start sizes without the customer, which the snapshots agree with.
    // The first day's snapshot is as of the second day's start, where the period begins.
    const dayBefore = await readSnapshots(prisma, shopId, { from: firstDay, to: firstDay });
    expect(dayBefore.length).toBeGreaterThan(0);
    matrixAfter.rows.forEach((segment, r) => {
      expect(matrixAfter.counts[r].reduce((a, b) => a + b, 0)).toBe(matrixAfter.startSizes[r]);
      const snap = dayBefore.find((s) => s.segment === segment);
      if (snap) expect(matrixAfter.startSizes[r]).toBe(snap.size);
    });
  });
});
