// Sync and activity: the install backfill's and the recomputes' progress from
// their JobRun rows (what the jobs store as they go), with an estimate of the
// time left; the last recompute and reconciliation; recent jobs and their
// failures; and the buttons that enqueue a recompute or a reconciliation now.
import type { PrismaClient } from "@prisma/client";
import { enqueueShopRecompute } from "../queues/segments.server";
import { enqueueReconcile } from "../queues/sync.server";
import type { QueueRegistry } from "../queues/registry.server";
import { latestRunOf, latestRuns } from "../stores/admin-reads.server";
import { withPgClient } from "../stores/pg/pool.server";
import { findShop, readSyncState } from "../stores/shops.server";

export interface Progress {
  status: string;
  step: string | null;
  done: number;
  /** null while the total is not known yet (the export is still being prepared). */
  total: number | null;
  /** Seconds left at the rate so far, or null when it cannot be estimated yet. */
  secondsLeft: number | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface Activity {
  installed: boolean;
  backfill: Progress | null;
  recompute: Progress | null;
  lastReconciledAt: string | null;
  lastRepairs: number | null;
  /** Whether the page should poll: work is running or still to come. */
  running: boolean;
  runs: Array<{
    id: string;
    kind: string;
    status: string;
    step: string | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  }>;
}

type Run = NonNullable<Awaited<ReturnType<typeof latestRunOf>>>;

const numberAt = (progress: Record<string, unknown>, key: string): number | null => {
  const value = progress[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};

function progressOf(run: Run, done: number, total: number | null, now: Date): Progress {
  const elapsed = (now.getTime() - run.startedAt.getTime()) / 1000;
  const secondsLeft =
    run.status === "running" && total !== null && done > 0 && total >= done
      ? Math.round((elapsed * (total - done)) / done)
      : null;
  return {
    status: run.status,
    step: run.step,
    done,
    total,
    secondsLeft,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
  };
}

/** Orders stored of the orders in the export (known once the export is staged). */
function backfillProgress(run: Run, now: Date): Progress {
  const p = run.progress ?? {};
  return progressOf(run, numberAt(p, "ordersStored") ?? 0, numberAt(p, "ordersTotal"), now);
}

/** Customers segmented of the customers the fit step read. */
function recomputeProgress(run: Run, now: Date): Progress {
  const p = run.progress ?? {};
  return progressOf(run, numberAt(p, "customersDone") ?? 0, numberAt(p, "customersTotal"), now);
}

export async function loadActivity(db: PrismaClient, domain: string, now = new Date()): Promise<Activity> {
  const shop = await findShop(db, domain);
  if (!shop) {
    // The admin is open, so the app has the shop's session: its install job has not stored the shop yet (a
    // merchant lands here straight from OAuth; the layout re-enqueues a lost install). The page polls until the
    // backfill appears, or it would sit on "not started" while the import runs.
    return {
      installed: false,
      backfill: null,
      recompute: null,
      lastReconciledAt: null,
      lastRepairs: null,
      running: true,
      runs: [],
    };
  }
  // The client's reads one after the other (a pg client runs one query at a time; queuing is deprecated in pg 8),
  // beside Prisma's read of the sync state.
  const [[backfill, recompute, runs], state] = await Promise.all([
    withPgClient(
      async (client) =>
        [
          await latestRunOf(client, shop.id, "backfill"),
          await latestRunOf(client, shop.id, "recompute"),
          await latestRuns(client, shop.id, 15),
        ] as const,
    ),
    readSyncState(db, shop.id),
  ]);
  const reconcile = state as { lastReconciledAt?: string; lastReconcile?: { repaired?: number } };
  return {
    installed: shop.status === "installed",
    backfill: backfill ? backfillProgress(backfill, now) : null,
    recompute: recompute ? recomputeProgress(recompute, now) : null,
    lastReconciledAt: reconcile.lastReconciledAt ?? null,
    lastRepairs: reconcile.lastReconcile?.repaired ?? null,
    // Polled while work runs or is still to come: a shop whose install is not recorded yet (as above), or an
    // installed shop whose backfill or first recompute has not completed.
    running:
      runs.some((run) => run.status === "running") ||
      shop.status !== "installed" ||
      backfill?.status !== "completed" ||
      recompute?.status !== "completed",
    runs: runs.map((run) => ({
      id: run.id,
      kind: run.kind,
      status: run.status,
      step: run.step,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error,
    })),
  };
}

export type ActivityAction = "recompute" | "reconcile";

/** Enqueues a recompute or a reconciliation of the shop through the queue services; bad input is an error result. */
export async function runActivityAction(
  db: PrismaClient,
  registry: QueueRegistry,
  domain: string,
  intent: FormDataEntryValue | null,
): Promise<{ ok: true; done: ActivityAction } | { ok: false; error: string }> {
  if (intent !== "recompute" && intent !== "reconcile") return { ok: false, error: `Unknown action ${String(intent)}` };
  const shop = await findShop(db, domain);
  if (!shop || shop.status !== "installed") return { ok: false, error: "The app is not installed on this shop" };
  if (intent === "recompute") await enqueueShopRecompute(registry, { shop: domain, reason: "manual" });
  else await enqueueReconcile(registry, domain);
  return { ok: true, done: intent };
}
