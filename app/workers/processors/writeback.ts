import type { Job } from "bullmq";
import type { PipelineContext } from "../../pipeline";
import type { WritebackCustomerJob, WritebackShopJob } from "../../queues/writeback.server";
import { writeBackCustomer, writeBackShop } from "../../writeback/writeback.server";
import { isFinalAttempt, unknownJob, withPermanentErrors } from "./job-errors";

/** The writeback queue: a shop's segments after a recompute, a customer's after a re-segmentation. */
export function writebackProcessor(ctx: PipelineContext) {
  return (job: Job) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "writeback.shop":
          return writeBackShop(ctx, job.data as WritebackShopJob, { finalAttempt: isFinalAttempt(job) });
        case "writeback.customer":
          return writeBackCustomer(ctx, job.data as WritebackCustomerJob);
        default:
          return unknownJob(job);
      }
    });
}
