// The one pg pool of a process, for the stores' COPY paths (bulk reads and
// writes that Prisma would do row by row). Prisma keeps its own pool
// (app/db.server.ts). Stores take a client as a parameter; services borrow
// one here, so processors and routes never hold a pool.
import pg from "pg";
import { databaseEnv } from "../../config/env.server";
import { logger } from "../../utils/logger.server";

export type PgClient = pg.Client | pg.PoolClient;

let pool: pg.Pool | undefined;

function sharedPool(): pg.Pool {
  if (!pool) {
    const { DATABASE_URL, PG_POOL_SIZE } = databaseEnv();
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: PG_POOL_SIZE, allowExitOnIdle: true });
    // An idle client whose connection drops (database restart) must not crash the process.
    pool.on("error", (error) => logger.warn({ error: error.message }, "idle PostgreSQL client error"));
  }
  return pool;
}

/** Lends a client for the duration of `fn` (withPgClient, or a script's own connection). */
export type WithPgClient = <T>(fn: (client: PgClient) => Promise<T>) => Promise<T>;

/**
 * Runs `fn` with a client of the process's pool, released afterwards. pg-pool
 * listens for a client's errors only while it is idle: a lent client whose
 * connection drops (a database restart or failover) would emit an error no
 * one listens to and crash the process. Here `fn`'s queries fail instead, and
 * the broken client is destroyed rather than returned to the pool.
 */
export async function withPgClient<T>(fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await sharedPool().connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
    logger.warn({ error: error.message }, "PostgreSQL client error while lent");
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/**
 * Waits until every transaction open now (on any database of the server) has
 * ended. A log switched on by a committed write (ADR 064, ADR 066) is seen by
 * every statement that starts after it; a transaction whose statement ran
 * before it may still commit a change that was not logged. Once this
 * returns, a snapshot taken next sees all such changes.
 */
export async function waitForTransactionsOpenNow(client: PgClient): Promise<void> {
  const { rows } = await client.query<[string]>({
    text: `SELECT pg_snapshot_xip(pg_current_snapshot())::text`,
    rowMode: "array",
  });
  for (const [xid] of rows) {
    for (;;) {
      const status = await client.query<[string | null]>({
        text: `SELECT pg_xact_status($1::xid8)`,
        values: [xid],
        rowMode: "array",
      });
      if (status.rows[0][0] !== "in progress") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Runs `fn` in one transaction on `client`: committed when `fn` resolves,
 * rolled back (and the error rethrown) when it throws. `begin` names the
 * isolation level when the default is not the one wanted.
 */
export async function inTransaction<T>(client: PgClient, fn: () => Promise<T>, begin = "BEGIN"): Promise<T> {
  await client.query(begin);
  try {
    const result = await fn();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * The planner settings of a whole-shop aggregation (the admin's totals, the
 * day's snapshot, the insights cohorts): with the default 4MB of work_mem
 * PostgreSQL groups a big shop's orders by walking the ("shopId",
 * "customerId") index, in random order: at 1M customers / 5M orders the
 * admin's segment totals took 15.7 s that way, 5.5 s as a hash aggregate, and
 * a day's snapshot 32.5 s against 14.0 (docs/performance.md, 2026-12-06). No
 * parallel workers: each would build the whole per-customer aggregate again
 * (three times the CPU for no gain on two cores). A small shop's plan is
 * chosen as before. For a transaction of its own (SET LOCAL).
 */
export const WHOLE_SHOP_AGGREGATE_SETTINGS = [
  "SET LOCAL work_mem = '64MB'",
  "SET LOCAL max_parallel_workers_per_gather = 0",
] as const;

/** Runs `fn`'s queries on `client` in a transaction of their own with WHOLE_SHOP_AGGREGATE_SETTINGS. */
export function inWholeShopAggregate<T>(client: PgClient, fn: () => Promise<T>): Promise<T> {
  return inTransaction(client, async () => {
    for (const setting of WHOLE_SHOP_AGGREGATE_SETTINGS) await client.query(setting);
    return fn();
  });
}

/**
 * ANALYZE `table` after a bulk write of about `rows` rows when they are a
 * tenth or more of the rows the planner believes it holds (or it was never
 * analysed): autovacuum would, on its next round, but the queries that follow
 * a first recompute at once (the write-back's comparison, the admin figures,
 * a segment's members) would be planned blind meanwhile. A segment's CSV of
 * 455,000 customers at a million took 99 s in pages planned as whole-table
 * scans without statistics, and 12 s with them. Returns whether it ran.
 */
export async function analyzeAfterBulkWrite(client: PgClient, table: string, rows: number): Promise<boolean> {
  const { reltuples } = await plannerStatistics(client, table);
  if (reltuples >= 0 && rows < reltuples / 10) return false;
  await analyze(client, table);
  return true;
}

/**
 * ANALYZE `table` (only `columns`, when given) unless its statistics are as
 * fresh as autovacuum keeps them: it runs when the table was never analysed
 * or when more rows were inserted, updated or deleted since its last full
 * ANALYZE than autovacuum's threshold (50 plus a tenth of its rows). So a
 * query that needs statistics runs after one full ANALYZE (a first
 * recompute's, analyzeAfterBulkWrite) without a second one, and after a
 * nightly run's rewrites with fresh ones, also where autovacuum is off.
 * A column-list ANALYZE does not reset PostgreSQL's count of changes, so it
 * runs again next time. Returns whether it ran.
 */
export async function analyzeIfStale(
  client: PgClient,
  table: string,
  columns: readonly string[] = [],
): Promise<boolean> {
  const { reltuples, changed } = await plannerStatistics(client, table);
  // Statistics counters lost (a crash, pg_stat_reset) read as stale too.
  if (reltuples >= 0 && changed !== null && changed <= 50 + 0.1 * reltuples) return false;
  await analyze(client, table, columns);
  return true;
}

/** The rows the planner believes `table` holds (-1: never analysed) and the rows changed since its last full ANALYZE. */
async function plannerStatistics(
  client: PgClient,
  table: string,
): Promise<{ reltuples: number; changed: number | null }> {
  const { rows } = await client.query<{ reltuples: number; changed: number | null }>(
    `SELECT c.reltuples::float8 AS reltuples, s.n_mod_since_analyze::float8 AS changed
       FROM pg_class c LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
      WHERE c.oid = to_regclass($1)`,
    [client.escapeIdentifier(table)],
  );
  if (rows.length === 0) throw new Error(`no table ${table} to analyse`);
  return rows[0];
}

async function analyze(client: PgClient, table: string, columns: readonly string[] = []): Promise<void> {
  const list = columns.length ? ` (${columns.map((c) => client.escapeIdentifier(c)).join(", ")})` : "";
  await client.query(`ANALYZE ${client.escapeIdentifier(table)}${list}`);
}

/** Closes the process's pool (worker shutdown, tests). */
export async function closePgPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.end();
}

/** A dedicated connection (scripts, benchmarks); the caller ends it. */
export async function connectPg(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}
