// TagSyncChange: the customers whose tags may have moved out of sync since the
// tag write-back's last pass (ADR 066). Once a pass compared every customer
// under the shop's tag settings (Shop."tagLogKey", "tagLogComplete"), the next
// compares only the customers logged since: the memberships store logs those
// whose segments it changed, PostgreSQL's triggers those whose recorded tags
// or liveness another writer changed (the migration), and a pass logs again
// the customers it left out of sync (refused by Shopify, capped). A pass
// consumes the rows its snapshot saw; rows committed later stay for the next.
import type { PrismaClient } from "@prisma/client";
import type { DataStore, Tx } from "./data-store";
import { inTransaction, type PgClient, waitForTransactionsOpenNow } from "./pg/pool.server";

/**
 * Set (to 'on', for its transaction) by the write-back's own record of the
 * tags it applied: the triggers do not log it, since it leaves the customers
 * in sync.
 */
export const TAG_WRITER_SETTING = "segments.tag_writer";

/**
 * A candidate read's condition: `column` is one of the shop's logged
 * customers (`shop`: the escaped shop id). As an array, which PostgreSQL
 * sorts before probing the index: at 1M customers the 25,830 customers of a
 * nightly run were read in 0.35-0.70 s this way, 0.54-1.06 s with `IN
 * (subquery)`, whose hash aggregate probes in random order.
 */
export const isLoggedTagCustomer = (column: string, shop: string): string =>
  `${column} = ANY(ARRAY(SELECT "customerId" FROM "TagSyncChange" WHERE "shopId" = ${shop}))`;

/**
 * Logged rows beyond which a pass compares every customer instead (and the
 * nightly retention job forgets the log). At 1M customers a logged read took
 * about 35 µs a customer, the comparison of every customer 3.5-5 s
 * (docs/performance.md, 2026-12-07 from 09:31 UTC): about even at 100,000.
 */
const MAX_LOGGED_ROWS = 100_000;

/** SQL: whether the shop ($1) has more than $2 rows logged (counting at most $2 + 1 of them). */
const LOG_IS_LONG = `(SELECT count(*) FROM (SELECT 1 FROM "TagSyncChange" WHERE "shopId" = $1 LIMIT $2 + 1) l) > $2`;

/** Which customers a pass compares. */
export type TagPassScope = "all" | "logged";

/**
 * Starts a pass under the tag settings `key`: the logged customers when a
 * pass under the same settings completed before, otherwise every customer,
 * with logging on under `key` from now on (the first time, after waiting for
 * the transactions open at the switch, so the pass's snapshot, taken next,
 * sees every change that was not logged).
 */
export async function beginTagPass(
  client: PgClient,
  shopId: string,
  key: string,
  maxLoggedRows = MAX_LOGGED_ROWS,
): Promise<TagPassScope> {
  const { rows } = await client.query<{ tagLogKey: string | null; tagLogComplete: boolean; long: boolean }>(
    `SELECT "tagLogKey", "tagLogComplete", ${LOG_IS_LONG} AS long FROM "Shop" WHERE id = $1`,
    [shopId, maxLoggedRows],
  );
  const state = rows[0];
  if (!state) throw new Error(`no shop ${shopId}`);
  if (state.tagLogKey === key && state.tagLogComplete) {
    if (!state.long) return "logged";
    // A long log (write-backs skipped while the plan lapsed): comparing every customer costs less.
    return "all";
  }
  await client.query(`UPDATE "Shop" SET "tagLogKey" = $2, "tagLogComplete" = false WHERE id = $1`, [shopId, key]);
  if (state.tagLogKey === null) await waitForTransactionsOpenNow(client);
  return "all";
}

/**
 * Ends a pass whose candidates were read in `snapshot`: the log rows it saw
 * are consumed, the customers it left out of sync (`recheck`) are logged
 * again, and a pass under the settings still current marks them complete.
 * One transaction. A pass that failed before this leaves the log as it was.
 */
export async function endTagPass(
  client: PgClient,
  shopId: string,
  pass: { key: string; snapshot: string; recheck: readonly string[] },
): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(
      `DELETE FROM "TagSyncChange" WHERE "shopId" = $1 AND pg_visible_in_snapshot(xid, $2::pg_snapshot)`,
      [shopId, pass.snapshot],
    );
    await logTagSyncChanges(client, shopId, pass.recheck);
    await client.query(`UPDATE "Shop" SET "tagLogComplete" = true WHERE id = $1 AND "tagLogKey" = $2`, [
      shopId,
      pass.key,
    ]);
  });
}

/** Logs customers whose tags may be out of sync (nothing while the shop's log is off). */
export async function logTagSyncChanges(client: PgClient, shopId: string, customerIds: readonly string[]) {
  if (customerIds.length === 0) return;
  await client.query(
    `INSERT INTO "TagSyncChange" ("shopId", "customerId")
     SELECT $1, unnest($2::bigint[]) WHERE EXISTS (SELECT 1 FROM "Shop" WHERE id = $1 AND "tagLogKey" IS NOT NULL)`,
    [shopId, customerIds],
  );
}

/** Logs every customer with a membership row in [fromId, toId] (nothing while the shop's log is off). */
export async function logTagSyncRange(client: PgClient, shopId: string, fromId: string, toId: string) {
  await client.query(
    `INSERT INTO "TagSyncChange" ("shopId", "customerId")
     SELECT "shopId", "customerId" FROM "SegmentMembership"
     WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint
       AND EXISTS (SELECT 1 FROM "Shop" WHERE id = $1 AND "tagLogKey" IS NOT NULL)`,
    [shopId, fromId, toId],
  );
}

/**
 * Turns the shop's log off and forgets it: a shop's first recompute writes
 * every membership anew, and the write-back after it compares every customer.
 */
export async function stopTagLog(client: PgClient, shopId: string): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(`UPDATE "Shop" SET "tagLogKey" = NULL, "tagLogComplete" = false WHERE id = $1`, [shopId]);
    await client.query(`DELETE FROM "TagSyncChange" WHERE "shopId" = $1`, [shopId]);
  });
}

/**
 * The retention job's bound on the log (app/privacy/retention.server.ts):
 * while the plan lapsed the write-back is skipped and nothing consumes the
 * log, which grows with every nightly recompute. Beyond `maxLoggedRows` it is
 * turned off and forgotten, as a first recompute does (a pass in flight then
 * cannot mark itself complete), and the next pass compares every customer.
 * Returns the rows forgotten.
 */
export async function forgetLongTagLog(
  db: PrismaClient,
  shopId: string,
  maxLoggedRows = MAX_LOGGED_ROWS,
): Promise<number> {
  return db.$transaction(async (tx) => {
    const [{ long }] = await tx.$queryRawUnsafe<Array<{ long: boolean }>>(
      `SELECT ${LOG_IS_LONG} AS long`,
      shopId,
      maxLoggedRows,
    );
    if (!long) return 0;
    await tx.$executeRaw`UPDATE "Shop" SET "tagLogKey" = NULL, "tagLogComplete" = false WHERE id = ${shopId}`;
    return tx.$executeRaw`DELETE FROM "TagSyncChange" WHERE "shopId" = ${shopId}`;
  });
}

async function eraseLog(tx: Tx, shopId: string, customerId?: bigint): Promise<void> {
  if (customerId === undefined) await tx.$executeRaw`DELETE FROM "TagSyncChange" WHERE "shopId" = ${shopId}`;
  else await tx.$executeRaw`DELETE FROM "TagSyncChange" WHERE "shopId" = ${shopId} AND "customerId" = ${customerId}`;
}

/** After the customers' store: the rows its deletes logged go too (app/stores/index.server.ts). */
export const tagSyncStore: DataStore = {
  name: "tag sync log",
  tables: ["TagSyncChange"],
  async eraseCustomer(tx, customer) {
    await eraseLog(tx, customer.shop.id, customer.customerId);
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    await eraseLog(tx, shop.id);
  },
};
