// Daily segment snapshots: taken after every recompute (the day so far) and
// by a daily job shortly after the shop's midnight (the day that ended), in
// the shop's own time zone; rebuilt from the stored history on request.
// Every path computes a day the same way (stores/insights.server.ts), so a
// rebuilt day equals the one taken live while no order of that day changed
// afterwards (ADR 032).
import type { PrismaClient } from "@prisma/client";
import { findShop } from "../stores/shops.server";
import { deleteSnapshotsBefore, earliestHistory, replaceSnapshotDay, segmentDay } from "../stores/insights.server";
import { addDays, dayEnd, dayStart, daysIn, insightsSettingsOf, localDay } from "./core";

interface SnapshotShop {
  id: string;
  timezone: string;
  settings: unknown;
}

/** Computes and stores one shop-local day as of `asOf` (at most the day's end). */
async function snapshotDay(
  db: PrismaClient,
  shop: SnapshotShop,
  day: string,
  now: Date,
): Promise<{ day: string; segments: number }> {
  const dayStartAt = dayStart(day, shop.timezone);
  const end = dayEnd(day, shop.timezone);
  const asOf = now < end ? now : end;
  const rows = await segmentDay(db, { shopId: shop.id, dayStartAt, asOf });
  await replaceSnapshotDay(db, { shopId: shop.id, day, dayStartAt, asOf, rows });
  return { day, segments: rows.length };
}

async function applyRetention(db: PrismaClient, shop: SnapshotShop, today: string): Promise<number> {
  const { retentionDays } = insightsSettingsOf(shop.settings);
  return deleteSnapshotsBefore(db, shop.id, addDays(today, -(retentionDays - 1)));
}

/** After a recompute: today's snapshot so far (a later one the same day replaces it). */
export async function takeSnapshot(db: PrismaClient, domain: string, options: { now?: Date } = {}) {
  const shop = await findShop(db, domain);
  if (!shop || shop.status !== "installed") return { skipped: "shop not installed" };
  const now = options.now ?? new Date();
  const today = localDay(now, shop.timezone);
  const taken = await snapshotDay(db, shop, today, now);
  const expired = await applyRetention(db, shop, today);
  return { ...taken, expired };
}

/** The daily job, after the shop's midnight: the day that just ended, final, and today's start. */
export async function takeDailySnapshot(db: PrismaClient, domain: string, options: { now?: Date } = {}) {
  const shop = await findShop(db, domain);
  if (!shop || shop.status !== "installed") return { skipped: "shop not installed" };
  const now = options.now ?? new Date();
  const today = localDay(now, shop.timezone);
  const yesterday = await snapshotDay(db, shop, addDays(today, -1), now);
  await snapshotDay(db, shop, today, now);
  const expired = await applyRetention(db, shop, today);
  return { ...yesterday, expired };
}

/**
 * Rebuilds the snapshots of [from, to] from the memberships, transitions and
 * orders as stored now, clipped to the retention and to the days the history
 * covers (before the shop's first recompute there is nothing to rebuild).
 */
export async function rebuildSnapshots(
  db: PrismaClient,
  shopId: string,
  range: { from: string; to: string },
  options: { now?: Date } = {},
): Promise<{ days: number; from: string | null; to: string | null }> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const now = options.now ?? new Date();
  const today = localDay(now, shop.timezone);
  const { retentionDays } = insightsSettingsOf(shop.settings);
  const first = await earliestHistory(db, shopId);
  let from = range.from;
  const oldest = addDays(today, -(retentionDays - 1));
  if (from < oldest) from = oldest;
  if (first && from < localDay(first, shop.timezone)) from = localDay(first, shop.timezone);
  const to = range.to > today ? today : range.to;
  if (!first || from > to) return { days: 0, from: null, to: null };
  const days = daysIn(from, to);
  for (const day of days) await snapshotDay(db, shop, day, now);
  return { days: days.length, from, to };
}
