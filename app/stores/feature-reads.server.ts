// FeatureRead: the last read of a shop's orders whose feature slices
// (RecomputeSlice) a recompute keeps for the next one, and the fingerprint of
// the data it read. A recompute that finds the fingerprint unchanged (a
// settings change, a manual or retried recompute, a night without orders)
// fits from those slices instead of reading every order again (ADR 051).
import type { CustomerRange } from "../recompute/chunk-ranges";
import type { DataStore, Tx } from "./data-store";
import { inTransaction, type PgClient } from "./pg/pool.server";

export interface FeatureRead {
  shopId: string;
  /** The recompute whose slices these are, and when it read the orders (the slices' owner). */
  runId: string;
  readAt: Date;
  timeZone: string;
  /** FEATURE_VERSION of the code that read them. */
  version: number;
  fingerprint: string;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
}

/**
 * What the recompute's read depends on, as one string: the shop's orders (how
 * many, and the sum of their row versions: PostgreSQL gives every inserted or
 * updated row a new transaction id, `xmin`, whatever wrote it) and its live
 * customers (how many, and sums of their ids: their other columns, such as
 * the app tags the write-back records, do not feed the features). Any insert,
 * update or delete of an order and any customer added, deleted or restored
 * changes it. Called inside the read's transaction, it describes exactly the
 * rows the read saw. About 0.8 s for 5M orders and 1M customers.
 */
export async function shopDataFingerprint(client: PgClient, shopId: string): Promise<string> {
  const { rows } = await client.query<[string]>({
    text: `SELECT (SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM "Order" WHERE "shopId" = $1)
             || '/' || (SELECT count(*) || ':' || coalesce(sum(id), 0) || ':' || coalesce(sum(hashint8(id)), 0)
                        FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL)`,
    values: [shopId],
    rowMode: "array",
  });
  return rows[0][0];
}

export async function findFeatureRead(client: PgClient, shopId: string): Promise<FeatureRead | null> {
  const { rows } = await client.query<Omit<FeatureRead, "shopId">>(
    `SELECT "runId", "readAt" AT TIME ZONE 'UTC' AS "readAt", "timeZone", version, fingerprint, ranges, customers, orders
     FROM "FeatureRead" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0] ? { shopId, ...rows[0] } : null;
}

/**
 * Records a read whose slices are all stored as the shop's kept read, and
 * drops the slices of the read it replaces (the recompute that replaces it
 * read the orders again, so they are stale or about to be).
 */
export async function keepFeatureRead(client: PgClient, read: FeatureRead): Promise<void> {
  return inTransaction(client, async () => {
    const { rows } = await client.query<{ runId: string }>(
      `SELECT "runId" FROM "FeatureRead" WHERE "shopId" = $1 FOR UPDATE`,
      [read.shopId],
    );
    if (rows[0] && rows[0].runId !== read.runId) {
      await client.query(`DELETE FROM "RecomputeSlice" WHERE "runId" = $1`, [rows[0].runId]);
    }
    await client.query(
      `INSERT INTO "FeatureRead" ("shopId", "runId", "readAt", "timeZone", version, fingerprint, ranges, customers, orders)
       VALUES ($1, $2, $3::timestamptz AT TIME ZONE 'UTC', $4, $5, $6, $7, $8, $9)
       ON CONFLICT ("shopId") DO UPDATE SET "runId" = excluded."runId", "readAt" = excluded."readAt",
         "timeZone" = excluded."timeZone", version = excluded.version, fingerprint = excluded.fingerprint,
         ranges = excluded.ranges, customers = excluded.customers, orders = excluded.orders`,
      [
        read.shopId,
        read.runId,
        read.readAt.toISOString(),
        read.timeZone,
        read.version,
        read.fingerprint,
        JSON.stringify(read.ranges),
        read.customers,
        read.orders,
      ],
    );
  });
}

/** Deletes the kept read of the shop ($1) and its slices. */
const DROP_KEPT_READ = `WITH gone AS (DELETE FROM "FeatureRead" WHERE "shopId" = $1 RETURNING "runId")
  DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT "runId" FROM gone)`;

/** Forgets the shop's kept read and drops its slices (a read that could not be kept replaces it). */
export async function forgetFeatureRead(client: PgClient, shopId: string): Promise<void> {
  await client.query(DROP_KEPT_READ, [shopId]);
}

/** Forgets kept reads a day old (their slices expire with them: dropRecomputeSlices). */
export async function expireFeatureReads(client: PgClient): Promise<void> {
  await client.query(`DELETE FROM "FeatureRead" WHERE "readAt" < (now() AT TIME ZONE 'UTC') - interval '1 day'`);
}

/** The kept read of the shop and its slices, in the privacy work's transaction. */
async function eraseKeptRead(tx: Tx, shopId: string): Promise<void> {
  await tx.$executeRawUnsafe(DROP_KEPT_READ, shopId);
}

export const featureReadsStore: DataStore = {
  name: "feature reads",
  tables: ["FeatureRead"],
  // The kept slices hold every customer of the shop, and the ranges name
  // customer ids: a redacted customer's shop reads its orders again.
  eraseCustomer: (tx, customer) => eraseKeptRead(tx, customer.shop.id),
  async eraseShop(tx, shop) {
    if (shop.id) await eraseKeptRead(tx, shop.id);
  },
};
