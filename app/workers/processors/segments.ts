import { WaitingChildrenError, type Job } from "bullmq";
import type { PipelineContext } from "../../pipeline";
import type { RecomputeChunkJob, RecomputeShopJob, ResegmentCustomerJob } from "../../queues/segments.server";
import {
  recomputeChunk,
  recomputeShop,
  requestNightlyRecompute,
  resegmentCustomer,
  type StepJob,
} from "../../recompute/recompute.server";
import { isFinalAttempt, unknownJob, withPermanentErrors } from "./job-errors";

/** A BullMQ job as the recompute's step machine sees it. */
function stepJob<T>(job: Job<T>, token: string | undefined): StepJob<T> {
  return {
    id: job.id!,
    queueQualifiedName: job.queueQualifiedName,
    data: job.data,
    save: (data) => job.updateData(data),
    finalAttempt: isFinalAttempt(job),
    childrenPending: () => job.moveToWaitingChildren(token!),
  };
}

/** The segments queue: full recomputes (parent + chunk children), re-segmentation, the nightly trigger. */
export function segmentsProcessor(ctx: PipelineContext) {
  return (job: Job, token?: string) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "recompute.shop": {
          const outcome = await recomputeShop(ctx, stepJob(job as Job<RecomputeShopJob>, token));
          if ("waitingForChildren" in outcome) throw new WaitingChildrenError();
          return outcome;
        }
        case "recompute.chunk":
          return recomputeChunk(ctx, job.data as RecomputeChunkJob, isFinalAttempt(job));
        case "resegment.customer":
          return resegmentCustomer(ctx, job.data as ResegmentCustomerJob);
        case "recompute.nightly":
          return requestNightlyRecompute(ctx, (job.data as { shop: string }).shop);
        default:
          return unknownJob(job);
      }
    });
}
