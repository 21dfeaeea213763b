import type { Job } from "bullmq";
import { processWebhook } from "../../ingest/process-webhook.server";
import type { PipelineContext } from "../../pipeline";
import type { WebhookJob } from "../../queues/webhooks.server";
import { withPermanentErrors } from "./job-errors";

/** The webhook-events queue: one job per accepted delivery. */
export function webhooksProcessor(ctx: PipelineContext) {
  return (job: Job<WebhookJob>) =>
    withPermanentErrors(() => processWebhook(ctx, job.data, { jobId: job.id, triggeredAt: job.data.triggeredAt }));
}
