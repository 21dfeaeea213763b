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
  createAssigner,
  decodeFeatureTable,
  emptyCustomerFeatures,
  encodeFeatureTable,
  FeatureAccumulator,
  fitShop,
  subsetFeatureTable,
  type CustomerAssignment,
  type FeatureTable,
  type Settings,
  type ShopCutoffs,
} from "../segmentation";
import { logger } from "../utils/logger.server";
import { diffCustomerTags, type TagDiff } from "../writeback/diff";
import { customerMetafieldValues, metafieldHash, type MetafieldValue } from "../writeback/metafields";
import { MAX_TAGS_PER_CUSTOMER, segmentTagName } from "../writeback/tags";
import { replaceMembershipsInRange, type CustomerMemberships, type MembershipChanges } from "./memberships.server";
import { accumulateShopFeatures } from "./recompute-orders.server";
import { BinaryCopyWriter } from "../utils/pg-binary-copy";
import {
  copyFrom,
  copyFromBinary,
  copyInt,
  copyString,
  copyText,
  copyTo,
  copyToBinary,
  splitCopyRow,
  type PgClient,
} from "./recompute-pg.server";
import type { ShopConfig } from "./shop-settings.server";

/** Customer ids are Shopify numeric ids; this is above any of them. */
export const MAX_CUSTOMER_ID = "9223372036854775807";
export const DEFAULT_CHUNK_SIZE = 50_000;
/** Feature slices are stored in parts of this size (see RecomputeSlice's migration). */
const SLICE_PART_BYTES = 1 << 20;

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
  /** When the orders were read: memberships computed from them are as of this instant. */
  readAt: Date;
  timings: { loadMs: number; fitMs: number; slicesMs: number };
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
  options: { chunkSize?: number; runId?: string } = {},
): Promise<FitResult> {
  const t0 = performance.now();
  // Memberships computed from this read are "as of" this instant (see computedAt).
  const readAt = new Date();
  const acc = new FeatureAccumulator({
    timeZone: config.segmentation.timeZone,
    ...(await capacityHints(client, config.shopId)),
  });
  const orders = await accumulateShopFeatures(client, config.shopId, acc);
  const table = acc.finish();
  const t1 = performance.now();
  const cutoffs = fitWithFallback(table, config.segmentation, asOf);
  const t2 = performance.now();
  // Table indices sorted by numeric customer id (ids are below 2^53).
  const numeric = new Float64Array(table.size);
  for (let i = 0; i < table.size; i++) numeric[i] = Number(table.customerIds[i]);
  const byId = Int32Array.from({ length: table.size }, (_, i) => i);
  // Customers are read in id order; only customers known from orders alone
  // (missing from the Customer table) come after them. A comparator sort of
  // a million indices costs seconds, so sort only when needed.
  let sorted = true;
  for (let i = 1; i < table.size && sorted; i++) sorted = numeric[i - 1] <= numeric[i];
  if (!sorted) byId.sort((a, b) => numeric[a] - numeric[b]);
  const sortedIds = Float64Array.from(byId, (i) => numeric[i]);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const ranges = rangesOf(sortedIds, chunkSize);
  const { rows: existing } = await client.query(`SELECT 1 FROM "SegmentMembership" WHERE "shopId" = $1 LIMIT 1`, [
    config.shopId,
  ]);
  await client.query(
    `INSERT INTO "ShopModel" ("shopId", cutoffs, "fittedAt", "asOf") VALUES ($1, $2, now(), $3)
     ON CONFLICT ("shopId") DO UPDATE SET cutoffs = EXCLUDED.cutoffs, "fittedAt" = EXCLUDED."fittedAt", "asOf" = EXCLUDED."asOf"`,
    [config.shopId, JSON.stringify(cutoffs), asOf],
  );
  if (options.runId) {
    // Each chunk's customers' features, so the chunk jobs need not read the orders again.
    await client.query(`DELETE FROM "RecomputeSlice" WHERE "runId" = $1`, [options.runId]);
    // Binary COPY: the bytes go in as they are (a bytea parameter would travel
    // as hex), in parts of SLICE_PART_BYTES (see the table's migration).
    for (let index = 0; index < ranges.length; index++) {
      const slice = subsetFeatureTable(table, byId.subarray(index * chunkSize, (index + 1) * chunkSize));
      const bytes = encodeFeatureTable(slice);
      const writer = new BinaryCopyWriter();
      for (let part = 0; part * SLICE_PART_BYTES < bytes.length || part === 0; part++) {
        writer
          .row(4)
          .text(options.runId)
          .int4(index)
          .int4(part)
          .bytes(bytes.subarray(part * SLICE_PART_BYTES, (part + 1) * SLICE_PART_BYTES));
      }
      await copyFromBinary(
        client,
        `COPY "RecomputeSlice" ("runId", index, part, features) FROM STDIN (FORMAT binary)`,
        writer,
      );
    }
  }
  return {
    cutoffs,
    ranges,
    customers: table.size,
    orders,
    firstRun: existing.length === 0,
    readAt,
    timings: { loadMs: t1 - t0, fitMs: t2 - t1, slicesMs: performance.now() - t2 },
  };
}

/**
 * How many customers and orders the accumulator should make room for: the
 * shop's customers counted (an index-only scan), its orders estimated from the
 * planner's table statistics. Regrowing columns of a million customers cost
 * about a second of the read (bench/recompute.ts); a wrong estimate only
 * costs a regrowth.
 */
async function capacityHints(
  client: PgClient,
  shopId: string,
): Promise<{ expectedCustomers?: number; expectedOrders?: number }> {
  const { rows } = await client.query<{ customers: number; ordersPerCustomer: number | null }>(
    `SELECT (SELECT count(*) FROM "Customer" WHERE "shopId" = $1)::float8 AS customers,
            (SELECT o.reltuples / nullif(c.reltuples, 0) FROM pg_class o, pg_class c
              WHERE o.oid = '"Order"'::regclass AND c.oid = '"Customer"'::regclass AND o.reltuples > 0)::float8 AS "ordersPerCustomer"`,
    [shopId],
  );
  const { customers, ordersPerCustomer } = rows[0];
  if (customers < 10_000) return {};
  return {
    expectedCustomers: customers,
    ...(ordersPerCustomer ? { expectedOrders: Math.round(customers * Math.min(ordersPerCustomer, 100)) } : {}),
  };
}

/** Deletes the feature slices of a recompute (when it ends), and any left by runs that died long ago. */
export async function dropRecomputeSlices(client: PgClient, runId: string): Promise<void> {
  await client.query(`DELETE FROM "RecomputeSlice" WHERE "runId" = $1 OR "createdAt" < now() - interval '1 day'`, [
    runId,
  ]);
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
    const withoutModels: Settings = {
      ...settings,
      predictive: { ...settings.predictive, minCustomers: Number.MAX_SAFE_INTEGER },
    };
    const cutoffs = fitShop(table, withoutModels, asOf);
    logger.warn({ err: error }, "predictive model fit failed; segments computed without predictive models");
    return {
      ...cutoffs,
      predictive: {
        status: "not-enough-data",
        reason: `the predictive models could not be fitted: ${(error as Error).message}`,
      },
    };
  }
}

export async function loadShopCutoffs(
  client: PgClient,
  shopId: string,
): Promise<{ cutoffs: ShopCutoffs; asOf: Date } | null> {
  const { rows } = await client.query<{ cutoffs: ShopCutoffs; asOf: Date }>(
    `SELECT cutoffs, "asOf" FROM "ShopModel" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0] ?? null;
}

export interface ChunkResult extends MembershipChanges {
  customers: number;
  orders: number;
  metafieldsPending: number;
}

/** One assignment as stored: segment keys, their reasons and the app tags they give. */
export function membershipsOf(assignment: CustomerAssignment, config: ShopConfig): CustomerMemberships {
  const n = assignment.memberships.length;
  const segments = new Array<string>(n);
  const reasons = new Array<string>(n);
  const tags: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = assignment.memberships[i];
    segments[i] = m.key;
    reasons[i] = m.reason;
    const tag = config.enabledTags.get(m.key);
    if (tag !== undefined) tags.push(tag);
  }
  return { customerId: assignment.customerId, segments, reasons, tags };
}

/** Metafield values of one assignment; `handles` lists the enabled segments' tag names. */
export function metafieldsOf(assignment: CustomerAssignment, config: ShopConfig): MetafieldValue[] {
  const handles = assignment.memberships
    .filter((m) => config.enabledTags.has(m.key))
    .map((m) => segmentTagName(m.key, config.writeback.tagNames[m.key]));
  const p = assignment.predictive;
  return customerMetafieldValues({
    handles,
    predictions:
      p.status === "ok"
        ? { pAlive: p.pAlive, clv12mMinor: p.clv12mMinor, nextOrderDate: p.nextOrderDate, spendTier: p.spendTier }
        : null,
    currencyDecimals: config.segmentation.currencyDecimals,
    timeZone: config.segmentation.timeZone,
  });
}

/** Features of the customers with ids in the range, from their stored orders. */
async function featuresOfRange(
  client: PgClient,
  config: ShopConfig,
  range: CustomerRange,
): Promise<{ table: FeatureTable; orders: number }> {
  const acc = new FeatureAccumulator({ timeZone: config.segmentation.timeZone });
  const orders = await accumulateShopFeatures(client, config.shopId, acc, range);
  return { table: acc.finish(), orders };
}

/** The chunk's feature slice written by the fit step, or null if it is gone (crash, expired). */
async function loadSlice(client: PgClient, runId: string, index: number): Promise<FeatureTable | null> {
  const run = (client as { escapeLiteral(v: string): string }).escapeLiteral(runId);
  const rows = await copyToBinary(
    client,
    `COPY (SELECT features FROM "RecomputeSlice" WHERE "runId" = ${run} AND index = ${Math.trunc(index)} ORDER BY part) TO STDOUT (FORMAT binary)`,
  );
  return rows.length ? decodeFeatureTable(Buffer.concat(rows.map((row) => row[0]!))) : null;
}

/**
 * Recomputes the customers with ids in the range with the given cut-offs and
 * stores the differences. The features come from the fit step's slice when
 * there is one (`slice`), otherwise from the range's stored orders.
 * Idempotent: running it twice writes nothing the second time, so a retried
 * or resumed chunk is harmless.
 */
export async function processChunk(
  client: PgClient,
  input: {
    config: ShopConfig;
    cutoffs: ShopCutoffs;
    asOf: Date;
    range: CustomerRange;
    recordTransitions: boolean;
    slice?: { runId: string; index: number; readAt: Date };
  },
): Promise<ChunkResult> {
  const { config, cutoffs, asOf, range } = input;
  let computedAt = new Date();
  let source: { table: FeatureTable; orders: number } | null = null;
  if (input.slice) {
    const table = await loadSlice(client, input.slice.runId, input.slice.index);
    if (table) {
      source = { table, orders: 0 };
      computedAt = input.slice.readAt;
    }
  }
  source ??= await featuresOfRange(client, config, range);
  const { table } = source;
  const metafields: Array<{ customerId: string; values: MetafieldValue[]; hash: string }> = [];
  // Assigned one customer at a time while the memberships are compared and
  // written (a generator): nothing per customer outlives its row, which kept
  // the garbage collector busy when 50,000 customers' memberships were kept.
  function* memberships(): Generator<CustomerMemberships> {
    const assigner = createAssigner(cutoffs, config.segmentation, asOf);
    const scratch = emptyCustomerFeatures("", table.timeZone);
    for (let i = 0; i < table.size; i++) {
      const assignment = assigner.assign(table.customerInto(i, scratch));
      if (config.writeback.metafields) {
        const values = metafieldsOf(assignment, config);
        metafields.push({ customerId: assignment.customerId, values, hash: metafieldHash(values) });
      }
      yield membershipsOf(assignment, config);
    }
  }
  const changes = await replaceMembershipsInRange(client, {
    shopId: config.shopId,
    fromId: range.from,
    toId: range.to,
    next: memberships(),
    at: new Date(),
    computedAt,
    recordTransitions: input.recordTransitions,
  });
  const metafieldsPending = config.writeback.metafields
    ? await queueChangedMetafields(client, config.shopId, range, metafields)
    : 0;
  return { ...changes, customers: table.size, orders: source.orders, metafieldsPending };
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
    await client.query(
      `DELETE FROM "PendingMetafields" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`,
      [shopId, range.from, range.to],
    );
    if (lines.length)
      await copyFrom(client, `COPY "PendingMetafields" ("shopId", "customerId", "values", hash) FROM STDIN`, lines);
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
 * Customers whose app tags differ from the tags of their memberships: a SQL
 * pre-filter (exact array comparison of SegmentMembership.tags with
 * Customer.appTags) finds candidates, the diff (case-insensitive, prefixes,
 * 250-tag cap) is computed per candidate. A customer whose memberships were
 * never computed under the current schema (tags NULL) is left alone.
 * Optionally limited to one customer.
 */
export async function computeTagChanges(
  client: PgClient,
  config: ShopConfig,
  onlyCustomerId?: string,
): Promise<CustomerTagChange[]> {
  // After a full recompute rewrote the memberships, fresh statistics: with
  // stale ones the planner hashes the big side of the join (measured for a
  // million customers: 13 s instead of 1.2 s for ANALYZE + 2.5 s).
  if (!onlyCustomerId) await client.query(`ANALYZE "SegmentMembership"`);
  const only = onlyCustomerId ? `AND "customerId" = ${BigInt(onlyCustomerId)}` : "";
  const onlyC = onlyCustomerId ? `AND id = ${BigInt(onlyCustomerId)}` : "";
  const shop = (client as { escapeLiteral(v: string): string }).escapeLiteral(config.shopId);
  const out: CustomerTagChange[] = [];
  const s = new Int32Array(5);
  const e = new Int32Array(5);
  const none: string[] = [];
  const firstTimeDiffs = new Map<string, TagDiff>();
  const list = (row: Buffer, k: number) => {
    const text = copyString(row, s[k], e[k]);
    return text ? text.split("\x1f") : none;
  };
  // Through COPY: on a first computation every customer is a candidate.
  await copyTo(
    client,
    `COPY (
      SELECT coalesce(m."customerId", c.id), array_to_string(c."appTags", E'\\x1f'), c."tagCount", array_to_string(m.tags, E'\\x1f')
      FROM (SELECT "customerId", tags FROM "SegmentMembership" WHERE "shopId" = ${shop} ${only}) m
      FULL JOIN (SELECT id, "appTags", "tagCount" FROM "Customer" WHERE "shopId" = ${shop} AND "deletedAt" IS NULL ${onlyC}) c ON c.id = m."customerId"
      WHERE (m."customerId" IS NULL OR m.tags IS NOT NULL)
        AND NOT (coalesce(m.tags, '{}') @> coalesce(c."appTags", '{}') AND coalesce(c."appTags", '{}') @> coalesce(m.tags, '{}'))
    ) TO STDOUT`,
    (row) => {
      splitCopyRow(row, s, e);
      const customerId = copyString(row, s[0], e[0])!;
      const current = list(row, 1);
      const count = copyInt(row, s[2], e[2]) ?? current.length;
      let diff: TagDiff | undefined;
      if (current.length === 0) {
        // A customer without app tags (every customer of a first computation):
        // customers with the same memberships share one diff object, so a
        // million changes do not keep millions of small arrays alive.
        const desired = copyString(row, s[3], e[3]) ?? "";
        let shared = firstTimeDiffs.get(desired);
        if (!shared) {
          shared = Object.freeze(
            diffCustomerTags({ desired: list(row, 3), current: none, tagCount: 0, prefixes: config.prefixes }),
          );
          firstTimeDiffs.set(desired, shared);
        }
        if (shared.capped.length === 0 && count + shared.add.length <= MAX_TAGS_PER_CUSTOMER) diff = shared;
      }
      diff ??= diffCustomerTags({ desired: list(row, 3), current, tagCount: count, prefixes: config.prefixes });
      if (diff.add.length || diff.remove.length || diff.capped.length)
        out.push({ customerId, diff, current, tagCount: count });
    },
  );
  return out;
}
