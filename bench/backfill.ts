// Install backfill: a generated store's orders exported by bulk operation
// from the simulator and streamed into PostgreSQL. Run alone:
// `npx tsx bench/backfill.ts [orders]`.
import { startSimulator } from "../simulator";
import { createPrismaClient } from "../app/db.server";
import { AdminApi } from "../app/shopify/admin-api.server";
import { backfillShop } from "../app/ingest/backfill.server";
import { connectPg } from "../app/stores/pg/pool.server";
import { freshDatabase } from "../scripts/services";
import { appScopes } from "../scripts/lib/app-config";
import { runAlone } from "./run-alone";
import { scriptEnv } from "../app/config/env.server";

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";

export interface BackfillBenchResult {
  orders: number;
  ms: number;
  ordersPerSecond: number;
  customers: number;
  /** Lines of the orders export (orders, line items, shipping lines), staged in PostgreSQL. */
  linesRead: number;
  /** Resident memory of the process (simulator included) before and at most during the backfill. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export async function benchBackfill(opts: { orders?: number } = {}): Promise<BackfillBenchResult> {
  const orders = opts.orders ?? 200_000;
  const database = "segments_bench_backfill";
  const url = await freshDatabase(SERVER, database);
  const db = createPrismaClient(url);
  const sim = await startSimulator({
    appSecret: "bench",
    restoreRate: 1_000_000,
    bucketSize: 10_000_000,
    bulkLatencyMs: 0,
  });
  try {
    const domain = "bench-backfill.myshopify.com";
    sim.createShop(domain, { timezone: "UTC", currency: "USD" });
    sim.installApp(domain, { accessToken: "shpat_bench", scopes: appScopes(), webhookUrl: "http://127.0.0.1:9" });
    sim.generate(domain, {
      seed: 1,
      customers: Math.round(orders / 5),
      orders,
      startDate: "2022-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.5,
    });
    const shop = await db.shop.create({ data: { domain, status: "installed" } });
    const api = new AdminApi({ shop: domain, accessToken: "shpat_bench", origin: sim.url });
    const start = performance.now();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
    const { progress } = await backfillShop(db, api, shop, undefined, {
      pollIntervalMs: 20,
      // The export is staged in the benchmark's database, not the environment's.
      withPg: async (fn) => {
        const client = await connectPg(url.toString());
        try {
          return await fn(client);
        } finally {
          await client.end();
        }
      },
    });
    clearInterval(sampler);
    const ms = performance.now() - start;
    return {
      orders: progress.ordersStored,
      ms: Math.round(ms),
      ordersPerSecond: Math.round(progress.ordersStored / (ms / 1000)),
      customers: progress.customersStored,
      linesRead: progress.linesRead,
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      rssPeakMb: Math.round(rssPeak / 2 ** 20),
    };
  } finally {
    await sim.close();
    await db.$disconnect();
  }
}

runAlone(import.meta.url, ([orders]) => benchBackfill({ orders }));
