// A minimal end-to-end harness (the pages' own; to be unified with
// tests/e2e/support): the app as `npm run demo` runs it (the worker and the
// Remix dev server, under the local preview session of the demo shop), on the
// test file's database and queue prefix, against a generated simulated store.
// The app installs itself into the store through its real jobs (backfill by
// bulk export, first recompute). Then Debian's Chromium, headless, drives it.
import { createServer } from "node:net";
import axe from "axe-core";
import pg from "pg";
import { chromium, type Browser, type Page } from "playwright-core";
import { startSimulator, type Simulator } from "../../simulator";
import { appScopes, appWebhookSubscriptions } from "../../scripts/lib/app-config";
import { startStack, type RunningStack } from "../../scripts/lib/stack";
import { childProcessEnv } from "../../app/config/env.server";

export const SHOP = "e2e-rules.myshopify.com";
const ACCESS_TOKEN = "shpat_e2e_rules_offline_token";
const AS_OF = "2026-01-01T00:00:00Z";
const CHROMIUM = "/usr/bin/chromium";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForRun(db: pg.Client, kind: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT r.status, r.step, r.error FROM "JobRun" r JOIN "Shop" s ON s.id = r."shopId"
       WHERE s.domain = $1 AND r.kind = $2 ORDER BY r."startedAt" DESC LIMIT 1`,
      [SHOP, kind],
    );
    if (rows[0]?.status === "completed") return;
    if (rows[0]?.status === "failed") throw new Error(`${kind} failed at ${rows[0].step}: ${rows[0].error}`);
    if (Date.now() > deadline) throw new Error(`${kind} did not finish within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface LocalApp {
  url: string;
  sim: Simulator;
  db: pg.Client;
  browser: Browser;
  /** A new page that records console errors (and failed requests) in `errors`. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Starts the simulator with a generated store, the app (worker + web), installs it and opens Chromium. */
export async function startLocalApp(
  store: { customers: number; orders: number },
  warmPaths: string[] = [],
): Promise<LocalApp> {
  const sim = await startSimulator({ appSecret: process.env.SHOPIFY_API_SECRET!, bulkLatencyMs: 50 });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP", name: "E2E store" });
  sim.generate(SHOP, {
    seed: 14,
    customers: store.customers,
    orders: store.orders,
    startDate: "2024-01-01",
    endDate: "2025-12-31",
    discountShare: 0.2,
    seasonality: 0.4,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  sim.installApp(SHOP, {
    accessToken: ACCESS_TOKEN,
    scopes: appScopes(),
    webhookUrl: url,
    subscriptions: appWebhookSubscriptions(),
  });
  const env = childProcessEnv({
    NODE_ENV: "development",
    PORT: String(port),
    // Its own HMR socket port: another dev server on this machine may hold the default one.
    HMR_PORT: String(await freePort()),
    SHOPIFY_APP_URL: url,
    SHOPIFY_ADMIN_API_ORIGIN: sim.url,
    LOCAL_PREVIEW_SHOP: SHOP,
    SEGMENTS_AS_OF: AS_OF,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_BACKEND: "redis",
    LOG_LEVEL: "warn",
    // One worker process: the machine's cores are shared.
    WORKER_PROCESSES: "1",
  });
  let stack: RunningStack | undefined;
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  let browser: Browser | undefined;
  try {
    await db.connect();
    stack = await startStack({
      env,
      services: { postgresUrl: "", postgres: "running", redis: "running", stop: async () => undefined },
    });
    await db.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, 'e2e', false, $3, $4)`,
      [`offline_${SHOP}`, SHOP, appScopes().join(","), ACCESS_TOKEN],
    );
    const install = await fetch(`${url}/preview/install`, { method: "POST" });
    if (!install.ok) throw new Error(`install: HTTP ${install.status} ${await install.text()}`);
    await waitForRun(db, "backfill", 240_000);
    await waitForRun(db, "recompute", 240_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
    // Warm-up: the dev server compiles the pages and optimizes dependencies on the first visit (and reloads the
    // page once when it finds new ones); the tests then measure and drive warm pages.
    const warm = await browser.newPage();
    for (const path of warmPaths) {
      await warm.goto(`${url}${path}`, { waitUntil: "networkidle", timeout: 180_000 });
      await warm.waitForTimeout(1_000);
      await warm.reload({ waitUntil: "networkidle", timeout: 180_000 });
    }
    await warm.close();
  } catch (error) {
    await browser?.close();
    await stack?.stop();
    await db.end().catch(() => undefined);
    await sim.close();
    throw error;
  }
  const running = browser;
  return {
    url,
    sim,
    db,
    browser: running,
    async newPage() {
      const page = await running.newPage({ viewport: { width: 1280, height: 1000 } });
      // The root document links Shopify's Inter font on cdn.shopify.com, which Shopify admin users reach; this
      // machine has no internet, so the stylesheet is answered empty instead of failing in the console.
      await page.route("https://cdn.shopify.com/**", (route) =>
        route.fulfill({ status: 200, contentType: "text/css", body: "" }),
      );
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      return { page, errors };
    },
    async close() {
      await running.close();
      await stack?.stop();
      await db.end().catch(() => undefined);
      await sim.close();
    },
  };
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      nodes: (v.nodes as { target: string[] }[]).slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return results
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.join(", ")}`);
}
