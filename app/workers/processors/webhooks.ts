import type { Job } from "bullmq";
import { processWebhook } from "../../ingest/process-webhook.server";
import type { PipelineContext } from "../../pipeline";
import { REPLAY_FAILED_WEBHOOKS, replayFailedWebhooks, type WebhookJob } from "../../queues/webhooks.server";
import { withPermanentErrors } from "./job-errors";

/** The webhook-events queue: one job per accepted delivery, and the scheduled replay of failed ones. */
export function webhooksProcessor(ctx: PipelineContext) {
  return async (job: Job<WebhookJob>) => {
    if (job.name === REPLAY_FAILED_WEBHOOKS) return { replayed: await replayFailedWebhooks(ctx.queues) };
    return withPermanentErrors(() =>
      processWebhook(ctx, job.data, { jobId: job.id, triggeredAt: job.data.triggeredAt }),
    );
  };
}
