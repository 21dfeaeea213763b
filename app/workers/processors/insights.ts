import type { Job } from "bullmq";
import { refreshShopFigures } from "../../admin/shop-figures.server";
import { takeDailySnapshot, takeSnapshot } from "../../insights/snapshots.server";
import type { PipelineContext } from "../../pipeline";
import type { InsightsShopJob } from "../../queues/insights.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The insights queue: a shop's segment snapshot after a recompute, the daily one, and a big shop's admin figures. */
export function insightsProcessor(ctx: PipelineContext) {
  return (job: Job<InsightsShopJob>) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "insights.snapshot":
          return takeSnapshot(ctx.db, job.data.shop);
        case "insights.daily":
          return takeDailySnapshot(ctx.db, job.data.shop);
        case "insights.figures":
          return refreshShopFigures(ctx.db, job.data.shop);
        default:
          return unknownJob(job);
      }
    });
}
