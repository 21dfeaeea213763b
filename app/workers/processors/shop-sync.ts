import { UnrecoverableError, type Job } from "bullmq";
import { backfillAndHandOver } from "../../ingest/backfill.server";
import { reconcileAndResegment } from "../../ingest/reconcile.server";
import type { PipelineContext } from "../../pipeline";
import type { SyncJob } from "../../queues/sync.server";
import { findInstalledShop } from "../../stores/shops.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The shop-sync queue: the install backfill and the periodic reconciliation. */
export function shopSyncProcessor(ctx: PipelineContext) {
  return (job: Job<SyncJob>) =>
    withPermanentErrors(async () => {
      const shop = await findInstalledShop(ctx.db, job.data.shop);
      if (!shop) throw new UnrecoverableError(`${job.data.shop} is not installed`);
      switch (job.name) {
        case "backfill.run":
          // The run id is kept in the job so a retry after a crash resumes the same run.
          return backfillAndHandOver(ctx, shop, job.data.runId, async (runId) => {
            if (job.data.runId !== runId) await job.updateData({ ...job.data, runId });
          });
        case "reconcile.run":
          return reconcileAndResegment(ctx, shop);
        default:
          return unknownJob(job);
      }
    });
}
