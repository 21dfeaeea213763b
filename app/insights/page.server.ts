// What the insights pages show for the session's shop: the period's trend of
// each segment of a family, its movement matrix, per-segment conversion,
// churn, revenue and prediction check, the discounts' lift, alerts and the
// weekly summary. Every query is scoped by the shop.
import type { PrismaClient } from "@prisma/client";
import { shopConfigFrom } from "../settings/shop-config";
import { cohortHistories, cohortOutcomes, readSnapshots } from "../stores/insights.server";
import { loadShopCutoffs } from "../stores/memberships.server";
import { withPgClient } from "../stores/pg/pool.server";
import { findShop } from "../stores/shops.server";
import { logger } from "../utils/logger.server";
import {
  addDays,
  biggestMovements,
  dayEnd,
  dayStart,
  daysBetween,
  daysIn,
  insightsSettingsOf,
  localDay,
  parsePeriod,
  predictedPurchaseDays,
  segmentAlerts,
  segmentMetrics,
  weeklySummary,
  type MovementMatrix,
  type Period,
  type SegmentAlert,
  type SegmentMetrics,
  type SegmentPredictions,
  type WeeklySegmentSummary,
} from "./core";
import { allDiscountLifts, type DiscountLift } from "./discount-lift.server";
import { movementMatrix } from "./movement.server";

type Shop = NonNullable<Awaited<ReturnType<typeof findShop>>>;

export interface SegmentLabel {
  key: string;
  title: string;
}

/** Segment titles from the shop's catalog (raw keys when its stored settings no longer validate). */
function catalogOf(shop: Shop): SegmentLabel[] {
  try {
    return shopConfigFrom(shop).catalog.map((c) => ({ key: c.key, title: c.title }));
  } catch {
    return [];
  }
}

/**
 * The shop's segment titles, its families, the family asked for (the first
 * family when it is not one of them) and that family's segments.
 */
export function familyOf(shop: Shop, requested: string | null | undefined) {
  const labels = catalogOf(shop);
  const families = [...new Set(labels.map((l) => l.key.split("/")[0]))];
  const family = requested && families.includes(requested) ? requested : (families[0] ?? "rfm");
  const familySegments = labels.filter((l) => l.key.startsWith(`${family}/`)).map((l) => l.key);
  return { labels, families, family, familySegments };
}

export interface InsightsPage {
  shop: string;
  currency: string;
  today: string;
  retentionDays: number;
  families: string[];
  family: string;
  period: Period | null;
  /** Why the requested period was refused, if it was. */
  problem: string | null;
  labels: SegmentLabel[];
  trend: { days: string[]; series: Array<{ segment: string; sizes: Array<number | null> }> };
  /** No snapshot in the period: the page shows an empty state. */
  empty: boolean;
  matrix: MovementMatrix | null;
  metrics: SegmentMetrics[];
  alerts: SegmentAlert[];
  discounts: DiscountLift[];
  /** The last seven days (the overview's weekly summary). */
  weekly: WeeklySummaryData | null;
}

export interface InsightsQuery {
  from?: string | null;
  to?: string | null;
  family?: string | null;
}

/** Expected purchase days per segment of the family from the stored BG/NBD fit; none when the model is not fitted. */
async function predictions(
  db: PrismaClient,
  shop: Shop,
  family: string,
  period: Period,
  startAt: Date,
  endAt: Date,
): Promise<SegmentPredictions> {
  const stored = await withPgClient((client) => loadShopCutoffs(client, shop.id));
  const predictive = stored?.cutoffs.predictive;
  const out = new Map<string, { predicted: number; actual: number }>();
  if (!predictive || predictive.status !== "ok") return { fitted: false, segments: {} };
  const histories = await cohortHistories(db, {
    shopId: shop.id,
    family,
    startAt,
    endAt,
    timeZone: shop.timezone,
    startDay: period.from,
  });
  const periodDays = (endAt.getTime() - startAt.getTime()) / 86_400_000;
  // Segments and customers share histories: the rows repeat the same (x, tx, T) many times, and each expectation
  // is a series to sum.
  const expected = new Map<string, number>();
  for (const h of histories) {
    const entry = out.get(h.segment) ?? { predicted: 0, actual: 0 };
    const key = `${h.x} ${h.tx} ${h.t}`;
    let one = expected.get(key);
    if (one === undefined) {
      one = predictedPurchaseDays(
        predictive.bgnbd,
        predictive.unitDays,
        [{ x: h.x, txDays: h.tx, Tdays: h.t }],
        periodDays,
      );
      expected.set(key, one);
    }
    entry.predicted += h.customers * one;
    entry.actual += h.actual;
    out.set(h.segment, entry);
  }
  return { fitted: true, segments: Object.fromEntries(out) };
}

/** The page, and the model's check of its segments on its own (a separate promise: see insightsPageParts). */
export interface InsightsPageParts {
  /** Its metrics without the model's check. */
  page: InsightsPage;
  /** Per segment of the page's metrics; null when the page has none (an empty or refused period). */
  predictions: Promise<SegmentPredictions> | null;
}

/**
 * The page without waiting for the model's check: at a million customers the
 * check groups every order per customer and day (about 15 s), while the rest
 * of the page takes about 3 s, so the route sends the page first and the
 * check when it is ready (ADR 055).
 */
export async function insightsPageParts(
  db: PrismaClient,
  domain: string,
  query: InsightsQuery,
  options: { now?: Date } = {},
): Promise<InsightsPageParts | null> {
  const shop = await findShop(db, domain);
  if (!shop) return null;
  const now = options.now ?? new Date();
  const today = localDay(now, shop.timezone);
  const settings = insightsSettingsOf(shop.settings);
  const { labels, families, family, familySegments } = familyOf(shop, query.family);
  // The reads below run side by side where one does not need another's answer (each on a connection of Prisma's
  // pool): one after the other they took about 300 ms on the Online Retail store.
  const weekly = weeklySummaryOf(db, shop, labels, now);
  // Awaited below on every path; this only keeps a failure from being unhandled while an earlier read fails first.
  weekly.catch(() => undefined);
  const page: InsightsPage = {
    shop: domain,
    currency: shop.currency,
    today,
    retentionDays: settings.retentionDays,
    families,
    family,
    period: null,
    problem: null,
    labels,
    trend: { days: [], series: [] },
    empty: true,
    matrix: null,
    metrics: [],
    alerts: [],
    discounts: [],
    weekly: null,
  };
  const parsed = parsePeriod(
    { from: query.from, to: query.to },
    { today, retentionDays: settings.retentionDays, defaultDays: 28 },
  );
  if (!parsed.ok) return { page: { ...page, weekly: await weekly, problem: parsed.message }, predictions: null };
  const period = parsed.period;
  page.period = period;
  // The discounts' lift needs nothing below: it runs beside the period's queries (about a second per discount of
  // 200,000 customers at 5M orders) and is awaited with them.
  const lifts = allDiscountLifts(db, shop.id, settings, { now });
  // Awaited below on every path; this only keeps a failure from being unhandled while another read fails first.
  lifts.catch(() => undefined);
  // The day before the period: its snapshot is the segments as the period starts.
  const rows = await readSnapshots(db, shop.id, { from: addDays(period.from, -1), to: period.to }, familySegments);
  const inPeriod = rows.filter((r) => r.day >= period.from);
  page.empty = inPeriod.length === 0;
  if (page.empty) return { page: { ...page, discounts: await lifts, weekly: await weekly }, predictions: null };
  const days = daysIn(period.from, period.to);
  page.trend = {
    days,
    series: familySegments.map((segment) => ({
      segment,
      sizes: days.map((day) => inPeriod.find((r) => r.day === day && r.segment === segment)?.size ?? null),
    })),
  };
  const startAt = dayStart(period.from, shop.timezone);
  const end = dayEnd(period.to, shop.timezone);
  const endAt = end < now ? end : now;
  const predicted = predictions(db, shop, family, period, startAt, endAt);
  // The page shows a failure where the check would be; the log says why (and the rejection is never unhandled,
  // even when a read below fails first).
  predicted.catch((error) => logger.error({ err: error, shop: domain }, "insights: the model's check failed"));
  const [matrix, outcomes, alertRows, week, discounts] = await Promise.all([
    movementMatrix(db, shop, { family, period, segments: familySegments, now }),
    cohortOutcomes(db, { shopId: shop.id, family, startAt, endAt, timeZone: shop.timezone }),
    readSnapshots(db, shop.id, { from: addDays(period.to, -7), to: period.to }),
    weekly,
    lifts,
  ]);
  page.discounts = discounts;
  page.matrix = matrix;
  page.weekly = week;
  page.metrics = outcomes.map((o) => segmentMetrics(o, null));
  page.alerts = segmentAlerts(alertRows, {
    threshold: settings.alertThreshold,
    minSize: settings.alertMinSize,
    windowDays: Math.min(7, daysBetween(addDays(period.to, -7), period.to)),
  });
  return { page, predictions: predicted };
}

export interface WeeklySummaryData {
  from: string;
  to: string;
  currency: string;
  labels: SegmentLabel[];
  segments: NonNullable<ReturnType<typeof weeklySummary>>["segments"];
  alerts: SegmentAlert[];
}

interface SummaryShop {
  id: string;
  timezone: string;
  settings: unknown;
}

/** The snapshots of the last seven days (and the day before), summed per segment, with the alerts. One indexed read. */
async function readWeek(db: PrismaClient, shop: SummaryShop, now: Date) {
  const today = localDay(now, shop.timezone);
  const settings = insightsSettingsOf(shop.settings);
  const rows = await readSnapshots(db, shop.id, { from: addDays(today, -7), to: today });
  const summary = weeklySummary(rows);
  if (!summary) return null;
  const alerts = segmentAlerts(rows, {
    threshold: settings.alertThreshold,
    minSize: settings.alertMinSize,
    windowDays: 7,
  });
  return { summary, alerts };
}

/** The last seven days: each segment's size and change, entries, exits, orders, revenue, and alerts (the Insights page). */
async function weeklySummaryOf(
  db: PrismaClient,
  shop: Shop,
  labels: SegmentLabel[],
  now: Date,
): Promise<WeeklySummaryData | null> {
  const week = await readWeek(db, shop, now);
  if (!week) return null;
  return { ...week.summary, currency: shop.currency, labels, alerts: week.alerts };
}

export interface OverviewWeekly {
  from: string;
  to: string;
  /** Segments whose size changed by at least the alert threshold, largest change first. */
  alerts: Array<SegmentAlert & { title: string }>;
  /** The segments that moved most (biggestMovements), with their titles. */
  movements: Array<WeeklySegmentSummary & { title: string }>;
}

/**
 * The overview's card: the week's alerts and biggest movements, for a shop
 * the overview has loaded already (its catalog gives the titles). Null when
 * no snapshot was taken in the last seven days.
 */
export async function weeklyOverview(
  db: PrismaClient,
  shop: SummaryShop,
  labels: readonly SegmentLabel[],
  now: Date,
): Promise<OverviewWeekly | null> {
  const week = await readWeek(db, shop, now);
  if (!week) return null;
  const titles = new Map(labels.map((l) => [l.key, l.title]));
  const title = (key: string) => titles.get(key) ?? key;
  return {
    from: week.summary.from,
    to: week.summary.to,
    alerts: week.alerts.map((a) => ({ ...a, title: title(a.segment) })),
    movements: biggestMovements(week.summary.segments).map((m) => ({ ...m, title: title(m.segment) })),
  };
}
