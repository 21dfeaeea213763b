import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { PrismaClient } from "@prisma/client";
import type { ShopLifecycleJob } from "../../queues/shop-lifecycle.server";
import { recordInstall } from "../../services/shop-install.server";

/** Processes the shop-lifecycle queue; thin: the work is in services. */
export function shopLifecycleProcessor(db: PrismaClient) {
  return async (job: Job<ShopLifecycleJob["data"]>) => {
    switch (job.name) {
      case "shop.installed": {
        const { shop, scopes, installedAt } = job.data;
        const result = await recordInstall(db, { shop, scopes, installedAt: new Date(installedAt) });
        return result;
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on shop-lifecycle`);
    }
  };
}
