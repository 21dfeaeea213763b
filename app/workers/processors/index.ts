import type { PrismaClient } from "@prisma/client";
import { QUEUE } from "../../queues/names";
import type { QueueRegistry } from "../../queues/registry.server";
import { scheduleReconcile, unscheduleReconcile } from "../../queues/sync.server";
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
  const customersChanged = async (_shop: string, _customerIds: string[]) => {
    // Wired to per-customer re-segmentation by the segments queue.
  };
  return {
    [QUEUE.shopLifecycle]: shopLifecycleProcessor({ db, registry }),
    [QUEUE.segments]: segmentsProcessor({ db, registry, adminApi: deps.adminApi }),
    [QUEUE.shopSync]: shopSyncProcessor({
      db,
      adminApi: deps.adminApi,
      pollIntervalMs: deps.pollIntervalMs,
      customersChanged,
      backfillFinished: async (shop) => {
        await scheduleReconcile(registry, shop);
      },
    }),
    [QUEUE.webhooks]: webhooksProcessor(db, {
      adminApi: deps.adminApi,
      customersChanged,
      shopUninstalled: (shop) => unscheduleReconcile(registry, shop),
    }),
  };
}
