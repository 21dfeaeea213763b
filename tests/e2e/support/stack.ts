/**
 * The app as `npm run demo` runs it, for end-to-end tests: the store
 * simulator (in this process), the worker and the web app (child processes)
 * on this test file's database and queue prefix, the local preview serving
 * /app/* for one shop (LOCAL_PREVIEW_SHOP), installed the way the demo
 * installs it (an offline session as OAuth stores one, then the install job).
 * The web app is the production build (`remix vite:build`, then
 * server/web.mjs) run with NODE_ENV=development, the only mode that allows the
 * preview: the Vite dev server compiles each page on first use, which on a
 * shared 2-core machine took longer than the browser's 30 s timeout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { freePort } from "../../helpers/free-port";
import path from "node:path";
import pg from "pg";
import { startSimulator, type Simulator } from "../../../simulator";
import { appScopes, appWebhookSubscriptions } from "../../../scripts/lib/app-config";
import { SEGMENT_DISCOUNT_FUNCTION_HANDLE } from "../../../app/act/segment-discount-function";
import { ALL_QUEUES } from "../../../app/queues/names";
import { queues } from "../../../app/queues/registry.server";
import { enqueueShopInstalled } from "../../../app/queues/shop-lifecycle.server";
import { workerEnv, workerExecArgv } from "../../../app/workers/node-flags";

const ROOT = path.resolve(import.meta.dirname, "../../..");
export const ONLINE_RETAIL_FILE = path.join(ROOT, "data/online-retail/online_retail.csv.gz");
export const ONLINE_RETAIL_AS_OF = "2011-12-10T00:00:00Z";

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv, label: string, log: string[]) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) log.push(`[${label}] ${line}`);
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

const BUILD_STATE = path.join(ROOT, "test-results", "e2e-build");

/** Runs `fn` holding this checkout's build lock (a directory: mkdir is atomic); a lock older than 10 min is stale. */
async function withBuildLock(fn: () => Promise<void>): Promise<void> {
  mkdirSync(BUILD_STATE, { recursive: true });
  const lock = path.join(BUILD_STATE, "lock");
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`the web app's build lock ${lock} was held for 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000}s ${last ? `(${String(last)})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

export interface E2eStack {
  sim: Simulator;
  db: pg.Client;
  /** Output of the worker and the web server (the last lines), for failure messages. */
  log: string[];
  startWorker(): Promise<void>;
  /** Builds the web app (build/), as `npm run build` does. */
  build(): Promise<void>;
  /** Starts the built web app previewing `shop`; resolves with its URL once /healthz answers. */
  startWeb(shop: string, extraEnv?: Record<string, string>): Promise<string>;
  stopWeb(): Promise<void>;
  /** What OAuth leaves behind: the app installed in the simulated store and the shop's offline session stored. */
  authorize(appUrl: string, shop: string): Promise<void>;
  /**
   * Waits until no job is running or waiting in any of the app's queues (delayed, scheduled jobs aside): another
   * shop's install finishing its recompute and write-back on the same two cores is not what a page load measures.
   */
  waitForQuiet(timeoutMs: number): Promise<void>;
  /** Enqueues the install job (what the OAuth hook does next); resolves with a moment just before it. */
  enqueueInstall(shop: string): Promise<Date>;
  /** authorize, then enqueueInstall, as `npm run demo` does (no web app needed). */
  install(appUrl: string, shop: string): Promise<Date>;
  /** Waits for the latest run of `kind` started after `since` to complete. */
  waitForRun(shop: string, kind: string, since: Date, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** A simulator with the app's subscriptions, and the processes of the app on demand. */
export async function startE2eStack(options: { asOf?: string } = {}): Promise<E2eStack> {
  const log: string[] = [];
  const secret = process.env.SHOPIFY_API_SECRET!;
  const sim = await startSimulator({ appSecret: secret, restoreRate: 100, bucketSize: 2_000, bulkLatencyMs: 200 });
  sim.registerAppFunction({
    handle: SEGMENT_DISCOUNT_FUNCTION_HANDLE,
    title: "Segment discount",
    description: "A discount for customers in chosen segments, with a hold-out group",
  });
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: "development",
    SHOPIFY_ADMIN_API_ORIGIN: sim.url,
    ...(options.asOf ? { SEGMENTS_AS_OF: options.asOf } : {}),
    LOG_LEVEL: "warn",
    ...extra,
  });
  const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
  let worker: ChildProcess | undefined;
  let web: ChildProcess | undefined;

  const stack: E2eStack = {
    sim,
    db,
    log,
    async startWorker() {
      // Node itself with tsx's loader, not the tsx command: that command runs the worker in a child process of its
      // own, which outlived its SIGKILL below (a worker finishing a job in flight) and the test run by minutes. With the
      // worker's node flags and environment its one process runs the jobs itself (without them it would supervise a
      // child that has them).
      worker = spawnLogged(
        process.execPath,
        [...workerExecArgv([], undefined), "--import", "tsx", "app/workers/main.ts"],
        baseEnv({ SERVICE_NAME: "worker", WORKER_PROCESSES: "1", ...workerEnv(process.env) }),
        "worker",
        log,
      );
    },
    async build() {
      // The e2e files run in parallel and share build/ (which the build empties first): one of them builds, once per
      // test run, while holding a lock; the others wait for it and reuse the result.
      await withBuildLock(async () => {
        const stamp = path.join(BUILD_STATE, `built-${process.env.SEGMENTS_TEST_RUN ?? "x"}`);
        if (existsSync(stamp) && existsSync(path.join(ROOT, "build/server/index.js"))) return;
        const child = spawnLogged(
          bin("remix"),
          ["vite:build"],
          { ...process.env, NODE_ENV: "production" },
          "build",
          log,
        );
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
        if (code !== 0) throw new Error(`remix vite:build exited with ${code}:\n${log.slice(-20).join("\n")}`);
        // Earlier runs' stamps say nothing about this build.
        for (const file of readdirSync(BUILD_STATE))
          if (file.startsWith("built-")) rmSync(path.join(BUILD_STATE, file));
        writeFileSync(stamp, new Date().toISOString());
      });
    },
    async startWeb(shop, extraEnv = {}) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      web = spawnLogged(
        process.execPath,
        ["server/web.mjs", "build/server/index.js"],
        baseEnv({
          SERVICE_NAME: "web",
          PORT: String(port),
          HOST: "127.0.0.1",
          SHOPIFY_APP_URL: url,
          LOCAL_PREVIEW_SHOP: shop,
          ...extraEnv,
        }),
        "web",
        log,
      );
      await waitFor("the web app's /healthz", 120_000, async () =>
        (await fetch(`${url}/healthz`)).ok ? true : undefined,
      );
      return url;
    },
    async stopWeb() {
      if (web) await stop(web);
      web = undefined;
    },
    async authorize(appUrl, shop) {
      const accessToken = `shpat_e2e_${shop.replace(/\W/g, "")}`;
      sim.installApp(shop, {
        accessToken,
        scopes: appScopes(),
        webhookUrl: appUrl,
        subscriptions: appWebhookSubscriptions(),
      });
      await db.query(
        `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, 'e2e', false, $3, $4)
         ON CONFLICT (id) DO UPDATE SET scope = EXCLUDED.scope, "accessToken" = EXCLUDED."accessToken"`,
        [`offline_${shop}`, shop, appScopes().join(","), accessToken],
      );
    },
    async enqueueInstall(shop) {
      const since = new Date(Date.now() - 1000);
      // What /preview/install does (the OAuth hook's job), enqueued on this file's queue prefix.
      await enqueueShopInstalled(await queues(), { shop, scopes: appScopes().join(",") });
      return since;
    },
    async install(appUrl, shop) {
      await stack.authorize(appUrl, shop);
      return stack.enqueueInstall(shop);
    },
    async waitForRun(shop, kind, since, timeoutMs) {
      await waitFor(`the ${kind} of ${shop}`, timeoutMs, async () => {
        const { rows } = await db.query(
          `SELECT r.status, r.step, r.error FROM "JobRun" r JOIN "Shop" s ON s.id = r."shopId"
           WHERE s.domain = $1 AND r.kind = $2 AND r."startedAt" >= $3 ORDER BY r."startedAt" DESC LIMIT 1`,
          [shop, kind, since],
        );
        if (rows[0]?.status === "failed") throw new Error(`${kind} failed at ${rows[0].step}: ${rows[0].error}`);
        return rows[0]?.status === "completed" ? true : undefined;
      });
    },
    async waitForQuiet(timeoutMs) {
      const registry = await queues();
      let quietPolls = 0;
      await waitFor("no job running or waiting in any queue", timeoutMs, async () => {
        const counts = await Promise.all(
          ALL_QUEUES.map((name) =>
            registry.get(name).getJobCounts("active", "waiting", "prioritized", "waiting-children"),
          ),
        );
        const busy = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
        // For a second (polls are 250 ms apart): a job that finishes may enqueue its next step a moment later.
        quietPolls = busy === 0 ? quietPolls + 1 : 0;
        return quietPolls >= 4 ? true : undefined;
      });
    },
    async close() {
      await Promise.all([web ? stop(web) : undefined, worker ? stop(worker) : undefined]);
      await (await queues()).close();
      await db.end().catch(() => undefined);
      await sim.close();
    },
  };
  return stack;
}
