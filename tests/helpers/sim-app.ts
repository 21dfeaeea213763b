import path from "node:path";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../simulator";
import prisma from "../../app/db.server";
import { recordInstallation } from "../../app/ingest/install.server";
import { toMinor } from "../../app/utils/money";
import { AdminApi, type AdminResult } from "../../app/shopify/admin-api.server";
import { TRUTH_ORDERS } from "../../app/graphql/admin/test-support.server";
import type { QueueBackend } from "../../app/queues/backend.server";
import { QueueRegistry } from "../../app/queues/registry.server";
import { buildProcessors } from "../../app/workers/processors";
import { startWorkers, type WorkerRuntime } from "../../app/workers/runtime.server";
import { logger } from "../../app/utils/logger.server";

export const APP_SECRET = process.env.SHOPIFY_API_SECRET ?? "testApiSecretKey";
export const ONLINE_RETAIL = path.resolve("data/online-retail/online_retail.csv.gz");

/**
 * A simulated store with the app installed: its offline token and the Shop
 * row in our database, recorded by the app's install service, so the shop's
 * time zone and currency come from the simulated shop as they would from
 * Shopify (never written by the test). `idBase` shifts every id the shop
 * shows (ids above 2^53).
 */
export async function simulatedStore(options: {
  domain: string;
  simulator?: Partial<SimulatorOptions>;
  webhookUrl?: string;
  subscriptions?: Array<{ topic: string; uri: string }>;
  timezone?: string;
  currency?: string;
  /** Access scopes granted (default: what the sync and write-back need). */
  scopes?: string[];
  idBase?: bigint;
}): Promise<{ sim: Simulator; domain: string; accessToken: string; shopId: string; api: () => AdminApi }> {
  const sim = await startSimulator({ appSecret: APP_SECRET, ...options.simulator });
  const accessToken = `shpat_${options.domain.replace(/\W/g, "")}`;
  sim.createShop(
    options.domain,
    { timezone: options.timezone ?? "Europe/London", currency: (options.currency ?? "GBP") as never },
    options.idBase !== undefined ? { idBase: options.idBase } : {},
  );
  sim.installApp(options.domain, {
    accessToken,
    scopes: options.scopes ?? ["read_orders", "read_all_orders", "read_customers", "write_customers"],
    webhookUrl: options.webhookUrl ?? "http://127.0.0.1:9",
    subscriptions: options.subscriptions,
  });
  const api = () => new AdminApi({ shop: options.domain, accessToken, origin: sim.url, logger });
  const { shopId } = await recordInstallation(prisma, api(), {
    shop: options.domain,
    scopes: "read_orders,read_all_orders,read_customers,write_customers",
    installedAt: new Date(),
  });
  return { sim, domain: options.domain, accessToken, shopId, api };
}

/** The app's worker in this process, on `backend`, talking to the simulator. */
export function startAppWorkers(
  backend: QueueBackend,
  store: { sim: Simulator; accessToken: string },
  queues?: string[],
  /**
   * How often the workers look for jobs whose lock expired (BullMQ's 30 s by
   * default): a test that kills a worker lets its successor find the dead
   * worker's jobs sooner. Only expired locks count, so a live job is never taken.
   */
  stalledInterval?: number,
): { runtime: WorkerRuntime; registry: QueueRegistry; close(): Promise<void> } {
  const registry = new QueueRegistry(backend);
  const all = buildProcessors({
    db: prisma,
    queues: registry,
    adminApi: async (shop) => new AdminApi({ shop, accessToken: store.accessToken, origin: store.sim.url, logger }),
    pollIntervalMs: 50,
  });
  const processors = queues ? Object.fromEntries(queues.map((name) => [name, all[name]])) : all;
  const runtime = startWorkers({
    backend,
    processors,
    concurrency: 4,
    logger,
    // BullMQ's default 30 s lock: these in-process workers are never killed, and a
    // short lock lets a chunk that holds the CPU on a loaded 2-core machine be
    // taken as stalled and run twice. Kill tests use tests/fixtures/sync-worker.ts,
    // whose child processes keep a 4 s lock so that recovery is quick.
    ...(stalledInterval ? { workerOptions: { stalledInterval } } : {}),
  });
  return {
    runtime,
    registry,
    async close() {
      await runtime.close();
      await registry.close();
    },
  };
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The simulator's orders as Shopify's API reports them, read page by page
 * through plain GraphQL (independent of the app's bulk path): the truth a
 * sync is compared with.
 */
export interface TruthOrder {
  customerId: string | null;
  totalMinor: number;
  cancelled: boolean;
}

export async function simulatorOrders(api: AdminApi): Promise<Map<string, TruthOrder>> {
  const orders = new Map<string, TruthOrder>();
  let after: string | null = null;
  do {
    const page: AdminResult<typeof TRUTH_ORDERS> = await api.request(TRUTH_ORDERS, { after });
    for (const node of page.orders.nodes) {
      orders.set(node.id.split("/").pop()!, {
        customerId: node.customer ? node.customer.id.split("/").pop()! : null,
        totalMinor: toMinor(
          node.currentTotalPriceSet.shopMoney.amount,
          node.currentTotalPriceSet.shopMoney.currencyCode,
        ),
        cancelled: node.cancelledAt != null,
      });
    }
    after = page.orders.pageInfo.hasNextPage ? (page.orders.pageInfo.endCursor ?? null) : null;
  } while (after);
  return orders;
}

/** The same figures from the app's database. */
export async function storedOrders(shopId: string): Promise<Map<string, TruthOrder>> {
  const rows = await prisma.order.findMany({
    where: { shopId },
    select: { id: true, customerId: true, totalMinor: true, cancelledAt: true },
  });
  return new Map(
    rows.map((row) => [
      String(row.id),
      {
        customerId: row.customerId === null ? null : String(row.customerId),
        totalMinor: Number(row.totalMinor),
        cancelled: row.cancelledAt !== null,
      },
    ]),
  );
}
