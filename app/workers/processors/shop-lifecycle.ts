import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { PrismaClient } from "@prisma/client";
import type { ShopLifecycleJob } from "../../queues/shop-lifecycle.server";
import type { QueueRegistry } from "../../queues/registry.server";
import { enqueueBackfill } from "../../queues/sync.server";
import { recordInstall } from "../../services/shop-install.server";

/** Processes the shop-lifecycle queue; thin: the work is in services. */
export function shopLifecycleProcessor(deps: { db: PrismaClient; registry: QueueRegistry }) {
  return async (job: Job<ShopLifecycleJob["data"]>) => {
    switch (job.name) {
      case "shop.installed": {
        const { shop, scopes, installedAt } = job.data;
        const result = await recordInstall(deps.db, { shop, scopes, installedAt: new Date(installedAt) });
        // The order history comes next; the backfill hands over to segmentation.
        await enqueueBackfill(deps.registry, shop);
        return result;
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on shop-lifecycle`);
    }
  };
}
