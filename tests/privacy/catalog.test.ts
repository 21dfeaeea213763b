import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { POSTGRES_QUEUE_TABLES } from "../../app/queues/erase.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { STORES } from "../../app/stores/index.server";
import { testQueueBackends } from "../helpers/queue-backends";

/**
 * Tables that hold neither shop nor customer data, with the reason. Every
 * other table of every schema the app owns must belong to a store (which
 * erases a customer's and a shop's rows) or to the queue (erased by
 * app/queues/erase.server.ts).
 */
const NO_SHOP_OR_CUSTOMER_DATA: Record<string, string> = {
  "public._prisma_migrations": "the migration history (names and checksums of migrations)",
  "bullmq.migration": "the queue backend's applied schema migrations",
  "bullmq.meta": "per-queue settings (paused, concurrency, limits) and the schema version",
  "bullmq.metrics": "per-queue counts of completed and failed jobs per minute",
  "bullmq.rate_limit": "per-queue rate-limiter counters",
  "bullmq.relay_node": "the backend's own cluster nodes (host names of workers)",
  "bullmq.relay_subscription": "which backend node listens to which queue",
};

async function catalog() {
  return prisma.$queryRaw<Array<{ schema: string; name: string }>>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1, 2`;
}

/** Tables of the catalog that no store erases and that are not known to hold no shop or customer data. */
function uncoveredTables(tables: Array<{ schema: string; name: string }>, queueSchema: string): string[] {
  const owners = new Set<string>();
  for (const store of STORES) for (const table of store.tables) owners.add(`public.${table}`);
  for (const table of POSTGRES_QUEUE_TABLES) owners.add(`bullmq.${table}`);
  return tables
    .map(({ schema, name }) => `${schema === queueSchema ? "bullmq" : schema}.${name}`)
    .filter((key) => !owners.has(key) && !(key in NO_SHOP_OR_CUSTOMER_DATA));
}

describe("privacy catalog", () => {
  const postgres = testQueueBackends()[1];
  const queueSchema = postgres.kind === "postgres" ? postgres.schema : "";
  const registry = new QueueRegistry(postgres);
  afterAll(() => registry.close());

  it("every table of every schema the app owns is erased by a store or holds no shop or customer data", async () => {
    // The PostgreSQL queue backend creates its schema (bullmq_<prefix>) on first use.
    await registry.get(QUEUE.webhooks).waitUntilReady();
    const tables = await catalog();
    expect(tables.some((t) => t.schema === queueSchema)).toBe(true);
    expect(uncoveredTables(tables, queueSchema), "tables that no store erases").toEqual([]);
    // No store claims a table that does not exist (a renamed table would go unnoticed).
    const existing = new Set(tables.map((t) => `${t.schema === queueSchema ? "bullmq" : t.schema}.${t.name}`));
    for (const store of STORES)
      for (const table of store.tables) expect(existing.has(`public.${table}`), table).toBe(true);
    for (const table of POSTGRES_QUEUE_TABLES) expect(existing.has(`bullmq.${table}`), table).toBe(true);
  });

  it("fails for a new table that no store erases, in any schema", async () => {
    await prisma.$executeRawUnsafe(`CREATE TABLE "CustomerNotes" ("shopId" text, "customerId" bigint, note text)`);
    await prisma.$executeRawUnsafe(`CREATE SCHEMA reporting`);
    await prisma.$executeRawUnsafe(`CREATE TABLE reporting.segment_sizes ("shopId" text, size int)`);
    try {
      expect(uncoveredTables(await catalog(), queueSchema)).toEqual([
        "public.CustomerNotes",
        "reporting.segment_sizes",
      ]);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TABLE "CustomerNotes"`);
      await prisma.$executeRawUnsafe(`DROP SCHEMA reporting CASCADE`);
    }
  });
});
