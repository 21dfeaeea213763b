// Webhook route throughput and latency under a loopback load: the production
// build of the app (remix vite:build, served by `npm start`'s server) answering signed
// orders/create deliveries, each with its own event id, while Redis receives
// the jobs (no worker runs: the route's own cost is measured). The server runs
// as in production: server/cluster.mjs, one process per core. Bounded in
// requests and time. Run alone: `npx tsx bench/webhooks.ts [requests]`.
import { spawn, execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import autocannon from "autocannon";
import { applyMigrations } from "../scripts/migrate";
import { deleteRedisPrefix, ensureDatabase } from "../scripts/services";
import { createQueue } from "../app/queues/backend.server";
import { QUEUE } from "../app/queues/names";
import { runAlone } from "./run-alone";

export interface WebhookBenchResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const SECRET = "bench-webhook-secret";
const SHOP = "bench-webhooks.myshopify.com";
const PORT = 3917;

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

export async function benchWebhooks(opts: { requests?: number; connections?: number } = {}): Promise<WebhookBenchResult> {
  const requests = opts.requests ?? 10_000;
  const database = "segments_bench_webhooks";
  await ensureDatabase(SERVER, database);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`TRUNCATE "WebhookEvent", "Shop", "Session" CASCADE`);
  await client.query(`INSERT INTO "Shop" (id, domain, status, "updatedAt") VALUES ('bench', $1, 'installed', now())`, [SHOP]);
  // An installed shop has the offline session OAuth stored (an expiring
  // token, as the app requests): authenticate.webhook loads it and builds the
  // admin context for every delivery, as in production.
  await client.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, expires, "accessToken", "refreshToken", "refreshTokenExpires")
     VALUES ($1, $2, '', false, 'read_orders,read_customers', now() + interval '1 hour', 'shpat_bench', 'shprt_bench', now() + interval '30 days')`,
    [`offline_${SHOP}`, SHOP],
  );

  execFileSync(path.join(ROOT, "node_modules/.bin/remix"), ["vite:build"], { cwd: ROOT, stdio: "ignore" });
  const prefix = `benchwh${Date.now()}`;
  const app = spawn(process.execPath, ["server/cluster.mjs", "build/server/index.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${PORT}`,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  try {
    await waitForHealth(base, app);
    // Each delivery has its own payload, signature and ids, made before the run
    // so that signing them does not take CPU from the app under measurement.
    const delivery = (n: number) => {
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
    const deliveries = Array.from({ length: requests }, (_, n) => delivery(n));
    let i = 0;
    const result = await autocannon({
      url: `${base}/webhooks/orders/create`,
      connections: opts.connections ?? 20,
      amount: requests,
      duration: 60, // an upper bound; `amount` ends the run first
      requests: [
        {
          method: "POST",
          setupRequest: (request: any) => {
            const { body, headers } = deliveries[i] ?? delivery(i);
            i++;
            return { ...request, body, headers };
          },
        },
      ],
    });
    // Every 2xx answer left exactly one job in the queue.
    const queue = createQueue({ kind: "redis", url: "redis://127.0.0.1:6379", prefix }, QUEUE.webhooks);
    const queued = await queue.count();
    await queue.close();
    if (queued !== result["2xx"]) {
      throw new Error(`${result["2xx"]} deliveries answered 2xx but ${queued} jobs were queued`);
    }
    return {
      requests: result.requests.total,
      rps: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
    };
  } finally {
    app.kill("SIGTERM");
    await client.end();
    await deleteRedisPrefix(prefix);
  }
}

runAlone(import.meta.url, ([requests]) => benchWebhooks({ requests }));
