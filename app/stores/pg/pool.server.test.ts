import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeAfterBulkWrite, analyzeIfStale, closePgPool, withPgClient } from "./pool.server";

// The process's pool when PostgreSQL drops a connection (a restart, a
// failover, a test database dropped under running jobs) while a client is lent.
describe("withPgClient", () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.end();
    await closePgPool();
  });

  it("fails the work of a lent client whose connection is terminated, not the process, and lends a working one next", async () => {
    await expect(
      withPgClient(async (client) => {
        const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
        // The termination arrives while no query runs: the client emits it as an event.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query("SELECT 1");
      }),
    ).rejects.toThrow();
    const { rows } = await withPgClient((client) => client.query<{ one: number }>("SELECT 1 AS one"));
    expect(rows[0].one).toBe(1);
  });
});

describe("analyzeAfterBulkWrite", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());
  const estimate = async () =>
    (await client.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'bulk_rows'::regclass`))
      .rows[0].n;

  it("analyses a table never analysed, then only after writes of a tenth of its rows or more", async () => {
    await client.query("CREATE TEMP TABLE bulk_rows (id int)");
    await client.query("INSERT INTO bulk_rows SELECT g FROM generate_series(1, 1000) g");
    expect(await estimate()).toBe(-1);
    expect(await analyzeAfterBulkWrite(client, "bulk_rows", 1000)).toBe(true);
    expect(await estimate()).toBe(1000);
    await client.query("INSERT INTO bulk_rows SELECT g FROM generate_series(1, 50) g");
    expect(await analyzeAfterBulkWrite(client, "bulk_rows", 50)).toBe(false);
    expect(await estimate()).toBe(1000);
    expect(await analyzeAfterBulkWrite(client, "bulk_rows", 100)).toBe(true);
    expect(await estimate()).toBe(1050);
    await expect(analyzeAfterBulkWrite(client, "no_such_rows", 1)).rejects.toThrow(/no table no_such_rows/);
  });
});

describe("analyzeIfStale", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());
  /** Rows written, with this backend's statistics counters sent at once (PostgreSQL sends them at most once a second). */
  const insert = async (rows: number) => {
    await client.query(`INSERT INTO stale_rows SELECT g FROM generate_series(1, ${rows}) g`);
    await client.query("SELECT pg_stat_force_next_flush()");
  };

  it("analyses a table never analysed, or changed by more than autovacuum's threshold since its last full ANALYZE", async () => {
    await client.query("CREATE TEMP TABLE stale_rows (id int)");
    await insert(1000);
    expect(await analyzeIfStale(client, "stale_rows")).toBe(true);
    expect(await analyzeIfStale(client, "stale_rows")).toBe(false);
    await insert(100); // 100 changes: within 50 + 1000 / 10
    expect(await analyzeIfStale(client, "stale_rows")).toBe(false);
    await insert(100);
    expect(await analyzeIfStale(client, "stale_rows")).toBe(true);
    expect(await analyzeIfStale(client, "stale_rows")).toBe(false);
    // An ANALYZE of some columns leaves the count of changes as it was: it runs again next time.
    await insert(500);
    expect(await analyzeIfStale(client, "stale_rows", ["id"])).toBe(true);
    expect(await analyzeIfStale(client, "stale_rows", ["id"])).toBe(true);
    expect(await analyzeIfStale(client, "stale_rows")).toBe(true);
    expect(await analyzeIfStale(client, "stale_rows", ["id"])).toBe(false);
    await expect(analyzeIfStale(client, "no_such_rows")).rejects.toThrow(/no table no_such_rows/);
  });
});
