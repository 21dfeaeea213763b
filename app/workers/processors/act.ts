import type { Job } from "bullmq";
import { actOnShopDiscounts } from "../../act/act.server";
import type { PipelineContext } from "../../pipeline";
import type { ActShopJob } from "../../queues/act.server";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The act queue: a shop's segment discounts after its write-back (or a change to a discount). */
export function actProcessor(ctx: PipelineContext) {
  return (job: Job) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "act.discounts":
          return actOnShopDiscounts(ctx, job.data as ActShopJob);
        default:
          return unknownJob(job);
      }
    });
}
