// Write-back of a full recompute to the simulated store (Shopify's standard
// bucket: 2,000 points, 100/s): tag differences (bulk above 2,000 changed
// customers) and metafields, then the same again on unchanged data (nothing to
// send). Run alone: `npx tsx bench/writeback.ts [customers]`.
import pg from "pg";
import { startSimulator } from "../simulator";
import { createPrismaClient } from "../app/db.server";
import { AdminApi } from "../app/shopify/admin-api.server";
import { backfillShop } from "../app/ingest/backfill.server";
import { processChunk } from "../app/recompute/chunk.server";
import { fitShopStep } from "../app/recompute/fit.server";
import { computeTagChanges } from "../app/writeback/tag-changes.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { writeTagChanges } from "../app/writeback/tags.server";
import { writePendingMetafields } from "../app/writeback/metafields.server";
import { freshDatabase } from "../scripts/services";
import { appScopes } from "../scripts/lib/app-config";
import { runAlone } from "./run-alone";
import { scriptEnv } from "../app/config/env.server";

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const AS_OF = new Date("2026-01-01T00:00:00Z");

export interface WritebackBenchResult {
  changedCustomers: number;
  apiCalls: number;
  bulkOperations: number;
  ms: number;
  metafields: { customers: number; apiCalls: number; bulkOperations: number; ms: number };
  unchanged: { changedCustomers: number; apiCalls: number; mutations: number };
}

export async function benchWriteback(opts: { customers?: number } = {}): Promise<WritebackBenchResult> {
  const customers = opts.customers ?? 20_000;
  const database = "segments_bench_writeback";
  const url = await freshDatabase(SERVER, database);
  const db = createPrismaClient(url);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const sim = await startSimulator({ appSecret: "bench", bulkLatencyMs: 0, tagWritesSendCustomerUpdate: false });
  try {
    const domain = "bench-writeback.myshopify.com";
    sim.createShop(domain, { timezone: "UTC", currency: "USD" });
    sim.installApp(domain, { accessToken: "shpat_bench", scopes: appScopes(), webhookUrl: "http://127.0.0.1:9" });
    sim.generate(domain, {
      seed: 2,
      customers,
      orders: customers * 5,
      startDate: "2023-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.5,
    });
    const shop = await db.shop.create({ data: { domain, status: "installed", timezone: "UTC" } });
    const api = new AdminApi({ shop: domain, accessToken: "shpat_bench", origin: sim.url });
    await backfillShop(db, api, shop, undefined, { pollIntervalMs: 20 });
    const config = shopConfigFrom(await db.shop.findUniqueOrThrow({ where: { id: shop.id } }));

    const recompute = async () => {
      const fit = await fitShopStep(client, config, AS_OF);
      for (const range of fit.ranges)
        await processChunk(client, {
          config,
          cutoffs: fit.cutoffs,
          asOf: AS_OF,
          range,
          recordTransitions: !fit.firstRun,
        });
    };
    await recompute();
    sim.resetCounters();
    const t0 = performance.now();
    const tags = await writeTagChanges(api, client, shop.id, await computeTagChanges(client, config));
    const t1 = performance.now();
    const metafields = await writePendingMetafields(api, client, shop.id);
    const t2 = performance.now();

    await recompute();
    sim.resetCounters();
    const again = await writeTagChanges(api, client, shop.id, await computeTagChanges(client, config));
    const againMetafields = await writePendingMetafields(api, client, shop.id);
    const counts = sim.callCounts(domain);
    return {
      changedCustomers: tags.changedCustomers,
      apiCalls: tags.apiCalls,
      bulkOperations: tags.bulkOperations,
      ms: Math.round(t1 - t0),
      metafields: {
        customers: metafields.customers,
        apiCalls: metafields.apiCalls,
        bulkOperations: metafields.bulkOperations,
        ms: Math.round(t2 - t1),
      },
      unchanged: {
        changedCustomers: again.changedCustomers + againMetafields.customers,
        apiCalls: again.apiCalls + againMetafields.apiCalls,
        mutations: Object.values(counts.mutations).reduce((a, b) => a + b, 0) + counts.bulkOperations.mutation,
      },
    };
  } finally {
    await sim.close();
    await client.end();
    await db.$disconnect();
  }
}

runAlone(import.meta.url, ([customers]) => benchWriteback({ customers }));
