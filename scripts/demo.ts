/**
 * `npm run demo [-- --once]`: the whole app on this machine with no Shopify
 * account. A local store simulator serves Shopify's real Admin API schema
 * with the UCI Online Retail store; the app is installed into it (an offline
 * session as OAuth stores one, then the install job), and its real jobs run:
 * backfill by bulk export, segmentation, tag write-back. Then the dashboard
 * is served at a local preview URL.
 *
 * --once: the same without keeping servers up; prints one JSON summary line.
 * The simulator's tags are saved under .data/demo/ and restored next time, so
 * a second run on the same data finds the tags already in place.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startSimulator, type Simulator } from "../simulator";
import { appScopes, appWebhookSubscriptions } from "./lib/app-config";
import { prepareLocalEnvironment, ROOT, startStack, type RunningStack } from "./lib/stack";
import { scriptEnv } from "../app/config/env.server";
import { SEGMENT_DISCOUNT_FUNCTION_HANDLE } from "../app/act/segment-discount-function";

const SHOP = "online-retail-demo.myshopify.com";
const ACCESS_TOKEN = "shpat_local_demo_offline_token";
const DATASET = path.join(ROOT, "data/online-retail/online_retail.csv.gz");
const STATE_DIR = path.join(ROOT, ".data/demo");
const TAGS_FILE = path.join(STATE_DIR, "simulator-tags.json");
/** The day after the data set's last invoice (2011-12-09): segments are computed as of then. */
const AS_OF = "2011-12-10T00:00:00Z";
const SIMULATOR_PORT = 4010;

const { values } = parseArgs({ options: { once: { type: "boolean", default: false } } });
const log = (message: string) => process.stderr.write(`[demo] ${message}\n`);
const started = performance.now();

type TagState = Record<string, string[]>;

function tagState(sim: Simulator): TagState {
  const store = sim.shop(SHOP).store;
  const state: TagState = {};
  for (let i = 0; i < store.customerCount; i++) {
    const tags = store.tagsOf(i);
    if (tags.length) state[String(store.c.id[i])] = [...tags];
  }
  return state;
}

function restoreTags(sim: Simulator, state: TagState) {
  const store = sim.shop(SHOP).store;
  for (const [id, tags] of Object.entries(state)) {
    const index = store.findCustomer(Number(id));
    if (index !== undefined) store.setTags(index, tags, 0);
  }
}

function countTagChanges(before: TagState, after: TagState) {
  let added = 0;
  let removed = 0;
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[id] ?? []);
    const now = new Set(after[id] ?? []);
    for (const tag of now) if (!was.has(tag)) added++;
    for (const tag of was) if (!now.has(tag)) removed++;
  }
  return { added, removed };
}

/**
 * One short line of a run's progress: its step and counters, e.g.
 * "recompute: chunks 3/8 chunks, 1,200/4,372 customers" or "write-back 3,000/35,984".
 */
function progressLine(kind: string, step: string | null, progress: Record<string, number> | null): string {
  const p = progress ?? {};
  const of = (done: number | undefined, total: number | undefined, what: string) =>
    total ? `${(done ?? 0).toLocaleString("en")}/${total.toLocaleString("en")} ${what}` : undefined;
  if (kind === "backfill") {
    const parts = [
      p.ordersStored !== undefined ? `${p.ordersStored.toLocaleString("en")} orders` : undefined,
      p.customersStored !== undefined ? `${p.customersStored.toLocaleString("en")} customers` : undefined,
    ];
    return `backfill: ${step ?? "starting"} ${parts.filter(Boolean).join(", ")}`.trim();
  }
  if (p.writebackTotal) return `write-back: ${of(p.writebackDone, p.writebackTotal, "tag changes")}`;
  const parts = [of(p.chunksDone, p.chunksTotal, "chunks"), of(p.customersDone, p.customersTotal, "customers")];
  return `recompute: ${step ?? "starting"} ${parts.filter(Boolean).join(", ")}`.trim();
}

/** The progress display: a line that is rewritten in a terminal, a new line per change otherwise. */
const display = {
  last: "",
  lastStep: "",
  show(line: string) {
    if (line === this.last) return;
    this.last = line;
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K[demo] ${line}`);
    else {
      // Not a terminal (a log, CI): one line per step, not per counter change.
      const step = line.split(/ \d/)[0];
      if (step !== this.lastStep) log(line);
      this.lastStep = step;
    }
  },
  done() {
    if (process.stderr.isTTY && this.last) process.stderr.write("\n");
    else if (this.last) log(this.last);
    this.last = "";
    this.lastStep = "";
  },
};

async function waitForRun(db: pg.Client, kind: string, since: Date, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  try {
    return await pollRun(db, kind, since, deadline, timeoutMs);
  } finally {
    display.done();
  }
}

async function pollRun(db: pg.Client, kind: string, since: Date, deadline: number, timeoutMs: number) {
  for (;;) {
    const { rows } = await db.query(
      `SELECT r.status, r.step, r.error, r.progress FROM "JobRun" r JOIN "Shop" s ON s.id = r."shopId"
       WHERE s.domain = $1 AND r.kind = $2 AND r."startedAt" >= $3 ORDER BY r."startedAt" DESC LIMIT 1`,
      [SHOP, kind, since],
    );
    const run = rows[0];
    if (run) display.show(progressLine(kind, run.step, run.progress));
    if (run?.status === "completed") return run;
    if (run?.status === "failed") throw new Error(`The ${kind} job failed at step ${run.step}: ${run.error}`);
    if (Date.now() > deadline) throw new Error(`The ${kind} job did not finish within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main() {
  log("preparing PostgreSQL, Redis and the database");
  const port = String(scriptEnv().PORT);
  const appUrl = `http://127.0.0.1:${port}`;
  const local = await prepareLocalEnvironment({
    database: "segments_demo",
    extraEnv: {
      LOCAL_PREVIEW_SHOP: SHOP,
      SEGMENTS_AS_OF: AS_OF,
      // Into .data/demo/*.log, not the terminal: info shows the queue backend and the jobs.
      LOG_LEVEL: scriptEnv().LOG_LEVEL ?? "info",
    },
  });
  const env = local.env;

  log("starting the store simulator with the Online Retail store");
  const simulatorOptions = {
    appSecret: env.SHOPIFY_API_SECRET!,
    // Shopify's standard plan: 100 points/s, a 2,000-point bucket.
    restoreRate: 100,
    bucketSize: 2_000,
    bulkLatencyMs: 200,
  };
  // Port 4010 as the README says; any free port when something else has it.
  const sim = await startSimulator({ ...simulatorOptions, port: SIMULATOR_PORT }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") throw error;
      return startSimulator({ ...simulatorOptions, port: 0 });
    },
  );
  const simulatorUrl = sim.url;
  env.SHOPIFY_ADMIN_API_ORIGIN = simulatorUrl;
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP", name: "Online Retail (UCI)" });
  const dataset = await sim.loadOnlineRetail(SHOP, DATASET);
  if (existsSync(TAGS_FILE)) restoreTags(sim, JSON.parse(readFileSync(TAGS_FILE, "utf8")));
  const tagsBefore = tagState(sim);
  sim.installApp(SHOP, {
    accessToken: ACCESS_TOKEN,
    scopes: appScopes(),
    webhookUrl: appUrl,
    subscriptions: appWebhookSubscriptions(),
  });
  // As `shopify app deploy` releases the app's Discount Function: segment discounts name it by handle.
  sim.registerAppFunction({
    handle: SEGMENT_DISCOUNT_FUNCTION_HANDLE,
    title: "Segment discount",
    description: "A discount for customers in chosen segments, with a hold-out group",
  });
  sim.resetCounters();

  let stack: RunningStack | undefined;
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    log("starting the worker and the web app");
    // Their logs go to files; the terminal shows the demo's own progress.
    stack = await startStack(local, { logDir: STATE_DIR });
    log(`worker and web logs: ${path.relative(process.cwd(), path.join(STATE_DIR, "worker.log"))}, web.log`);

    // What Shopify's OAuth leaves behind: an offline session; then the install
    // hook's job, which records the install and starts the backfill.
    await db.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken")
       VALUES ($1, $2, 'demo', false, $3, $4)
       ON CONFLICT (id) DO UPDATE SET scope = EXCLUDED.scope, "accessToken" = EXCLUDED."accessToken"`,
      [`offline_${SHOP}`, SHOP, appScopes().join(","), ACCESS_TOKEN],
    );
    const installStarted = new Date(Date.now() - 1000);
    const install = await fetch(`${appUrl}/preview/install`, { method: "POST" });
    if (!install.ok)
      throw new Error(`Could not start the install job (HTTP ${install.status}: ${await install.text()})`);

    await waitForRun(db, "backfill", installStarted, 300_000);
    const recompute = await waitForRun(db, "recompute", installStarted, 600_000);
    // Tag writes make Shopify send customers/update webhooks; let them land.
    await sim.webhooksIdle();

    const counts = await db.query(
      `SELECT
         (SELECT count(*)::int FROM "Customer" c WHERE c."shopId" = s.id AND c."deletedAt" IS NULL) AS customers,
         (SELECT count(*)::int FROM "Order" o WHERE o."shopId" = s.id) AS orders,
         (SELECT count(*)::int FROM "Order" o WHERE o."shopId" = s.id AND o."customerId" IS NULL) AS "guestOrders"
       FROM "Shop" s WHERE s.domain = $1`,
      [SHOP],
    );
    const segments = await db.query(
      `SELECT segment, count(*)::int AS n FROM "SegmentMembership" m JOIN "Shop" s ON s.id = m."shopId", unnest(m.segments) segment
       WHERE s.domain = $1 GROUP BY 1 ORDER BY 1`,
      [SHOP],
    );
    const tagsAfter = tagState(sim);
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(TAGS_FILE, JSON.stringify(tagsAfter));
    const changes = countTagChanges(tagsBefore, tagsAfter);
    const summary = {
      shop: SHOP,
      ...counts.rows[0],
      segments: Object.fromEntries(segments.rows.map((row) => [row.segment, row.n])),
      tagsAdded: changes.added,
      tagsRemoved: changes.removed,
      apiCalls: sim.callCounts(SHOP).requests,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    log(
      `dataset: ${dataset.orders} orders (${dataset.guestOrders} guest), ${dataset.customers} customers, ` +
        `${dataset.skippedRows} rows skipped ${JSON.stringify(dataset.skippedByReason)}; ` +
        `write-back: ${JSON.stringify(recompute.progress?.writeback ?? {})}`,
    );

    if (values.once) {
      console.log(JSON.stringify(summary));
      return;
    }
    log(`segments computed as of ${AS_OF.slice(0, 10)}: ${segments.rows.length} segments`);
    console.log(`\nDashboard: ${appUrl}/app   (Ctrl-C to stop)\nStore simulator: ${simulatorUrl}\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
  } finally {
    await db.end().catch(() => undefined);
    await stack?.stop();
    await sim.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
