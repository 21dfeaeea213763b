import { jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

/**
 * A shop's segment snapshot: after a recompute (`insights.snapshot`) or daily
 * (`insights.daily`); a big shop's admin figures (`insights.figures`, ADR 054).
 */
export interface InsightsShopJob {
  shop: string;
}

/** Today's snapshot after a recompute. One running and one waiting per shop (the waiting one sees the newest memberships). */
export async function enqueueSnapshot(registry: QueueRegistry, input: InsightsShopJob): Promise<void> {
  await registry.get(QUEUE.insights).add("insights.snapshot", input, {
    deduplication: { id: jobId("snapshot", input.shop), keepLastIfActive: true },
    attempts: 5,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
    // By age only, as every queue (a count limit deadlocks on the PostgreSQL backend: ADR 024).
  });
}

/**
 * A refresh of a big shop's stored admin figures, asked by a page that found
 * them old. While one waits, further asks are the same job.
 */
export async function enqueueFiguresRefresh(registry: QueueRegistry, input: InsightsShopJob): Promise<void> {
  await registry.get(QUEUE.insights).add("insights.figures", input, {
    deduplication: { id: jobId("figures", input.shop) },
    attempts: 3,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  });
}

function dailySnapshotSchedulerId(shop: string): string {
  return jobId("snapshot", shop, "daily");
}

/** The daily snapshot at 00:10 in the shop's time zone (the day that ended, final). Safe to call again: it upserts. */
export async function scheduleDailySnapshot(registry: QueueRegistry, shop: string, timeZone: string): Promise<void> {
  await registry
    .get(QUEUE.insights)
    .upsertJobScheduler(
      dailySnapshotSchedulerId(shop),
      { pattern: "10 0 * * *", tz: timeZone },
      { name: "insights.daily", data: { shop } satisfies InsightsShopJob, opts: { attempts: 5 } },
    );
}

export async function unscheduleDailySnapshot(registry: QueueRegistry, shop: string): Promise<void> {
  await registry.get(QUEUE.insights).removeJobScheduler(dailySnapshotSchedulerId(shop));
}
