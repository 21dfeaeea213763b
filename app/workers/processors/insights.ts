import type { Job } from "bullmq";
import { takeDailySnapshot, takeSnapshot } from "../../insights/snapshots.server";
import type { PipelineContext } from "../../pipeline";
import type { InsightsShopJob } from "../../queues/insights.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The insights queue: a shop's segment snapshot after a recompute, and the daily one. */
export function insightsProcessor(ctx: PipelineContext) {
  return (job: Job<InsightsShopJob>) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "insights.snapshot":
          return takeSnapshot(ctx.db, job.data.shop);
        case "insights.daily":
          return takeDailySnapshot(ctx.db, job.data.shop);
        default:
          return unknownJob(job);
      }
    });
}
