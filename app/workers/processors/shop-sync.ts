import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { PrismaClient } from "@prisma/client";
import type { SyncJob } from "../../queues/sync.server";
import type { AdminApi } from "../../shopify/admin-api.server";
import { backfillShop, reconcileShopRun } from "../../services/sync-runs.server";
import { findShop } from "../../services/shops.server";

export interface ShopSyncDeps {
  db: PrismaClient;
  adminApi(shop: string): Promise<AdminApi>;
  /** After a backfill: hand over to segmentation and start reconciling. */
  backfillFinished(shop: string): Promise<void>;
  customersChanged(shop: string, customerIds: string[]): Promise<void>;
  pollIntervalMs?: number;
}

export function shopSyncProcessor(deps: ShopSyncDeps) {
  return async (job: Job<SyncJob>) => {
    const shop = await findShop(deps.db, job.data.shop);
    if (!shop || shop.status !== "installed") {
      throw new UnrecoverableError(`${job.data.shop} is not installed`);
    }
    const api = await deps.adminApi(shop.domain);
    switch (job.name) {
      case "backfill.run": {
        const { progress } = await backfillShop(deps.db, api, shop, job.data.runId, {
          pollIntervalMs: deps.pollIntervalMs,
          // Remember the run so a retry after a crash resumes it.
          onRun: async (runId) => {
            if (job.data.runId !== runId) await job.updateData({ ...job.data, runId });
          },
        });
        await deps.backfillFinished(shop.domain);
        return { ordersStored: progress.ordersStored, customersStored: progress.customersStored };
      }
      case "reconcile.run": {
        const result = await reconcileShopRun(deps.db, api, shop);
        if (result.customersTouched.length) await deps.customersChanged(shop.domain, result.customersTouched);
        return { repaired: result.repaired, ordersChecked: result.ordersChecked };
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on shop-sync`);
    }
  };
}
