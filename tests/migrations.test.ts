// Migrations through the offline schema-engine stand-in, on a real PostgreSQL
// (127.0.0.1:5432, user root). Each test gets its own throwaway database; this
// file does not rely on the suite's global setup.
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, applyMigrations, runPrisma } from "../scripts/migrate";
import { unpackMetafieldValues } from "../app/writeback/metafields";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
const SERVER = { host: "127.0.0.1", port: 5432, user: "root" };

const created: string[] = [];
const tempDirs: string[] = [];

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...SERVER, database: "postgres" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database; returns its URL. */
async function throwawayDatabase(): Promise<{ name: string; url: string }> {
  const name = `mig_test_${process.pid}_${Date.now()}_${created.length}`;
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  return {
    name,
    url: `postgresql://${SERVER.user}@${SERVER.host}:${SERVER.port}/${name}`,
  };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function migrationNames(dir = MIGRATIONS_DIR): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * A temporary copy of the migrations folder for `db` and a Prisma config that
 * points at it: tests add or take out migrations in `migrations`.
 */
async function migrationsCopy(db: { url: string }): Promise<{ migrations: string; configFile: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-test-"));
  tempDirs.push(dir);
  const migrations = path.join(dir, "migrations");
  await cp(MIGRATIONS_DIR, migrations, { recursive: true });
  const configFile = path.join(dir, "prisma.config.ts");
  await writeFile(
    configFile,
    `export default ${JSON.stringify({
      schema: path.join(ROOT, "prisma", "schema.prisma"),
      migrations: { path: migrations },
      datasource: { url: db.url },
    })};\n`,
  );
  return { migrations, configFile };
}

/**
 * A throwaway database migrated up to, not including, `migration`: the
 * schema as it was before it. Then `applyHeldBack()` applies that migration
 * alone (the later ones stay out) and returns what was applied.
 */
async function migratedUpTo(migration: string) {
  const db = await throwawayDatabase();
  const { migrations, configFile } = await migrationsCopy(db);
  const later = (await readdir(migrations)).filter((name) => /^\d{14}_/.test(name) && name >= migration);
  for (const name of later) await rm(path.join(migrations, name), { recursive: true });
  await applyMigrations(db.url, { configFile });
  const applyHeldBack = async () => {
    await cp(path.join(MIGRATIONS_DIR, migration), path.join(migrations, migration), { recursive: true });
    return (await applyMigrations(db.url, { configFile })).applied;
  };
  return { db, applyHeldBack };
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
  rolled_back: boolean;
}

const historySql = `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished,
  rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY migration_name`;

afterEach(async () => {
  await onServer(async (client) => {
    for (const name of created.splice(0)) {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
  for (const dir of tempDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("prisma migrations (offline schema engine)", () => {
  it("applies every migration to an empty database and records it in _prisma_migrations", async () => {
    const db = await throwawayDatabase();
    const expected = await migrationNames();
    expect(expected.length).toBeGreaterThan(0);

    const { applied } = await applyMigrations(db.url);

    expect(applied).toEqual(expected);
    const history = await query<MigrationRow>(db.url, historySql);
    expect(history.map((r) => r.migration_name)).toEqual(expected);
    for (const row of history) {
      expect(row.finished).toBe(true);
      expect(row.rolled_back).toBe(false);
      // Prisma's checksum is the SHA-256 of the migration file: proves the
      // stand-in keeps the table exactly as the native engine does.
      const sql = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }
    const tables = await query<{ table_name: string }>(
      db.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["Session", "Shop", "JobRun", "_prisma_migrations"]),
    );
  });

  it("is a no-op the second time, and migrate status reports the database up to date", async () => {
    const db = await throwawayDatabase();
    await applyMigrations(db.url);
    const before = await query<MigrationRow>(db.url, historySql);

    const second = await applyMigrations(db.url);

    expect(second.applied).toEqual([]);
    expect(await query<MigrationRow>(db.url, historySql)).toEqual(before);
    const status = await runPrisma(["migrate", "status"], db.url);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toContain("Database schema is up to date!");
  });

  it("stops at a failing migration with a clear error and keeps the earlier ones", async () => {
    const db = await throwawayDatabase();
    // A temporary copy of the migrations folder plus one broken migration
    // whose first statement would succeed on its own.
    const { migrations, configFile } = await migrationsCopy(db);
    const broken = "29991231000000_broken";
    await mkdir(path.join(migrations, broken));
    await writeFile(
      path.join(migrations, broken, "migration.sql"),
      'CREATE TABLE "ShouldNotExist" (id integer);\nSELECT 1 / 0;\n',
    );
    const good = await migrationNames();

    const failure = await applyMigrations(db.url, { configFile }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(MigrationError);
    const error = failure as MigrationError;
    expect(error.code).toBe("P3018");
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain(broken);
    expect(error.message).toContain("division by zero");

    const history = await query<MigrationRow>(db.url, historySql);
    expect(history.filter((r) => r.finished).map((r) => r.migration_name)).toEqual(good);
    expect(history.find((r) => r.migration_name === broken)?.finished).toBe(false);
    // The script ran as one transaction: its successful first statement is gone too.
    const leftover = await query<{ t: string | null }>(db.url, `SELECT to_regclass('"ShouldNotExist"')::text AS t`);
    expect(leftover[0].t).toBeNull();

    // The next run refuses to go on until the failure is resolved.
    const again = await applyMigrations(db.url, { configFile }).catch((e: unknown) => e);
    expect((again as MigrationError).code).toBe("P3009");
    expect((again as MigrationError).message).toContain(broken);
  });

  it("gives rows stored before the RFM scores column the scores their RFM reason states", async () => {
    const rfmScores = "20261206213000_membership_rfm_scores";
    // The schema as it was before the scores: that migration and every later one (reasons were still stored) held back.
    const { db, applyHeldBack } = await migratedUpTo(rfmScores);
    await query(
      db.url,
      `INSERT INTO "SegmentMembership" ("shopId", "customerId", segments, reasons, "sinceDay") VALUES
        ('s', 1, '{rfm/champions,usage/light}', '{"R 5 F 4 M 3 (FM 3.5): last order 2 days ago, 9 orders, 10.00 spent",x}', '{1,1}'),
        ('s', 2, '{rfm/prospects}', '{"no orders yet"}', '{1}'),
        ('s', 3, '{usage/light}', '{x}', '{1}'),
        ('s', 4, '{loyalty/lapsed,rfm/hibernating}', '{x,"R 1 F 2 M 1 (FM 1.5): last order 900 days ago, 2 orders, 5.00 spent"}', '{1,1}')`,
    );
    expect(await applyHeldBack()).toEqual([rfmScores]);

    const rows = await query<{ id: number; rfm: number | null }>(
      db.url,
      `SELECT "customerId"::int AS id, "rfmScores" AS rfm FROM "SegmentMembership" ORDER BY 1`,
    );
    expect(rows).toEqual([
      { id: 1, rfm: 543 },
      { id: 2, rfm: null },
      { id: 3, rfm: null },
      { id: 4, rfm: 121 },
    ]);
  });

  it("migrate diff replays the migrations into a shadow database and finds prisma/schema.prisma in sync", async () => {
    // Exercises the shadow database, the "char" catalog columns and the
    // `print` forwarding of diff output. Fails when someone changes the schema
    // without making a migration (bash scripts/new-migration.sh NAME).
    const db = await throwawayDatabase();
    const schema = path.join(ROOT, "prisma", "schema.prisma");

    const inSync = await runPrisma(
      ["migrate", "diff", "--from-migrations", MIGRATIONS_DIR, "--to-schema", schema, "--exit-code"],
      db.url,
    );
    expect(inSync.stdout).toContain("No difference detected.");
    expect(inSync.exitCode).toBe(0);

    const fromEmpty = await runPrisma(["migrate", "diff", "--from-empty", "--to-schema", schema, "--script"], db.url);
    expect(fromEmpty.exitCode).toBe(0);
    expect(fromEmpty.stdout).toContain('CREATE TABLE "Shop"');
  });

  it("the migrate script exits non-zero with one clear line when PostgreSQL is unreachable", async () => {
    const result = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: "postgresql://root@127.0.0.1:1/nowhere",
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("migrate: cannot reach PostgreSQL at 127.0.0.1:1 — start it or set DATABASE_URL");
  });

  it("the generated client queries a migrated database through adapter-pg", async () => {
    // `prisma generate` runs offline (postinstall); its output must be there.
    expect(existsSync(path.join(ROOT, "node_modules", ".prisma", "client", "index.js"))).toBe(true);
    const db = await throwawayDatabase();
    await applyMigrations(db.url);
    const prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: db.url }),
    });
    try {
      const shop = await prisma.shop.create({
        data: {
          domain: "test-shop.myshopify.com",
          jobRuns: { create: { kind: "install" } },
        },
      });
      const found = await prisma.shop.findUniqueOrThrow({
        where: { domain: "test-shop.myshopify.com" },
        include: { jobRuns: true },
      });
      expect(found.id).toBe(shop.id);
      expect(found.settings).toEqual({});
      expect(found.jobRuns.map((r) => [r.kind, r.status])).toEqual([["install", "running"]]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("migrations that rewrite stored rows", () => {
  it("packs the metafield values queued before ADR 068 in place, each list read back as it was queued", async () => {
    const packed = "20261207180000_pending_metafields_packed";
    const { db, applyHeldBack } = await migratedUpTo(packed);
    const queued = [
      { key: "handles", type: "list.single_line_text_field", value: '["rfm-champions","usage-heavy"]' },
      { key: "p_alive", type: "number_decimal", value: "0.912" },
      { key: "clv_12m", type: "number_decimal", value: "1234.56" },
      { key: "next_order_date", type: "date", value: "2026-02-01" },
      { key: "spend_tier", type: "single_line_text_field", value: "high" },
    ];
    await query(
      db.url,
      `INSERT INTO "PendingMetafields" ("shopId", "customerId", "values", hash) VALUES
        ('s', 1, '${JSON.stringify(queued)}', 'h1'),
        ('s', 2, '${JSON.stringify(queued.slice(0, 1))}', 'h2'),
        ('s', 3, '[]', 'h3')`,
    );
    expect(await applyHeldBack()).toEqual([packed]);

    const rows = await query<{ id: number; values: string; hash: string }>(
      db.url,
      `SELECT "customerId"::int AS id, "values", hash FROM "PendingMetafields" ORDER BY 1`,
    );
    expect(rows.map((r) => ({ id: r.id, values: unpackMetafieldValues(r.values), hash: r.hash }))).toEqual([
      { id: 1, values: queued, hash: "h1" },
      { id: 2, values: queued.slice(0, 1), hash: "h2" },
      { id: 3, values: [], hash: "h3" },
    ]);
  });
});
