import { jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

export interface SyncJob {
  shop: string;
  /** Set by the processor on first run so a retry resumes the same JobRun. */
  runId?: string;
}

const DEFAULT_RECONCILE_HOURS = 6;

/** The install backfill (and "sync again" from the UI); one at a time per shop. */
export async function enqueueBackfill(registry: QueueRegistry, shop: string): Promise<void> {
  await registry.get(QUEUE.shopSync).add("backfill.run", { shop } satisfies SyncJob, {
    deduplication: { id: jobId("backfill", shop) },
    attempts: 10,
  });
}

export async function enqueueReconcile(registry: QueueRegistry, shop: string): Promise<void> {
  await registry.get(QUEUE.shopSync).add("reconcile.run", { shop } satisfies SyncJob, {
    deduplication: { id: jobId("reconcile", shop) },
  });
}

function reconcileSchedulerId(shop: string): string {
  return jobId("reconcile", shop, "every");
}

/** Reconciliation every few hours per shop (safe to call at every install or settings change). */
export async function scheduleReconcile(registry: QueueRegistry, shop: string, everyHours = DEFAULT_RECONCILE_HOURS) {
  await registry.get(QUEUE.shopSync).upsertJobScheduler(
    reconcileSchedulerId(shop),
    { every: everyHours * 3600_000 },
    {
      name: "reconcile.run",
      data: { shop } satisfies SyncJob,
    },
  );
}

export async function unscheduleReconcile(registry: QueueRegistry, shop: string) {
  await registry.get(QUEUE.shopSync).removeJobScheduler(reconcileSchedulerId(shop));
}
