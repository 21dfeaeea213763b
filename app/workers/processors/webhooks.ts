import type { Job } from "bullmq";
import type { PrismaClient } from "@prisma/client";
import type { WebhookJob } from "../../queues/webhooks.server";
import { processWebhook, type WebhookEffects } from "../../services/webhook-processing.server";

export function webhooksProcessor(db: PrismaClient, effects: WebhookEffects) {
  return async (job: Job<WebhookJob>) => processWebhook(db, effects, job.data);
}
