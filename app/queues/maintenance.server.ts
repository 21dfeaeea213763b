// The maintenance queue: the nightly retention sweep (one job for the whole
// app) and the per-shop pruning it fans out, plus cleaning finished jobs of
// every queue on either backend (ADR 038).
import { FINISHED_JOB_AGE } from "./backend.server";
import { ALL_QUEUES, jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

export const RETENTION_SWEEP = "retention.sweep";
export const RETENTION_SHOP = "retention.shop";
const SWEEP_SCHEDULER_ID = "retention-sweep";
/** 04:30 UTC: after the default nightly recomputes of most of Europe and before America's mornings. */
const SWEEP_PATTERN = "30 4 * * *";

/** A shop's pruning. */
export interface RetentionShopJob {
  shop: string;
}

/** The nightly sweep (safe to call at every worker start: it upserts). */
export async function scheduleRetentionSweep(registry: QueueRegistry, pattern = SWEEP_PATTERN): Promise<void> {
  await registry
    .get(QUEUE.maintenance)
    .upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { pattern, tz: "UTC" },
      { name: RETENTION_SWEEP, data: {}, opts: { attempts: 3 } },
    );
}

/** One pruning job per shop; a shop's job still waiting absorbs a second one. */
export async function enqueueShopRetention(registry: QueueRegistry, shops: readonly string[]): Promise<void> {
  if (shops.length === 0) return;
  await registry.get(QUEUE.maintenance).addBulk(
    shops.map((shop) => ({
      name: RETENTION_SHOP,
      data: { shop } satisfies RetentionShopJob,
      opts: { deduplication: { id: jobId("retention", shop) }, attempts: 3 },
    })),
  );
}

/** Jobs one clean call removes at most (one Lua script or one SQL statement each). */
const CLEAN_BATCH = 1_000;

/**
 * Removes the finished jobs of every queue older than FINISHED_JOB_AGE,
 * `CLEAN_BATCH` per call so Redis is never blocked long. Returns how many
 * per queue and state.
 */
export async function cleanFinishedJobs(
  registry: QueueRegistry,
  ages: { completed: number; failed: number } = FINISHED_JOB_AGE,
): Promise<Record<string, { completed: number; failed: number }>> {
  const out: Record<string, { completed: number; failed: number }> = {};
  for (const name of ALL_QUEUES) {
    const queue = registry.get(name);
    const counts = { completed: 0, failed: 0 };
    for (const state of ["completed", "failed"] as const) {
      for (;;) {
        const removed = await queue.clean(ages[state] * 1000, CLEAN_BATCH, state);
        counts[state] += removed.length;
        if (removed.length < CLEAN_BATCH) break;
      }
    }
    out[name] = counts;
  }
  return out;
}
