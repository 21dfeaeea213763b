import type { WebhookJobData } from "../ingest/webhook-payloads";
import { jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

export interface WebhookJob {
  shop: string;
  topic: string;
  eventId: string;
  webhookId?: string;
  /** X-Shopify-Triggered-At: when Shopify saw the event (an uninstall is compared with the install time). */
  triggeredAt?: string;
  data: WebhookJobData;
}

/** The privacy topics' job kinds (removed from the queue as soon as they complete); made once, not per delivery. */
const PRIVACY_KINDS: ReadonlySet<string> = new Set(["customer-redact", "shop-redact", "data-request"]);

/**
 * One job per accepted delivery. The job id comes from X-Shopify-Event-Id, so
 * a redelivery while the job exists is a no-op (after that the WebhookEvent
 * row the job writes deduplicates). Privacy jobs are removed as soon as they complete, so
 * the ids they carry do not linger in the queue.
 */
export async function enqueueWebhookJob(registry: QueueRegistry, job: WebhookJob): Promise<void> {
  const privacy = PRIVACY_KINDS.has(job.data.kind);
  await registry.get(QUEUE.webhooks).add(job.topic, job, {
    // Shopify's event ids are unique across shops; keeping the shop out of the
    // id keeps it out of the queue's event log, which outlives a shop/redact.
    jobId: jobId("wh", job.eventId),
    // A bad payload was already answered 400; what fails here is transient.
    attempts: 8,
    ...(privacy ? { removeOnComplete: true } : {}),
  });
}
