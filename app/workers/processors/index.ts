import type { PrismaClient } from "@prisma/client";
import { QUEUE } from "../../queues/names";
import type { QueueRegistry } from "../../queues/registry.server";
import { scheduleReconcile, unscheduleReconcile } from "../../queues/sync.server";
import {
  enqueueCustomerResegment,
  enqueueShopRecompute,
  scheduleNightlyRecompute,
  unscheduleNightlyRecompute,
} from "../../queues/segments.server";
import type { AdminApi } from "../../shopify/admin-api.server";
import type { ProcessorMap } from "../runtime.server";
import { shopLifecycleProcessor } from "./shop-lifecycle";
import { segmentsProcessor } from "./segments";
import { shopSyncProcessor } from "./shop-sync";
import { webhooksProcessor } from "./webhooks";

export interface ProcessorDeps {
  db: PrismaClient;
  /** Producer side, for jobs that enqueue other jobs. */
  registry: QueueRegistry;
  adminApi(shop: string): Promise<AdminApi>;
  pollIntervalMs?: number;
}

/** Every queue's processor. A queue without an entry here would never be processed. */
export function buildProcessors(deps: ProcessorDeps): ProcessorMap {
  const { db, registry } = deps;
  // A stored order change re-segments its customer within seconds (debounced per customer).
  const customersChanged = async (shop: string, customerIds: string[]) => {
    for (const customerId of customerIds) await enqueueCustomerResegment(registry, { shop, customerId });
  };
  return {
    [QUEUE.shopLifecycle]: shopLifecycleProcessor({ db, registry }),
    [QUEUE.segments]: segmentsProcessor({ db, registry, adminApi: deps.adminApi }),
    [QUEUE.shopSync]: shopSyncProcessor({
      db,
      adminApi: deps.adminApi,
      pollIntervalMs: deps.pollIntervalMs,
      customersChanged,
      // The history is in: segment the shop, then keep it current and reconciled.
      backfillFinished: async (shop) => {
        await enqueueShopRecompute(registry, { shop, reason: "backfill" });
        const row = await db.shop.findUnique({ where: { domain: shop }, select: { timezone: true } });
        await scheduleNightlyRecompute(registry, shop, { timeZone: row?.timezone });
        await scheduleReconcile(registry, shop);
      },
    }),
    [QUEUE.webhooks]: webhooksProcessor(db, {
      adminApi: deps.adminApi,
      customersChanged,
      shopUninstalled: async (shop) => {
        await unscheduleReconcile(registry, shop);
        await unscheduleNightlyRecompute(registry, shop);
      },
    }),
  };
}
