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
    // Kept when its attempts run out (an outage longer than they last):
    // replayFailedWebhooks puts it back on the queue.
    removeOnFail: false,
    ...(privacy ? { removeOnComplete: true } : {}),
  });
}

/** The scheduled job of the webhook-events queue that replays failed deliveries. */
export const REPLAY_FAILED_WEBHOOKS = "webhooks.replay-failed";
const REPLAY_SCHEDULER_ID = "webhooks-replay-failed";
const REPLAY_EVERY_MS = 10 * 60_000;

/** Replays failed webhook jobs every 10 minutes (safe to call at every worker start: it upserts). */
export async function scheduleWebhookReplay(registry: QueueRegistry, everyMs = REPLAY_EVERY_MS): Promise<void> {
  await registry
    .get(QUEUE.webhooks)
    .upsertJobScheduler(
      REPLAY_SCHEDULER_ID,
      { every: everyMs },
      { name: REPLAY_FAILED_WEBHOOKS, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: true } },
    );
}

/**
 * Puts every webhook job whose attempts ran out back on the queue with fresh
 * attempts: a database or network outage longer than the retries (about two
 * minutes) then loses no delivery, uninstalls and privacy requests included.
 * A job that failed for good (UnrecoverableError: its payload cannot be
 * applied) failed before its last attempt and stays failed. Returns how many
 * were replayed.
 */
export async function replayFailedWebhooks(registry: QueueRegistry): Promise<number> {
  const queue = registry.get(QUEUE.webhooks);
  let replayed = 0;
  let start = 0;
  for (;;) {
    const jobs = await queue.getFailed(start, start + 99);
    if (jobs.length === 0) return replayed;
    let kept = 0;
    for (const job of jobs) {
      const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (job.name === REPLAY_FAILED_WEBHOOKS || !exhausted) {
        kept++;
        continue;
      }
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      replayed++;
    }
    // Replayed jobs left the failed list; the next page starts after the ones kept.
    start += kept;
  }
}
