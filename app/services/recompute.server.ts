// The steps of a full recompute of one shop, independent of the queue:
//  1. fitShopStep: every stored order -> FeatureAccumulator -> fitShop; the
//     cut-offs are stored (ShopModel) and the customer id space is split into
//     ranges of about `chunkSize` customers.
//  2. processChunk (one per range, on any worker): that range's orders ->
//     features -> memberships with the stored cut-offs; memberships and
//     transitions are written as differences; changed metafield values are
//     queued in PendingMetafields.
//  3. computeTagChanges: desired tags (memberships of enabled segments) vs
//     Customer.appTags, in SQL, then the exact diff per customer in JS.
// The queue processor (app/workers/processors/segments.ts) and the bench run
// the same functions.
import {
  assignTable,
  FeatureAccumulator,
  fitShop,
  type CustomerAssignment,
  type FeatureTable,
  type Settings,
  type ShopCutoffs,
} from "../segmentation";
import { logger } from "../utils/logger.server";
import { diffCustomerTags, type TagDiff } from "../writeback/diff";
import { customerMetafieldValues, metafieldHash, type MetafieldValue } from "../writeback/metafields";
import { segmentTagName } from "../writeback/tags";
import { replaceMembershipsInRange, type CustomerMemberships, type MembershipChanges } from "./memberships.server";
import { forEachShopOrderBatch, ordersOfCustomerRange } from "./recompute-orders.server";
import { copyFrom, copyText, type PgClient } from "./recompute-pg.server";
import type { ShopConfig } from "./shop-settings.server";

/** Customer ids are Shopify numeric ids; this is above any of them. */
export const MAX_CUSTOMER_ID = "9223372036854775807";
export const DEFAULT_CHUNK_SIZE = 25_000;

export interface CustomerRange {
  from: string;
  to: string;
}

export interface FitResult {
  cutoffs: ShopCutoffs;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
  /** True when the shop had no stored memberships before (no transitions are recorded then). */
  firstRun: boolean;
  timings: { loadMs: number; fitMs: number };
}

/** Splits sorted ids into contiguous ranges covering the whole id space, about `size` ids each. */
export function rangesOf(sortedIds: Float64Array, size: number): CustomerRange[] {
  if (sortedIds.length === 0) return [{ from: "0", to: MAX_CUSTOMER_ID }];
  const ranges: CustomerRange[] = [];
  for (let start = 0; start < sortedIds.length; start += size) {
    const next = start + size;
    ranges.push({
      from: start === 0 ? "0" : String(sortedIds[start]),
      to: next >= sortedIds.length ? MAX_CUSTOMER_ID : String(sortedIds[next] - 1),
    });
  }
  return ranges;
}

export async function fitShopStep(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  options: { chunkSize?: number } = {},
): Promise<FitResult> {
  const t0 = performance.now();
  const acc = new FeatureAccumulator({ timeZone: config.segmentation.timeZone });
  const orders = await forEachShopOrderBatch(client, config.shopId, (batch) => {
    for (const order of batch) acc.add(order);
  });
  const { rows: customerRows } = await client.query<[string]>({
    text: `SELECT id FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL`,
    values: [config.shopId],
    rowMode: "array",
  });
  for (const [id] of customerRows) acc.addCustomer(id);
  const table = acc.finish();
  const t1 = performance.now();
  const cutoffs = fitWithFallback(table, config.segmentation, asOf);
  const ids = new Float64Array(table.size);
  for (let i = 0; i < table.size; i++) ids[i] = Number(table.customerIds[i]);
  ids.sort();
  const ranges = rangesOf(ids, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const { rows: existing } = await client.query(`SELECT 1 FROM "SegmentMembership" WHERE "shopId" = $1 LIMIT 1`, [config.shopId]);
  await client.query(
    `INSERT INTO "ShopModel" ("shopId", cutoffs, "fittedAt", "asOf") VALUES ($1, $2, now(), $3)
     ON CONFLICT ("shopId") DO UPDATE SET cutoffs = EXCLUDED.cutoffs, "fittedAt" = EXCLUDED."fittedAt", "asOf" = EXCLUDED."asOf"`,
    [config.shopId, JSON.stringify(cutoffs), asOf],
  );
  return {
    cutoffs,
    ranges,
    customers: table.size,
    orders,
    firstRun: existing.length === 0,
    timings: { loadMs: t1 - t0, fitMs: performance.now() - t1 },
  };
}

/**
 * fitShop, but a failure of the predictive models (a numerical error on an
 * unusual customer base) does not block the other families: the shop is fitted
 * again without predictive models and the reason is kept in the cut-offs.
 */
export function fitWithFallback(table: FeatureTable, settings: Settings, asOf: Date): ShopCutoffs {
  try {
    return fitShop(table, settings, asOf);
  } catch (error) {
    const withoutModels: Settings = { ...settings, predictive: { ...settings.predictive, minCustomers: Number.MAX_SAFE_INTEGER } };
    const cutoffs = fitShop(table, withoutModels, asOf);
    logger.warn({ err: error }, "predictive model fit failed; segments computed without predictive models");
    return { ...cutoffs, predictive: { status: "not-enough-data", reason: `the predictive models could not be fitted: ${(error as Error).message}` } };
  }
}

export async function loadShopCutoffs(client: PgClient, shopId: string): Promise<{ cutoffs: ShopCutoffs; asOf: Date } | null> {
  const { rows } = await client.query<{ cutoffs: ShopCutoffs; asOf: Date }>(`SELECT cutoffs, "asOf" FROM "ShopModel" WHERE "shopId" = $1`, [
    shopId,
  ]);
  return rows[0] ?? null;
}

export interface ChunkResult extends MembershipChanges {
  customers: number;
  orders: number;
  metafieldsPending: number;
}

/** Memberships of one assignment, as stored (segment key -> reason). */
export function membershipsOf(assignment: CustomerAssignment): CustomerMemberships {
  const memberships = new Map<string, string>();
  for (const m of assignment.memberships) memberships.set(m.key, m.reason);
  return { customerId: assignment.customerId, memberships };
}

/** Metafield values of one assignment; `handles` lists the enabled segments' tag names. */
export function metafieldsOf(assignment: CustomerAssignment, config: ShopConfig): MetafieldValue[] {
  const handles = assignment.memberships
    .filter((m) => config.enabledTags.has(m.key))
    .map((m) => segmentTagName(m.key, config.writeback.tagNames[m.key]));
  const p = assignment.predictive;
  return customerMetafieldValues({
    handles,
    predictions: p.status === "ok" ? { pAlive: p.pAlive, clv12mMinor: p.clv12mMinor, nextOrderDate: p.nextOrderDate, spendTier: p.spendTier } : null,
    currencyDecimals: config.segmentation.currencyDecimals,
    timeZone: config.segmentation.timeZone,
  });
}

/**
 * Recomputes the customers with ids in the range with the given cut-offs and
 * stores the differences. Idempotent: running it twice writes nothing the
 * second time, so a retried or resumed chunk is harmless.
 */
export async function processChunk(
  client: PgClient,
  input: { config: ShopConfig; cutoffs: ShopCutoffs; asOf: Date; range: CustomerRange; recordTransitions: boolean },
): Promise<ChunkResult> {
  const { config, cutoffs, asOf, range } = input;
  const orders = await ordersOfCustomerRange(client, config.shopId, range.from, range.to);
  const acc = new FeatureAccumulator({ timeZone: config.segmentation.timeZone, expectedOrders: orders.length });
  for (const order of orders) if (order.customerId !== null) acc.add(order);
  const { rows: customerRows } = await client.query<[string]>({
    text: `SELECT id FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL AND id BETWEEN $2::bigint AND $3::bigint`,
    values: [config.shopId, range.from, range.to],
    rowMode: "array",
  });
  for (const [id] of customerRows) acc.addCustomer(id);
  const table = acc.finish();
  const next: CustomerMemberships[] = [];
  const metafields: Array<{ customerId: string; values: MetafieldValue[]; hash: string }> = [];
  assignTable(table, cutoffs, config.segmentation, asOf, (assignment) => {
    next.push(membershipsOf(assignment));
    if (config.writeback.metafields) {
      const values = metafieldsOf(assignment, config);
      metafields.push({ customerId: assignment.customerId, values, hash: metafieldHash(values) });
    }
  });
  const changes = await replaceMembershipsInRange(client, {
    shopId: config.shopId,
    fromId: range.from,
    toId: range.to,
    next,
    at: new Date(),
    recordTransitions: input.recordTransitions,
  });
  const metafieldsPending = config.writeback.metafields ? await queueChangedMetafields(client, config.shopId, range, metafields) : 0;
  return { ...changes, customers: table.size, orders: orders.length, metafieldsPending };
}

/** Queues the metafield values that differ from the last written ones (by hash). */
async function queueChangedMetafields(
  client: PgClient,
  shopId: string,
  range: CustomerRange,
  metafields: Array<{ customerId: string; values: MetafieldValue[]; hash: string }>,
): Promise<number> {
  const { rows } = await client.query<[string, string | null]>({
    text: `SELECT "customerId", "metafieldHash" FROM "CustomerWriteback" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`,
    values: [shopId, range.from, range.to],
    rowMode: "array",
  });
  const written = new Map(rows);
  const lines: string[] = [];
  for (const m of metafields) {
    if (written.get(m.customerId) === m.hash) continue;
    lines.push(`${copyText(shopId)}\t${m.customerId}\t${copyText(JSON.stringify(m.values))}\t${m.hash}\n`);
  }
  await client.query("BEGIN");
  try {
    await client.query(`DELETE FROM "PendingMetafields" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`, [
      shopId,
      range.from,
      range.to,
    ]);
    if (lines.length) await copyFrom(client, `COPY "PendingMetafields" ("shopId", "customerId", "values", hash) FROM STDIN`, lines);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return lines.length;
}

export interface CustomerTagChange {
  customerId: string;
  diff: TagDiff;
  /** Customer.appTags before the change. */
  current: string[];
  tagCount: number;
}

/**
 * Customers whose app tags differ from their memberships of enabled
 * segments: a SQL pre-filter (exact array comparison) finds candidates, the
 * diff (case-insensitive, prefixes, 250-tag cap) is computed per candidate.
 * Optionally limited to one customer.
 */
export async function computeTagChanges(client: PgClient, config: ShopConfig, onlyCustomerId?: string): Promise<CustomerTagChange[]> {
  const keys = [...config.enabledTags.keys()];
  const tags = keys.map((k) => config.enabledTags.get(k)!);
  const only = onlyCustomerId ? `AND "customerId" = ${BigInt(onlyCustomerId)}` : "";
  const onlyC = onlyCustomerId ? `AND c.id = ${BigInt(onlyCustomerId)}` : "";
  const { rows } = await client.query<[string, string[] | null, number | null, string[] | null]>({
    text: `
      WITH tag_of(segment, tag) AS (SELECT * FROM unnest($2::text[], $3::text[])),
      desired AS (
        SELECT m."customerId" AS id, array_agg(t.tag ORDER BY t.tag) AS tags
        FROM "SegmentMembership" m JOIN tag_of t ON t.segment = m.segment
        WHERE m."shopId" = $1 ${only}
        GROUP BY m."customerId"
      ),
      current AS (
        SELECT c.id, c."appTags", c."tagCount" FROM "Customer" c
        WHERE c."shopId" = $1 AND c."deletedAt" IS NULL ${onlyC}
      )
      SELECT coalesce(d.id, c.id)::text, c."appTags", c."tagCount", d.tags
      FROM desired d FULL JOIN current c ON c.id = d.id
      WHERE NOT (coalesce(d.tags, '{}') @> coalesce(c."appTags", '{}') AND coalesce(c."appTags", '{}') @> coalesce(d.tags, '{}'))`,
    values: [config.shopId, keys, tags],
    rowMode: "array",
  });
  const out: CustomerTagChange[] = [];
  for (const [customerId, appTags, tagCount, desired] of rows) {
    const current = appTags ?? [];
    const count = tagCount ?? current.length;
    const diff = diffCustomerTags({ desired: desired ?? [], current, tagCount: count, prefixes: config.prefixes });
    if (diff.add.length || diff.remove.length || diff.capped.length) out.push({ customerId, diff, current, tagCount: count });
  }
  return out;
}
