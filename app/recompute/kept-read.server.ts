// A recompute's read of the orders, kept for the next recompute of the shop
// (ADR 051): the fit step reads the orders with the snapshot it read them in
// (one transaction), keeps the slices it cut and consumes the changes that
// snapshot saw (ADR 064), and the next fit step asks whether any change was
// logged since. A merchant's settings change, a manual or retried recompute
// and the nightly run of a shop with no new orders fit from the kept slices;
// after a day of orders the read is patched with the customers that changed
// (ADR 065) instead of reading every order again.
import { FEATURE_VERSION, type FeatureTable, type ShopStats } from "../segmentation/features/accumulator";
import { concatFitColumns, fitColumnsOf, type FitColumns } from "../segmentation/features/fit-columns";
import { patchSlice } from "../segmentation/features/patch-slice";
import { customersShopStats, shopStatsOfParts } from "../segmentation/features/shop-parts";
import { decodeFeatureTable, encodeFeatureTable } from "../segmentation/features/transfer";
import type { ShopConfig } from "../settings/shop-config";
import {
  currentSnapshot,
  findFeatureRead,
  hasFeatureChanges,
  loggedChangedCustomers,
  markFeatureReadCurrent,
  withKeptReadLock,
  type FeatureRead,
} from "../stores/feature-reads.server";
import { inTransaction, type PgClient } from "../stores/pg/pool.server";
import { readRecomputeSlice, replaceRecomputeSlice, type SliceOwner } from "../stores/runs.server";
import { runtimeEnv } from "../config/env.server";
import { DEFAULT_CHUNK_SIZE, type CustomerRange } from "./chunk-ranges";
import { readShopFeatures } from "./read-features.server";

/**
 * readShopFeatures on this connection, with the snapshot it read in: both in
 * one repeatable-read transaction, so the changes logged by the transactions
 * that snapshot sees are exactly those the read took in (ADR 064).
 */
export async function readShopFeaturesInSnapshot(
  client: PgClient,
  shopId: string,
  timeZone: string,
): Promise<{ table: FeatureTable; orders: number; snapshot: string }> {
  return inTransaction(
    client,
    async () => {
      // The transaction's first statement: it takes the snapshot the read then sees.
      const snapshot = await currentSnapshot(client);
      const read = await readShopFeatures(client, shopId, timeZone);
      return { ...read, snapshot };
    },
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
  );
}

/** A kept read the fit step can use: its slices' owner, its ranges, and the fit columns of all its customers. */
export interface ReusedRead {
  read: FeatureRead;
  slices: SliceOwner;
  /** When the data was found unchanged (or as patched): the memberships computed from the read are as of this instant. */
  verifiedAt: Date;
  columns: FitColumns;
  /** The customers re-read and the slices rewritten when the read was patched (ADR 065); absent when it was unchanged. */
  patched?: { customers: number; guests: boolean; slices: number };
}

/**
 * The shop's kept read if no change to the shop's orders or live customers
 * was logged since it was read, in the shop's time zone, by this version of
 * the features; null otherwise. Its slices are not read here (any may be
 * gone: keptSlices stops there).
 */
export async function unchangedKeptRead(
  client: PgClient,
  config: ShopConfig,
): Promise<Omit<ReusedRead, "columns"> | null> {
  const read = await usableKeptRead(client, config);
  if (!read) return null;
  // Taken before the log is asked: a change committed after it is the per-customer re-segmentation's.
  const verifiedAt = new Date();
  if (await hasFeatureChanges(client, config.shopId)) return null;
  return { read, slices: { runId: read.runId, readAt: read.readAt }, verifiedAt };
}

/** The shop's kept read if this version of the features read it in the shop's time zone, with its guest part. */
async function usableKeptRead(client: PgClient, config: ShopConfig): Promise<FeatureRead | null> {
  const read = await findFeatureRead(client, config.shopId);
  if (!read || read.version !== FEATURE_VERSION || read.timeZone !== config.segmentation.timeZone) return null;
  return read.guestStats ? read : null;
}

/**
 * The shop's kept read, if no change to the shop's orders or live customers
 * was logged since it was read, in the shop's time zone, by this version of
 * the features, with every slice still stored; null otherwise (the fit step
 * then patches it or reads the orders).
 */
async function reuseKeptRead(client: PgClient, config: ShopConfig): Promise<ReusedRead | null> {
  const unchanged = await unchangedKeptRead(client, config);
  if (!unchanged) return null;
  const columns = await keptColumns(client, unchanged.read);
  if (!columns || !(await markFeatureReadCurrent(client, unchanged.read))) return null;
  return { ...unchanged, columns };
}

/**
 * The shop's kept read as it stands now: unchanged since it was read, or
 * patched with the customers that changed (ADR 065); null when the orders
 * must be read (no usable kept read, too many changes, a slice gone or grown).
 * For the recompute's fit step and the worker's previews alike.
 */
export async function currentKeptRead(
  client: PgClient,
  config: ShopConfig,
  chunkSize = runtimeEnv().RECOMPUTE_CHUNK_SIZE ?? DEFAULT_CHUNK_SIZE,
): Promise<ReusedRead | null> {
  return (await reuseKeptRead(client, config)) ?? (await patchKeptRead(client, config, chunkSize));
}

/**
 * Above this share of the kept read's customers changed, the fit step reads
 * every order instead of patching: re-reading customers by id (an index scan
 * each) and rewriting most slices costs more than one sequential read.
 */
const MAX_PATCHED_SHARE = 0.25;

/**
 * The shop's kept read brought up to date (ADR 065): the customers whose
 * orders or customer row changed (as the log names them, guest orders
 * included) are read again, in one snapshot, their rows replaced in the
 * slices that hold them (each rewritten in place), and the shop's statistics
 * summed again from the slices' customers and the guest part. The changes
 * that snapshot saw are consumed; those committed later stay logged. Null
 * when there is no usable kept read, when too many customers changed, when a
 * slice grew beyond twice `chunkSize` or is gone: the fit step then reads
 * every order (and cuts the ranges again).
 */
export async function patchKeptRead(
  client: PgClient,
  config: ShopConfig,
  chunkSize = runtimeEnv().RECOMPUTE_CHUNK_SIZE ?? DEFAULT_CHUNK_SIZE,
): Promise<ReusedRead | null> {
  return withKeptReadLock(client, config.shopId, () => patchLocked(client, config, chunkSize));
}

/** patchKeptRead, holding the shop's kept-read lock. */
async function patchLocked(client: PgClient, config: ShopConfig, chunkSize: number): Promise<ReusedRead | null> {
  const read = await usableKeptRead(client, config);
  if (!read) return null;
  // Memberships computed from the patched read are as of this instant (before the snapshot).
  const verifiedAt = new Date();
  const reread = await inTransaction(
    client,
    async () => {
      const snapshot = await currentSnapshot(client);
      const changed = await loggedChangedCustomers(client, config.shopId);
      if (changed.length > Math.max(1, read.customers) * MAX_PATCHED_SHARE) return null;
      const ids = changed.filter((id) => id !== GUESTS);
      const withGuests = ids.length < changed.length;
      const { table } = await readShopFeatures(client, config.shopId, config.segmentation.timeZone, {
        ids,
        withGuests,
      });
      return { snapshot, changed: new Set(ids), withGuests, table };
    },
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
  );
  if (!reread) return null;
  const owner = { runId: read.runId, readAt: read.readAt };
  const touched = rangesTouched(read.ranges, reread.changed);
  const patchSliceAt = (index: number, table: FeatureTable) => {
    if (!touched.has(index)) return null;
    const patched = patchSlice(table, reread.table, read.ranges[index], reread.changed);
    // The ranges stay the kept read's: new customers join the range of their id
    // (Shopify's grow, so the last one). One grown to twice a chunk is cut again
    // by a full read, so that a chunk job's features stay the size it is made for.
    return patched.size > MAX_SLICE_GROWTH * chunkSize ? GROWN : patched;
  };
  const guestStats = reread.withGuests ? reread.table.parts().guestShop : read.guestStats!;
  const columns = await keptColumns(client, { ...read, guestStats }, patchSliceAt);
  if (!columns) return null;
  const patch = {
    snapshot: reread.snapshot,
    customers: columns.n,
    // The orders the patched read stands for (a full read counts the rows it read).
    orders: columns.shop.orders + columns.shop.skippedOrders,
    guestStats,
  };
  if (!(await markFeatureReadCurrent(client, read, patch))) return null;
  return {
    read: { ...read, ...patch },
    slices: owner,
    verifiedAt,
    columns,
    patched: { customers: reread.changed.size, guests: reread.withGuests, slices: touched.size },
  };
}

/** A patched slice may hold up to this many chunks' customers before the ranges are cut again. */
const MAX_SLICE_GROWTH = 2;

/** A patch's answer for a slice that grew beyond MAX_SLICE_GROWTH chunks: the read is not patched. */
const GROWN = "grown";

/** The log's customer id for the guest orders. */
const GUESTS = "0";

/** The indices of the ranges that hold any of the ids. */
function rangesTouched(ranges: readonly CustomerRange[], ids: ReadonlySet<string>): Set<number> {
  const ends = ranges.map((r) => BigInt(r.to));
  const touched = new Set<number>();
  for (const id of ids) {
    const value = BigInt(id);
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    touched.add(lo);
  }
  return touched;
}

/**
 * The fit columns of a kept read's customers, slice by slice, with the
 * shop's statistics summed from the slices' customers and the read's guest
 * part; `patch` may replace a slice (which is then stored in its place).
 * Null when a slice is gone.
 */
async function keptColumns(
  client: PgClient,
  read: FeatureRead,
  patch?: (index: number, table: FeatureTable) => FeatureTable | typeof GROWN | null,
): Promise<FitColumns | null> {
  const owner = { runId: read.runId, readAt: read.readAt };
  const parts: FitColumns[] = [];
  const shopParts: ShopStats[] = [];
  let index = 0;
  for await (const slice of keptSlices(client, { read, slices: owner })) {
    const patched = patch?.(index, slice) ?? null;
    if (patched === GROWN) return null;
    if (patched) await replaceRecomputeSlice(client, owner, index, encodeFeatureTable(patched));
    const table = patched ?? slice;
    // Only the fit columns are kept (copied out of the slice): the whole
    // slices of a million customers at once (312 MB) would raise the
    // worker's peak by as much.
    parts.push(copyOf(fitColumnsOf(table)));
    shopParts.push(customersShopStats(table));
    index++;
  }
  if (parts.length < read.ranges.length) return null;
  return { ...concatFitColumns(parts), shop: shopStatsOfParts(read.guestStats!, shopParts) };
}

/**
 * The slices of a kept read in turn, each as a feature table (its columns
 * view the bytes read for it). It stops at the first slice gone (a newer read
 * replaced this one): a caller that got fewer than the read's ranges reads
 * the orders instead.
 */
export async function* keptSlices(
  client: PgClient,
  kept: Pick<ReusedRead, "read" | "slices">,
): AsyncGenerator<FeatureTable> {
  for (let index = 0; index < kept.read.ranges.length; index++) {
    const bytes = await readRecomputeSlice(client, kept.slices, index);
    if (!bytes) return;
    const table = decodeFeatureTable(bytes, { view: true });
    if (table.timeZone !== kept.read.timeZone) return;
    yield table;
  }
}

/** Fit columns in arrays of their own (not views of a slice's bytes). */
function copyOf(c: FitColumns): FitColumns {
  return {
    ...c,
    orders: c.orders.slice(0, c.n),
    totalSpent: c.totalSpent.slice(0, c.n),
    dayOffsets: c.dayOffsets.slice(0, c.n + 1),
    // Up to the last run, offsets unchanged (concatFitColumns reads from dayOffsets[0]).
    days: c.days.slice(0, c.dayOffsets[c.n]),
    dayTotals: c.dayTotals.slice(0, c.dayOffsets[c.n]),
  };
}
