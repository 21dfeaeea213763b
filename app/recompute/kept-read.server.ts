// A recompute's read of the orders, kept for the next recompute of the shop
// while the data behind it is unchanged (ADR 051): the fit step reads the
// orders with the snapshot it read them in (one transaction), keeps the
// slices it cut and consumes the changes that snapshot saw (ADR 064), and the
// next fit step asks whether any change was logged since before reading
// anything. A merchant's settings change, a manual or retried
// recompute, and the nightly run of a shop with no new orders fit from the
// kept slices instead of reading every order again.
import { FEATURE_VERSION, type FeatureTable } from "../segmentation/features/accumulator";
import { concatFitColumns, fitColumnsOf, type FitColumns } from "../segmentation/features/fit-columns";
import { decodeFeatureTable } from "../segmentation/features/transfer";
import type { ShopConfig } from "../settings/shop-config";
import { currentSnapshot, findFeatureRead, hasFeatureChanges, type FeatureRead } from "../stores/feature-reads.server";
import { inTransaction, type PgClient } from "../stores/pg/pool.server";
import { readRecomputeSlice, type SliceOwner } from "../stores/runs.server";
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
  /** When the data was found unchanged: the memberships computed from the read are as of this instant. */
  verifiedAt: Date;
  columns: FitColumns;
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
  const read = await findFeatureRead(client, config.shopId);
  if (!read || read.version !== FEATURE_VERSION || read.timeZone !== config.segmentation.timeZone) return null;
  // Taken before the log is asked: a change committed after it is the per-customer re-segmentation's.
  const verifiedAt = new Date();
  if (await hasFeatureChanges(client, config.shopId)) return null;
  return { read, slices: { runId: read.runId, readAt: read.readAt }, verifiedAt };
}

/**
 * The shop's kept read, if no change to the shop's orders or live customers
 * was logged since it was read, in the shop's time zone, by this version of
 * the features, with every slice still stored; null otherwise (the fit step
 * then reads the orders).
 */
export async function reuseKeptRead(client: PgClient, config: ShopConfig): Promise<ReusedRead | null> {
  const unchanged = await unchangedKeptRead(client, config);
  if (!unchanged) return null;
  const { read, slices, verifiedAt } = unchanged;
  const parts: FitColumns[] = [];
  let shop: FitColumns["shop"] | null = null;
  for await (const table of keptSlices(client, unchanged)) {
    // Only the fit columns are kept (copied out of the slice): the whole
    // slices of a million customers at once (312 MB) would raise the
    // worker's peak by as much.
    parts.push(copyOf(fitColumnsOf(table)));
    // Every slice of a one-thread read carries the whole shop's statistics (subsetFeatureTable).
    shop ??= table.shop;
  }
  if (parts.length < read.ranges.length || !shop) return null;
  const columns = { ...concatFitColumns(parts), shop };
  if (columns.n !== read.customers) return null;
  return { read, slices, verifiedAt, columns };
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
