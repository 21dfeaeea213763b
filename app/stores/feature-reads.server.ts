// FeatureRead: the last read of a shop's orders whose feature slices
// (RecomputeSlice) a recompute keeps for the next one (ADR 051), and
// FeatureChange: what changed since, per customer, as PostgreSQL's triggers
// log it (ADR 064). A recompute that finds no change logged (a settings
// change, a manual or retried recompute, a night without orders) fits from
// those slices instead of reading every order again; after a day of orders it
// patches them with the customers the log names (ADR 065).
import type { CustomerRange } from "../recompute/chunk-ranges";
import type { ShopStats } from "../segmentation/features/accumulator";
import type { DataStore, Tx } from "./data-store";
import { inTransaction, type PgClient, waitForTransactionsOpenNow } from "./pg/pool.server";

export interface FeatureRead {
  shopId: string;
  /** The recompute whose slices these are, and when it read the orders (the slices' owner). */
  runId: string;
  readAt: Date;
  timeZone: string;
  /** FEATURE_VERSION of the code that read them. */
  version: number;
  /** The snapshot of the read's transaction (pg_current_snapshot() as text): the changes it saw are consumed. */
  snapshot: string;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
  /** The guest orders' part of the shop's statistics (null in a read kept before ADR 065: not patched). */
  guestStats: ShopStats | null;
}

/** The snapshot of the calling transaction, as text: what a read in it sees (pg_current_snapshot()). */
export async function currentSnapshot(client: PgClient): Promise<string> {
  const { rows } = await client.query<[string]>({ text: `SELECT pg_current_snapshot()::text`, rowMode: "array" });
  return rows[0][0];
}

/**
 * Turns the shop's change log on, the first time: from then on every
 * statement writing the shop's orders or customers logs what it changed
 * (ADR 064). A transaction that wrote before it could see the switch may still
 * be running; it is waited for, so the read that follows (in a snapshot taken
 * after this returns) sees its changes. Before the switch nothing is logged:
 * the install's backfill writes every order once, and the first read takes
 * them all in.
 */
export async function startLoggingFeatureChanges(client: PgClient, shopId: string): Promise<void> {
  const { rowCount } = await client.query(
    `UPDATE "Shop" SET "logsFeatureChanges" = true WHERE id = $1 AND NOT "logsFeatureChanges"`,
    [shopId],
  );
  if (rowCount) await waitForTransactionsOpenNow(client);
}

/**
 * Whether anything the read of the shop's features depends on changed since
 * its kept read consumed the log: an order inserted, updated or deleted, a
 * customer added, deleted or restored (the triggers of ADR 064 log them all,
 * whatever wrote them). An index lookup.
 */
export async function hasFeatureChanges(client: PgClient, shopId: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM "FeatureChange" WHERE "shopId" = $1 LIMIT 1`, [shopId]);
  return rows.length > 0;
}

/** Drops the shop's logged changes that a read in `snapshot` saw (changes committed later stay logged). */
const CONSUME_CHANGES = `DELETE FROM "FeatureChange" WHERE "shopId" = $1 AND pg_visible_in_snapshot(xid, $2::pg_snapshot)`;

/** The shop's logged changes a read in `snapshot` saw, consumed: a read that is not kept (on threads) still saw them. */
export async function consumeFeatureChanges(client: PgClient, shopId: string, snapshot: string): Promise<void> {
  await client.query(CONSUME_CHANGES, [shopId, snapshot]);
}

export async function findFeatureRead(client: PgClient, shopId: string): Promise<FeatureRead | null> {
  const { rows } = await client.query<Omit<FeatureRead, "shopId">>(
    `SELECT "runId", "readAt" AT TIME ZONE 'UTC' AS "readAt", "timeZone", version, snapshot, ranges, customers, orders,
       "guestStats"
     FROM "FeatureRead" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0] ? { shopId, ...rows[0] } : null;
}

/**
 * Records a read whose slices are all stored as the shop's kept read, drops
 * the slices of the read it replaces (the recompute that replaces it read the
 * orders again, so they are stale or about to be), and consumes the changes
 * its snapshot saw, in one transaction.
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
      `INSERT INTO "FeatureRead" ("shopId", "runId", "readAt", "timeZone", version, snapshot, ranges, customers, orders,
         "guestStats", "verifiedAt")
       VALUES ($1, $2, $3::timestamptz AT TIME ZONE 'UTC', $4, $5, $6, $7, $8, $9, $10, now() AT TIME ZONE 'UTC')
       ON CONFLICT ("shopId") DO UPDATE SET "runId" = excluded."runId", "readAt" = excluded."readAt",
         "timeZone" = excluded."timeZone", version = excluded.version, snapshot = excluded.snapshot,
         ranges = excluded.ranges, customers = excluded.customers, orders = excluded.orders,
         "guestStats" = excluded."guestStats", "verifiedAt" = excluded."verifiedAt"`,
      [
        read.shopId,
        read.runId,
        read.readAt.toISOString(),
        read.timeZone,
        read.version,
        read.snapshot,
        JSON.stringify(read.ranges),
        read.customers,
        read.orders,
        read.guestStats === null ? null : JSON.stringify(read.guestStats),
      ],
    );
    await client.query(CONSUME_CHANGES, [read.shopId, read.snapshot]);
  });
}

/**
 * The customers (their ids; "0" for the guest orders) whose changes the
 * calling transaction's snapshot sees logged for the shop: what a patch of
 * the kept read re-reads (ADR 065), in the same snapshot.
 */
export async function loggedChangedCustomers(client: PgClient, shopId: string): Promise<string[]> {
  const { rows } = await client.query<[string]>({
    text: `SELECT DISTINCT "customerId"::text FROM "FeatureChange" WHERE "shopId" = $1`,
    values: [shopId],
    rowMode: "array",
  });
  return rows.map((r) => r[0]);
}

/**
 * Runs `fn` holding the shop's kept-read lock (a session-level advisory
 * lock on this connection): two patches of one kept read never interleave
 * their slice rewrites, which could leave a slice older than the log says.
 * One recompute runs per shop (the queue coalesces them), so it is not
 * expected to wait; it is there so that no second writer ever breaks that.
 */
export async function withKeptReadLock<T>(client: PgClient, shopId: string, fn: () => Promise<T>): Promise<T> {
  await client.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [KEPT_READ_LOCK + shopId]);
  try {
    return await fn();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [KEPT_READ_LOCK + shopId]);
  }
}

/** The advisory lock key's prefix (the shop's id follows). */
export const KEPT_READ_LOCK = "kept-read:";

/**
 * Records the kept read as brought up to date: patched with the customers
 * the log named in `read.snapshot` (its slices already rewritten in place),
 * or found unchanged (`patch` absent). The changes that snapshot saw are
 * consumed with it, in one transaction. False when the shop's kept read is no
 * longer this one (a newer read replaced it meanwhile): nothing is changed then.
 */
export async function markFeatureReadCurrent(
  client: PgClient,
  read: Pick<FeatureRead, "shopId" | "runId">,
  patch?: Pick<FeatureRead, "snapshot" | "customers" | "orders" | "guestStats">,
): Promise<boolean> {
  return inTransaction(client, async () => {
    const { rowCount } = patch
      ? await client.query(
          `UPDATE "FeatureRead" SET snapshot = $3, customers = $4, orders = $5, "guestStats" = $6,
             "verifiedAt" = now() AT TIME ZONE 'UTC'
           WHERE "shopId" = $1 AND "runId" = $2`,
          [read.shopId, read.runId, patch.snapshot, patch.customers, patch.orders, JSON.stringify(patch.guestStats)],
        )
      : await client.query(
          `UPDATE "FeatureRead" SET "verifiedAt" = now() AT TIME ZONE 'UTC' WHERE "shopId" = $1 AND "runId" = $2`,
          [read.shopId, read.runId],
        );
    if (!rowCount) return false;
    if (patch) await client.query(CONSUME_CHANGES, [read.shopId, patch.snapshot]);
    return true;
  });
}

/** Deletes the kept read of the shop ($1) and its slices. */
const DROP_KEPT_READ = `WITH gone AS (DELETE FROM "FeatureRead" WHERE "shopId" = $1 RETURNING "runId")
  DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT "runId" FROM gone)`;

/** Forgets the shop's kept read and drops its slices (a read that could not be kept replaces it). */
export async function forgetFeatureRead(client: PgClient, shopId: string): Promise<void> {
  await client.query(DROP_KEPT_READ, [shopId]);
}

/**
 * Forgets kept reads no recompute used for a week (their slices go with
 * them: dropRecomputeSlices). A shop recomputed nightly keeps its read, patched
 * with the customers that changed each night (ADR 065); an uninstalled or
 * dormant shop's slices do not stay stored for ever.
 */
export async function expireFeatureReads(client: PgClient): Promise<void> {
  await client.query(`DELETE FROM "FeatureRead" WHERE "verifiedAt" < (now() AT TIME ZONE 'UTC') - interval '7 days'`);
}

/** The kept read of the shop and its slices, in the privacy work's transaction. */
async function eraseKeptRead(tx: Tx, shopId: string): Promise<void> {
  await tx.$executeRawUnsafe(DROP_KEPT_READ, shopId);
}

/**
 * The shop's logged changes naming the customer (or all of the shop's), the
 * rows its erasure's own deletes logged included: this store comes after the
 * orders' and customers' (app/stores/index.server.ts).
 */
async function eraseChanges(tx: Tx, shopId: string, customerId?: bigint): Promise<void> {
  if (customerId === undefined) await tx.$executeRaw`DELETE FROM "FeatureChange" WHERE "shopId" = ${shopId}`;
  else await tx.$executeRaw`DELETE FROM "FeatureChange" WHERE "shopId" = ${shopId} AND "customerId" = ${customerId}`;
}

export const featureReadsStore: DataStore = {
  name: "feature reads",
  tables: ["FeatureRead", "FeatureChange"],
  // The kept slices hold every customer of the shop, and the ranges name
  // customer ids: a redacted customer's shop reads its orders again.
  async eraseCustomer(tx, customer) {
    await eraseKeptRead(tx, customer.shop.id);
    await eraseChanges(tx, customer.shop.id, customer.customerId);
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    await eraseKeptRead(tx, shop.id);
    await eraseChanges(tx, shop.id);
  },
};
