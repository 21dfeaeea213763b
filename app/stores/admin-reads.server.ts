// Read-only queries of the admin pages over the memberships, orders, runs and
// data-request tables (the stores of those tables own their writes and
// erasure). Every query is scoped by the shop's id; customer ids are compared
// as BIGINT and returned as strings.
import { equalRangeEdges, type ValueRangeCounts } from "../segmentation";
import { currencyExponent } from "../utils/money";
import { inWholeShopAggregate, type PgClient } from "./pg/pool.server";
import { COMPLIANCE_TOPIC_SQL } from "./runs.server";

/** Orders that count for revenue: not cancelled (totals are already net of refunds). */
const LIVE_ORDER = `o."cancelledAt" IS NULL`;

export interface SegmentTotals {
  segment: string;
  customers: number;
  orders: number;
  revenueMinor: number;
}

/** Per segment: members, their orders and revenue. */
export async function segmentTotals(client: PgClient, shopId: string): Promise<SegmentTotals[]> {
  const { rows } = await inWholeShopAggregate(client, () =>
    client.query(
      `WITH per_customer AS (
       SELECT o."customerId", count(*)::bigint AS orders, sum(o."totalMinor")::bigint AS revenue
       FROM "Order" o WHERE o."shopId" = $1 AND o."customerId" IS NOT NULL AND ${LIVE_ORDER}
       GROUP BY o."customerId")
     SELECT s AS segment, count(*)::int AS customers,
            coalesce(sum(p.orders), 0)::float8 AS orders, coalesce(sum(p.revenue), 0)::float8 AS revenue
     FROM "SegmentMembership" m CROSS JOIN unnest(m.segments) s
     LEFT JOIN per_customer p ON p."customerId" = m."customerId"
     WHERE m."shopId" = $1 GROUP BY s`,
      [shopId],
    ),
  );
  return rows.map((r) => ({ segment: r.segment, customers: r.customers, orders: r.orders, revenueMinor: r.revenue }));
}

/** The shop's revenue from live orders (guest orders included), and the customers with a membership row. */
export async function shopTotals(
  client: PgClient,
  shopId: string,
): Promise<{ revenueMinor: number; orders: number; customers: number }> {
  // One pass over the shop's orders for both figures.
  const { rows } = await client.query(
    `SELECT o.revenue, o.orders, (SELECT count(*)::int FROM "SegmentMembership" m WHERE m."shopId" = $1) AS customers
     FROM (SELECT coalesce(sum(o."totalMinor"), 0)::float8 AS revenue, count(*)::int AS orders
           FROM "Order" o WHERE o."shopId" = $1 AND ${LIVE_ORDER}) o`,
    [shopId],
  );
  return { revenueMinor: rows[0].revenue, orders: rows[0].orders, customers: rows[0].customers };
}

/**
 * Customers per (R, FM) cell of the RFM grid, from the scores each row keeps
 * (SegmentMembership.rfmScores, r * 100 + f * 10 + m; null for customers
 * without orders, "rfm/prospects"). FM = (F + M) / 2, in halves. Read as data,
 * not out of the reason's text (ADR 060).
 */
export async function rfmGrid(client: PgClient, shopId: string): Promise<Array<{ r: number; fm: number; n: number }>> {
  const { rows } = await client.query(
    `SELECT "rfmScores" / 100 AS r, ("rfmScores" / 10 % 10 + "rfmScores" % 10) / 2.0 AS fm, count(*)::int AS n
     FROM "SegmentMembership" WHERE "shopId" = $1 AND "rfmScores" IS NOT NULL GROUP BY 1, 2`,
    [shopId],
  );
  return rows.map((row) => ({ r: row.r, fm: Number(row.fm), n: row.n }));
}

/** Customers per range of predicted 12-month value, in major units: range 0 is [0, edges[0]), the last up to max. */
export interface ClvHistogram {
  edges: number[];
  max: number;
  counts: number[];
}

/**
 * The predicted 12-month value's distribution, in major units of the shop's
 * currency, as the last fit counted it over the customers it valued: ranges
 * between round numbers (ADR 063), or, for a model fitted before them, equal
 * ranges from 0 to the largest value (kept with the model, ADR 060: the values
 * move with every fit, so no row stores them). One range of 0 customers
 * without a fitted value model, or with one fitted before the distribution
 * was kept (the next recompute keeps it).
 */
export async function clvHistogram(client: PgClient, shopId: string): Promise<ClvHistogram> {
  const { rows } = await client.query<{ distribution: Partial<ValueRangeCounts> | null; currency: string }>(
    `SELECT m.cutoffs #> '{predictive,clvDistribution}' AS distribution, s.currency
     FROM "ShopModel" m JOIN "Shop" s ON s.id = m."shopId" WHERE m."shopId" = $1`,
    [shopId],
  );
  const d = rows[0]?.distribution;
  if (!d?.counts?.length || typeof d.max !== "number") return { edges: [], max: 0, counts: [0] };
  const unit = 10 ** currencyExponent(rows[0].currency);
  const k = d.counts.length;
  const edges = d.edges ?? equalRangeEdges(d.max, k);
  if (edges.length !== k - 1) return { edges: [], max: 0, counts: [0] };
  return { edges: edges.map((e) => e / unit), max: d.max / unit, counts: d.counts };
}

/** Entries and exits per segment and UTC day since `since`, from the stored transitions. */
export async function transitionsByDay(
  client: PgClient,
  shopId: string,
  since: Date,
): Promise<Array<{ segment: string; day: string; entered: number; left: number }>> {
  const { rows } = await client.query(
    `SELECT segment, to_char(day, 'YYYY-MM-DD') AS day, entered, "left"
     FROM (SELECT segment, date_trunc('day', at) AS day,
                  count(*) FILTER (WHERE change = 'entered')::int AS entered,
                  count(*) FILTER (WHERE change = 'left')::int AS left
           FROM "SegmentTransition" WHERE "shopId" = $1 AND at >= $2 GROUP BY 1, 2) d
     ORDER BY d.day`,
    [shopId, since],
  );
  return rows;
}

export interface MemberRow {
  customerId: string;
  sinceDay: number;
  /** The instant the row's segments were computed as of (null: the model's). */
  asOf: Date | null;
}

/**
 * One keyset page of a segment's members, ordered by customer id, after
 * `afterId` (exclusive): the membership rows only. Their order figures and
 * reasons come from one read of their orders (app/recompute/read-features.server.ts,
 * readListedCustomers; reasons written out when read, ADR 060). `rfmCell`
 * narrows rfm members to one (R, FM) cell of the grid.
 */
export async function segmentMembersPage(
  client: PgClient,
  shopId: string,
  segment: string,
  options: { afterId?: string | null; limit: number; rfmCell?: { r: number; fm: number } },
): Promise<MemberRow[]> {
  const cell = options.rfmCell;
  const { rows } = await client.query(
    `SELECT m."customerId"::text AS "customerId", m."sinceDay"[array_position(m.segments, $2)] AS "sinceDay",
            m."asOf" AT TIME ZONE 'UTC' AS "asOf"
     FROM "SegmentMembership" m
     WHERE m."shopId" = $1 AND m.segments @> ARRAY[$2]::text[] AND m."customerId" > $3::bigint
       AND ($5::int IS NULL OR ($2 LIKE 'rfm/%' AND m."rfmScores" / 100 = $5
         AND m."rfmScores" / 10 % 10 + m."rfmScores" % 10 = $6::int))
     ORDER BY m."customerId" LIMIT $4`,
    [shopId, segment, options.afterId ?? "-1", options.limit, cell?.r ?? null, cell ? Math.round(cell.fm * 2) : null],
  );
  return rows.map((r) => ({ customerId: r.customerId, sinceDay: r.sinceDay, asOf: r.asOf }));
}

/** A customer's membership row (segments, entry days, the instants behind them), or null. */
export async function customerMembership(
  client: PgClient,
  shopId: string,
  customerId: string,
): Promise<{ segments: string[]; sinceDay: number[]; computedAt: Date; asOf: Date | null } | null> {
  const { rows } = await client.query(
    `SELECT segments, "sinceDay", "computedAt", "asOf" AT TIME ZONE 'UTC' AS "asOf" FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" = $2::bigint`,
    [shopId, customerId],
  );
  return rows[0] ?? null;
}

/** Whether the shop stores this customer (live or deleted). */
export async function customerExists(client: PgClient, shopId: string, customerId: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM "Customer" WHERE "shopId" = $1 AND id = $2::bigint`, [
    shopId,
    customerId,
  ]);
  return rows.length > 0;
}

/** A customer's segment entries and exits, newest first. */
export async function customerHistory(
  client: PgClient,
  shopId: string,
  customerId: string,
  limit: number,
): Promise<Array<{ segment: string; change: string; at: Date; reason: string | null }>> {
  const { rows } = await client.query(
    `SELECT segment, change, at, reason FROM "SegmentTransition" WHERE "shopId" = $1 AND "customerId" = $2::bigint
     ORDER BY at DESC, id DESC LIMIT $3`,
    [shopId, customerId, limit],
  );
  return rows;
}

/** The latest run of each kind, and the last `limit` runs. */
export async function latestRuns(client: PgClient, shopId: string, limit: number) {
  const { rows } = await client.query(
    `SELECT id, kind, status, step, progress, error, "startedAt", "finishedAt" FROM "JobRun"
     WHERE "shopId" = $1 ORDER BY "startedAt" DESC LIMIT $2`,
    [shopId, limit],
  );
  return rows as Array<{
    id: string;
    kind: string;
    status: string;
    step: string | null;
    progress: Record<string, unknown>;
    error: string | null;
    startedAt: Date;
    finishedAt: Date | null;
  }>;
}

/** The latest run of one kind. */
export async function latestRunOf(client: PgClient, shopId: string, kind: string) {
  const { rows } = await client.query(
    `SELECT id, kind, status, step, progress, error, "startedAt", "finishedAt" FROM "JobRun"
     WHERE "shopId" = $1 AND kind = $2 ORDER BY "startedAt" DESC LIMIT 1`,
    [shopId, kind],
  );
  return (rows[0] ?? null) as Awaited<ReturnType<typeof latestRuns>>[number] | null;
}

/** The customers/data_request answers received for the shop, newest first (without their records). */
export async function dataRequests(client: PgClient, shopDomain: string, limit: number) {
  const { rows } = await client.query(
    `SELECT id, "customerId"::text AS "customerId", "requestedAt" FROM "DataRequest" WHERE "shopDomain" = $1
     ORDER BY "requestedAt" DESC LIMIT $2`,
    [shopDomain, limit],
  );
  return rows as Array<{ id: string; customerId: string; requestedAt: Date }>;
}

/** One data request's record, only for its own shop. */
export async function dataRequestRecord(client: PgClient, shopDomain: string, id: string) {
  const { rows } = await client.query(
    `SELECT "customerId"::text AS "customerId", "requestedAt", record FROM "DataRequest" WHERE "shopDomain" = $1 AND id = $2`,
    [shopDomain, id],
  );
  return (rows[0] ?? null) as { customerId: string; requestedAt: Date; record: unknown } | null;
}

/** Redaction and erasure webhooks received for the shop (compliance topics), newest first. */
export async function complianceEvents(client: PgClient, shopDomain: string, limit: number) {
  const { rows } = await client.query(
    `SELECT topic, status, error, "receivedAt" FROM "WebhookEvent"
     WHERE "shopDomain" = $1 AND ${COMPLIANCE_TOPIC_SQL}
     ORDER BY "receivedAt" DESC LIMIT $2`,
    [shopDomain, limit],
  );
  return rows as Array<{ topic: string; status: string; error: string | null; receivedAt: Date }>;
}
