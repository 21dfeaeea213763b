import type { Job } from "bullmq";
import { installShop } from "../../ingest/install.server";
import type { PipelineContext } from "../../pipeline";
import type { ShopLifecycleJob } from "../../queues/shop-lifecycle.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The shop-lifecycle queue: installs (the backfill follows). */
export function shopLifecycleProcessor(ctx: PipelineContext) {
  return (job: Job<ShopLifecycleJob["data"]>) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "shop.installed": {
          const { shop, scopes, installedAt } = job.data;
          return installShop(ctx, { shop, scopes, installedAt: new Date(installedAt) });
        }
        default:
          return unknownJob(job);
      }
    });
}
