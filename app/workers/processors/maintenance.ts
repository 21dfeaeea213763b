import type { Job } from "bullmq";
import type { PipelineContext } from "../../pipeline";
import { pruneShop, sweepRetention } from "../../privacy/retention.server";
import { RETENTION_SHOP, RETENTION_SWEEP, type RetentionShopJob } from "../../queues/maintenance.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The maintenance queue: the nightly retention sweep and each shop's pruning (ADR 038). */
export function maintenanceProcessor(ctx: PipelineContext) {
  return (job: Job<RetentionShopJob>) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case RETENTION_SWEEP:
          return sweepRetention({ db: ctx.db, queues: ctx.queues });
        case RETENTION_SHOP:
          return pruneShop(ctx.db, job.data.shop);
        default:
          return unknownJob(job);
      }
    });
}
