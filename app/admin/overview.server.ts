// The overview page: every segment family with each segment's count, share
// of customers and share of revenue; the RFM grid; the distribution of the
// predicted 12-month value; segment sizes over time from the stored
// transitions; what the predictive models could or could not say; and the
// week's alerts and biggest movements from the daily snapshots.
import type { PrismaClient } from "@prisma/client";
import { equalRangeEdges, FAMILIES, RFM_GROUPS } from "../segmentation";
import { latestRunOf, transitionsByDay } from "../stores/admin-reads.server";
import { weeklyOverview, type OverviewWeekly } from "../insights/page.server";
import { withPgClient } from "../stores/pg/pool.server";
import { loadAdminShop, majorUnits } from "./shop-context.server";
import { shopFigures, type ShopFigures } from "./shop-figures.server";

export interface OverviewSegment {
  key: string;
  title: string;
  customers: number;
  shareOfCustomers: number;
  shareOfRevenue: number;
}

export interface Overview {
  shop: string;
  /** Whether segments exist yet (false: the install backfill or the first recompute is still to come). */
  ready: boolean;
  currency: string;
  totals: { customers: number; orders: number; revenue: number; segmented: number };
  families: Array<{ family: string; segments: OverviewSegment[] }>;
  /** Notes of the predictive models: not fitted (with why) or fitted but saying little about a segment. */
  modelNotes: Array<{ status: "weak" | "unavailable"; segments: string[]; reason: string }>;
  /** Customers per (R, FM) cell, with the RFM group the cell belongs to. */
  rfm: Array<{ r: number; fm: number; customers: number; group: string }>;
  clv: { available: boolean; buckets: Array<{ from: number; to: number; customers: number }> };
  /** Members per day of the largest segments, reconstructed backwards from today's sizes and the transitions. */
  trend: Array<{ segment: string; title: string; points: Array<{ day: string; customers: number }> }>;
  /** The latest backfill's state, for the empty state. */
  backfill: { status: string; step: string | null } | null;
  /** The last seven days' alerts and biggest movements, from the daily snapshots; null before any. */
  weekly: OverviewWeekly | null;
  /** When the counts, totals, grid and distribution were computed (ISO), for a big shop's stored figures; null: now. */
  figuresAsOf: string | null;
}

const TREND_DAYS = 90;
const TREND_SEGMENTS = 6;

export async function loadOverview(db: PrismaClient, domain: string, now = new Date()): Promise<Overview> {
  const admin = await withPgClient((client) => loadAdminShop(db, client, domain));
  const empty: Overview = {
    shop: domain,
    ready: false,
    currency: "USD",
    totals: { customers: 0, orders: 0, revenue: 0, segmented: 0 },
    families: [],
    modelNotes: [],
    rfm: [],
    clv: { available: false, buckets: [] },
    trend: [],
    backfill: null,
    weekly: null,
    figuresAsOf: null,
  };
  if (!admin) return empty;
  const { shop, catalog, config } = admin;
  const decimals = config.segmentation.currencyDecimals;
  const since = new Date(now.getTime() - TREND_DAYS * 86_400_000);
  const [figures, [transitions, backfill], weekly] = await Promise.all([
    // The shop-wide aggregates: stored by the worker at a big shop, computed now at a smaller one (ADR 054).
    shopFigures(db, { id: shop.id, domain }, "all"),
    // Two indexed reads of a few rows: one connection.
    withPgClient(
      async (client) =>
        [await transitionsByDay(client, shop.id, since), await latestRunOf(client, shop.id, "backfill")] as const,
    ),
    // Through Prisma's pool: one indexed read of at most 8 days of snapshots.
    weeklyOverview(db, shop, catalog, now),
  ]);
  const { segments: totals, shop: shopWide, rfm: grid, clv: histogram } = figures;
  const bySegment = new Map(totals.map((row) => [row.segment, row]));
  const customers = shopWide.customers;
  const families = FAMILIES.map((family) => ({
    family,
    segments: catalog
      .filter((entry) => entry.family === family)
      .map((entry) => {
        const row = bySegment.get(entry.key);
        return {
          key: entry.key,
          title: entry.title,
          customers: row?.customers ?? 0,
          shareOfCustomers: customers > 0 ? (row?.customers ?? 0) / customers : 0,
          shareOfRevenue: shopWide.revenueMinor > 0 ? (row?.revenueMinor ?? 0) / shopWide.revenueMinor : 0,
        };
      }),
  })).filter((group) => group.segments.length > 0);

  const notes = new Map<string, Overview["modelNotes"][number]>();
  for (const entry of catalog) {
    if (!entry.model || entry.model.status === "ok") continue;
    const status = entry.model.status;
    const note = notes.get(entry.model.reason) ?? { status, segments: [], reason: entry.model.reason };
    note.segments.push(entry.title);
    notes.set(entry.model.reason, note);
  }

  const clvAvailable = histogram.counts.some((n) => n > 0);
  const trend = sizesOverTime(
    families.flatMap((g) => g.segments),
    transitions,
    since,
    now,
  );
  return {
    shop: domain,
    ready: totals.length > 0,
    currency: shop.currency,
    totals: {
      customers,
      orders: shopWide.orders,
      revenue: majorUnits(shopWide.revenueMinor, decimals),
      segmented: customers,
    },
    families,
    modelNotes: [...notes.values()],
    rfm: grid.map((cell) => ({ r: cell.r, fm: cell.fm, customers: cell.n, group: rfmGroupKey(cell.r, cell.fm) })),
    clv: {
      available: clvAvailable,
      buckets: clvAvailable ? clvBuckets(histogram) : [],
    },
    trend,
    backfill: backfill ? { status: backfill.status, step: backfill.step } : null,
    weekly,
    figuresAsOf: figures.asOf?.toISOString() ?? null,
  };
}

/** The chart's bars: each range's bounds and customers (equal ranges for figures stored without edges). */
function clvBuckets(h: ShopFigures["clv"]): Overview["clv"]["buckets"] {
  const k = h.counts.length;
  const edges = h.edges ?? equalRangeEdges(h.max, k);
  return h.counts.map((customers, i) => ({
    from: i === 0 ? 0 : edges[i - 1],
    to: i < edges.length ? edges[i] : h.max,
    customers,
  }));
}

/** The RFM group (segment key) of an (R, FM) cell. */
function rfmGroupKey(r: number, fm: number): string {
  const group = RFM_GROUPS.find((g) =>
    g.ranges.some((range) => r >= range.r[0] && r <= range.r[1] && fm >= range.fm[0] && fm <= range.fm[1]),
  );
  return `rfm/${group?.handle ?? "prospects"}`;
}

/**
 * Sizes at the end of each day with a change, for the largest segments that
 * changed: today's size minus the entries after that day plus the exits
 * after it.
 */
function sizesOverTime(
  segments: OverviewSegment[],
  transitions: Array<{ segment: string; day: string; entered: number; left: number }>,
  since: Date,
  now: Date,
): Overview["trend"] {
  const changed = new Set(transitions.map((t) => t.segment));
  const top = segments
    .filter((s) => changed.has(s.key))
    .sort((a, b) => b.customers - a.customers)
    .slice(0, TREND_SEGMENTS);
  const days = [...new Set(transitions.map((t) => t.day))].sort();
  if (days.length === 0) return [];
  const first = new Date(since.getTime() - 86_400_000).toISOString().slice(0, 10);
  const today = now.toISOString().slice(0, 10);
  return top.map((segment) => {
    const net = new Map<string, number>();
    for (const t of transitions) if (t.segment === segment.key) net.set(t.day, t.entered - t.left);
    let size = segment.customers;
    const points: Array<{ day: string; customers: number }> = [];
    if (!net.has(today)) points.push({ day: today, customers: size });
    for (const day of [...days].reverse()) {
      points.push({ day, customers: size });
      size -= net.get(day) ?? 0;
    }
    points.push({ day: first, customers: size });
    return { segment: segment.key, title: segment.title, points: points.reverse() };
  });
}
