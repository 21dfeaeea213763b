// The overview's weekly card from its loader (loadOverview, what
// app/routes/app._index.tsx returns) on the real database: the week's alerts
// under the shop's own threshold and minimum size, the biggest movements with
// their titles, nothing of another shop, and null (the empty state) before any
// snapshot of the last seven days.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loadOverview } from "../../app/admin/overview.server";
import { addDays } from "../../app/insights/core";
import { snapshotRow } from "../helpers/snapshots";

const NOW = new Date("2026-12-01T15:00:00Z");
const TODAY = "2026-12-01";
const SHOP = "weekly-card.myshopify.com";
const OTHER = "weekly-other.myshopify.com";
const QUIET = "weekly-quiet.myshopify.com";

/** Daily snapshot rows of a segment from `sizes[0]` (eight days ago, the week's start) to today. */
function series(shopId: string, segment: string, first: number, last: number, flow = { entries: 0, exits: 0 }) {
  return Array.from({ length: 8 }, (_, i) =>
    snapshotRow(shopId, addDays(TODAY, i - 7), segment, {
      size: i === 7 ? last : first,
      entries: i === 7 ? flow.entries : 0,
      exits: i === 7 ? flow.exits : 0,
      orders: 1,
      revenueMinor: 1_000n,
      buyers: 1,
    }),
  );
}

beforeAll(async () => {
  const shop = await prisma.shop.create({
    data: { domain: SHOP, timezone: "UTC", settings: { insights: { alertThreshold: 0.3, alertMinSize: 20 } } },
  });
  const other = await prisma.shop.create({ data: { domain: OTHER, timezone: "UTC" } });
  await prisma.shop.create({ data: { domain: QUIET, timezone: "UTC" } });
  await prisma.segmentSnapshot.createMany({
    data: [
      // +40%: an alert (threshold 30%).
      ...series(shop.id, "rfm/at-risk", 100, 140, { entries: 45, exits: 5 }),
      // −10%: a movement, no alert.
      ...series(shop.id, "rfm/champions", 50, 45, { entries: 1, exits: 6 }),
      // +200% but 10 customers at the start (minimum 20): a movement, no alert.
      ...series(shop.id, "rfm/new", 10, 30, { entries: 20, exits: 0 }),
      // Steady, nobody in or out: neither.
      ...series(shop.id, "rfm/hibernating", 80, 80),
      // Another shop's sharp change never shows here.
      ...series(other.id, "rfm/champions", 100, 10, { entries: 0, exits: 90 }),
    ],
  });
  // A snapshot of the quiet shop older than the week: not this week's.
  await prisma.segmentSnapshot.createMany({
    data: series((await prisma.shop.findUniqueOrThrow({ where: { domain: QUIET } })).id, "rfm/champions", 5, 5).map(
      (row) => ({ ...row, day: new Date(row.day.getTime() - 30 * 86_400_000) }),
    ),
  });
});

describe("overview: the week's summary", () => {
  it("has the week's alerts under the shop's settings and its biggest movements, with titles", async () => {
    const overview = await loadOverview(prisma, SHOP, NOW);
    expect(overview.weekly).not.toBeNull();
    const weekly = overview.weekly!;
    expect({ from: weekly.from, to: weekly.to }).toEqual({ from: "2026-11-25", to: TODAY });
    expect(weekly.alerts).toEqual([
      {
        segment: "rfm/at-risk",
        title: "At risk",
        from: { day: "2026-11-24", size: 100 },
        to: { day: TODAY, size: 140 },
        change: 0.4,
        direction: "grew",
      },
    ]);
    expect(weekly.movements.map((m) => [m.title, m.sizeWeekAgo, m.size, m.entries, m.exits])).toEqual([
      ["At risk", 100, 140, 45, 5],
      ["New", 10, 30, 20, 0],
      ["Champions", 50, 45, 1, 6],
    ]);
  });

  it("is null before any snapshot of the last seven days (the card's empty state)", async () => {
    expect((await loadOverview(prisma, QUIET, NOW)).weekly).toBeNull();
    // Unknown shop: the overview's own empty state, no summary either.
    expect((await loadOverview(prisma, "nobody.myshopify.com", NOW)).weekly).toBeNull();
  });

  it("follows the threshold the merchant sets", async () => {
    await prisma.shop.update({
      where: { domain: SHOP },
      data: { settings: { insights: { alertThreshold: 0.05, alertMinSize: 20 } } },
    });
    const { weekly } = await loadOverview(prisma, SHOP, NOW);
    expect(weekly!.alerts.map((a) => [a.segment, a.direction])).toEqual([
      ["rfm/at-risk", "grew"],
      ["rfm/champions", "shrank"],
    ]);
  });
});
