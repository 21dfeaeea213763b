// Webhook route throughput and latency under a loopback load: the production
// build of the app (remix vite:build, served by `npm start`'s server) answering signed
// orders/create deliveries, each with its own event id, while Redis receives
// the jobs (no worker runs: the route's own cost is measured). The server runs
// as in production: server/cluster.mjs, one process per core. Bounded in
// requests and time. Run alone: `npx tsx bench/webhooks.ts [requests] [warmup]`.
//
// Method: the freshly started server first answers `warmup` deliveries (3,000
// by default; distinct, signed like the others) that are not counted in
// `requests, rps, p50Ms, p99Ms`: those describe the steady state, measured
// over the following `requests` deliveries. The warm-up's own figures are
// reported as `coldRps, coldP50Ms, coldP99Ms, coldNon2xx` (a cold JIT: the
// first seconds of a new server run at about half the steady rate). `rps` is
// requests / elapsed seconds of that run (from starting the load, connecting
// included, to the last answer): exact, not autocannon's mean of per-second
// counts (which can only be requests / whole seconds: 1,000, 909, 833...).
// Every 2xx answer, warm-up included, must have left exactly one job in the
// queue.
//
// The floor (issue 18), measured in the same run just before the app starts:
// bench/webhook-floor-server.ts, bare node:http + the HMAC check + one BullMQ
// add on the same Redis, one process per core, given the same warm-up and
// the same measured load. `floorRps` is its steady rate; `floorRatio` is
// rps / floorRps.
import { spawn, execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import autocannon from "autocannon";
import { applyMigrations } from "../scripts/migrate";
import { deleteRedisPrefix, ensureDatabase } from "../scripts/services";
import { createQueue } from "../app/queues/backend.server";
import { QUEUE } from "../app/queues/names";
import { runAlone } from "./run-alone";
import { childProcessEnv, scriptEnv } from "../app/config/env.server";

export interface WebhookBenchResult {
  /** The measured (steady-state) run, after the warm-up. */
  requests: number;
  /** requests / elapsed seconds of the measured run. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Deliveries answered before the measured run, not counted above. */
  warmupRequests: number;
  /** The warm-up's figures: a freshly started server (cold JIT). */
  coldRps: number;
  coldP50Ms: number;
  coldP99Ms: number;
  coldNon2xx: number;
  /** The bare floor's steady rate and p99, measured in the same run. */
  floorRps: number;
  floorP99Ms: number;
  /** rps / floorRps. */
  floorRatio: number;
  /** Load average (1 min) at the start and the end: the machine is shared. */
  loadAverage: number[];
}

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
}

/**
 * Sends every delivery once over `connections` keep-alive connections. The
 * elapsed time runs from starting the load to the last answer: autocannon's own
 * `duration` only ends at its next one-second sampling tick after the last
 * answer, and its `requests.average` is the mean of whole-second counts.
 */
async function load(
  url: string,
  deliveries: Delivery[],
  connections: number,
  extra: () => Delivery,
): Promise<LoadResult> {
  let i = 0;
  let lastAnswerAt = 0;
  const startedAt = performance.now();
  const instance = autocannon({
    url,
    connections,
    amount: deliveries.length,
    duration: 60, // an upper bound; `amount` ends the run first
    requests: [
      {
        method: "POST",
        setupRequest: (request: any) => {
          // `extra` only if autocannon asked for more than its amount (each
          // client builds exactly its share, so this is a safeguard).
          const { body, headers } = deliveries[i++] ?? extra();
          return { ...request, body, headers };
        },
      },
    ],
  });
  instance.on("response", () => {
    lastAnswerAt = performance.now();
  });
  const result = await instance;
  if (result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${result.errors} request errors, ${result.timeouts} timeouts`);
  }
  const requests = result.requests.total;
  return {
    requests,
    rps: Math.round(requests / ((lastAnswerAt - startedAt) / 1000)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
  };
}

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const SECRET = "bench-webhook-secret";
const SHOP = "bench-webhooks.myshopify.com";
const PORT = 3917;
const FLOOR_PORT = 3918;
const REDIS_URL = "redis://127.0.0.1:6379";

function payload(i: number): string {
  return JSON.stringify({
    id: 6_000_000_000 + i,
    admin_graphql_api_id: `gid://shopify/Order/${6_000_000_000 + i}`,
    created_at: "2026-11-01T10:00:00Z",
    processed_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-01T10:00:00Z",
    cancelled_at: null,
    currency: "GBP",
    total_price: "42.50",
    current_total_price: "42.50",
    subtotal_price: "38.00",
    total_discounts: "0.00",
    discount_codes: [],
    source_name: "web",
    landing_site: "/?utm_source=newsletter&utm_medium=email",
    referring_site: "https://www.google.com/",
    email: "someone@example.com",
    customer: { id: 7_000_000_000 + (i % 5000), email: "someone@example.com", first_name: "A", last_name: "B" },
    line_items: [
      { id: 1, product_id: 8_000_000_001, quantity: 2, price: "12.00", title: "Mug" },
      { id: 2, product_id: 8_000_000_002, quantity: 1, price: "14.00", title: "Tea" },
    ],
    shipping_lines: [{ title: "Standard", code: "STD", price: "4.50" }],
    refunds: [],
  });
}

/** The floor server, measured like the app: `warmup` deliveries, then `requests` measured. */
async function measureFloor(
  deliveries: Delivery[],
  warmup: number,
  connections: number,
  extra: () => Delivery,
): Promise<LoadResult> {
  const prefix = `benchwhfloor${Date.now()}`;
  const floor = spawn(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "webhook-floor-server.ts")],
    {
      cwd: ROOT,
      env: childProcessEnv({
        BENCH_FLOOR_SERVER: JSON.stringify({ port: FLOOR_PORT, secret: SECRET, prefix, redisUrl: REDIS_URL }),
      }),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      floor.stdout!.on("data", (d: Buffer) => d.toString().includes("listening") && resolve());
      floor.on("exit", (code) => reject(new Error(`the floor server exited with code ${code}`)));
    });
    const target = `http://127.0.0.1:${FLOOR_PORT}/webhooks/orders/create`;
    const cold = warmup > 0 ? await load(target, deliveries.slice(0, warmup), connections, extra) : undefined;
    const measured = await load(target, deliveries.slice(warmup), connections, extra);
    const queue = createQueue({ kind: "redis", url: REDIS_URL, prefix }, QUEUE.webhooks);
    const queued = await queue.count();
    await queue.close();
    const ok = (cold?.ok ?? 0) + measured.ok;
    if (queued !== ok) throw new Error(`floor: ${ok} deliveries answered 2xx but ${queued} jobs were queued`);
    return measured;
  } finally {
    floor.kill("SIGTERM");
    await deleteRedisPrefix(prefix);
  }
}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("the app did not start");
}

export async function benchWebhooks(
  opts: { requests?: number; warmup?: number; connections?: number } = {},
): Promise<WebhookBenchResult> {
  const requests = opts.requests ?? 10_000;
  const warmup = opts.warmup ?? 3_000;
  const connections = opts.connections ?? 20;
  const database = "segments_bench_webhooks";
  await ensureDatabase(SERVER, database);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`TRUNCATE "WebhookEvent", "Shop", "Session" CASCADE`);
  await client.query(`INSERT INTO "Shop" (id, domain, status, "updatedAt") VALUES ('bench', $1, 'installed', now())`, [
    SHOP,
  ]);
  // An installed shop has the offline session OAuth stored (an expiring
  // token, as the app requests): authenticate.webhook loads it and builds the
  // admin context for every delivery, as in production.
  await client.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, expires, "accessToken", "refreshToken", "refreshTokenExpires")
     VALUES ($1, $2, '', false, 'read_orders,read_customers', now() + interval '1 hour', 'shpat_bench', 'shprt_bench', now() + interval '30 days')`,
    [`offline_${SHOP}`, SHOP],
  );

  execFileSync(path.join(ROOT, "node_modules/.bin/remix"), ["vite:build"], { cwd: ROOT, stdio: "ignore" });
  const loadAverage = [os.loadavg()[0]];
  // Each delivery has its own payload, signature and ids, made before the run
  // so that signing them does not take CPU from the server under measurement.
  const delivery = (n: number): Delivery => {
    const body = payload(n);
    return {
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
        "x-shopify-shop-domain": SHOP,
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-event-id": randomUUID(),
        "x-shopify-api-version": "2026-04",
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    };
  };
  let next = 2 * (warmup + requests);
  const extra = () => delivery(next++);
  const floor = await measureFloor(
    Array.from({ length: warmup + requests }, (_, n) => delivery(warmup + requests + n)),
    warmup,
    connections,
    extra,
  );
  const all = Array.from({ length: warmup + requests }, (_, n) => delivery(n));
  const prefix = `benchwh${Date.now()}`;
  const app = spawn(process.execPath, ["server/cluster.mjs", "build/server/index.js"], {
    cwd: ROOT,
    env: childProcessEnv({
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${PORT}`,
      QUEUE_PREFIX: prefix,
      REDIS_URL,
      LOG_LEVEL: "warn",
      // Production requires the operator credentials (unused by the benchmark).
      METRICS_TOKEN: "bench-metrics-token-0000",
      OPS_USERNAME: "bench",
      OPS_PASSWORD: "bench-password-0000",
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForHealth(base, app);
    const target = `${base}/webhooks/orders/create`;
    const cold = warmup > 0 ? await load(target, all.slice(0, warmup), connections, extra) : undefined;
    const measured = await load(target, all.slice(warmup), connections, extra);
    // Every 2xx answer, warm-up included, left exactly one job in the queue.
    const queue = createQueue({ kind: "redis", url: REDIS_URL, prefix }, QUEUE.webhooks);
    const queued = await queue.count();
    await queue.close();
    const ok = (cold?.ok ?? 0) + measured.ok;
    if (queued !== ok) {
      throw new Error(`${ok} deliveries answered 2xx but ${queued} jobs were queued`);
    }
    return {
      requests: measured.requests,
      rps: measured.rps,
      p50Ms: measured.p50Ms,
      p99Ms: measured.p99Ms,
      non2xx: measured.non2xx,
      warmupRequests: cold?.requests ?? 0,
      coldRps: cold?.rps ?? 0,
      coldP50Ms: cold?.p50Ms ?? 0,
      coldP99Ms: cold?.p99Ms ?? 0,
      coldNon2xx: cold?.non2xx ?? 0,
      floorRps: floor.rps,
      floorP99Ms: floor.p99Ms,
      floorRatio: Number((measured.rps / floor.rps).toFixed(2)),
      loadAverage: [...loadAverage, os.loadavg()[0]].map((l) => Number(l.toFixed(1))),
    };
  } finally {
    app.kill("SIGTERM");
    await client.end();
    await deleteRedisPrefix(prefix);
  }
}

runAlone(import.meta.url, ([requests, warmup]) => benchWebhooks({ requests, warmup }));
