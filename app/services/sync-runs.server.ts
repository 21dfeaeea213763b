import type { PrismaClient } from "@prisma/client";
import type { AdminApi } from "../shopify/admin-api.server";
import { runBackfill, type BackfillProgress } from "./backfill.server";
import { reconcileShop, type ReconcileResult } from "./reconcile.server";

/** Starts or resumes the JobRun of a backfill, runs it, and records the outcome for the UI. */
export async function backfillShop(
  db: PrismaClient,
  api: AdminApi,
  shop: { id: string; syncState: unknown },
  runId: string | undefined,
  options: {
    pollIntervalMs?: number;
    onBatch?: (progress: BackfillProgress) => Promise<void> | void;
    /** Called once the JobRun exists, so the job can remember it for a retry. */
    onRun?: (runId: string) => Promise<void>;
  } = {},
): Promise<{ runId: string; progress: BackfillProgress }> {
  const run = runId
    ? await db.jobRun.update({ where: { id: runId }, data: { status: "running", error: null } })
    : await db.jobRun.create({ data: { shopId: shop.id, kind: "backfill", status: "running", step: "starting" } });
  await options.onRun?.(run.id);
  const startedAt = new Date();
  if (!runId) {
    await db.shop.update({
      where: { id: shop.id },
      data: { syncState: { ...(shop.syncState as object), backfillStartedAt: startedAt.toISOString() } },
    });
  }
  try {
    const progress = await runBackfill({
      db,
      api,
      shopId: shop.id,
      runId: run.id,
      pollIntervalMs: options.pollIntervalMs,
      onBatch: options.onBatch,
    });
    const current = await db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { syncState: true } });
    const state = current.syncState as Record<string, unknown>;
    await db.$transaction([
      db.jobRun.update({ where: { id: run.id }, data: { status: "completed", finishedAt: new Date() } }),
      db.shop.update({
        where: { id: shop.id },
        data: {
          syncState: {
            ...state,
            backfillCompletedAt: new Date().toISOString(),
            // Reconciliation takes over from the moment the export began.
            lastReconciledAt: (state.lastReconciledAt as string | undefined) ?? (state.backfillStartedAt as string),
          },
        },
      }),
    ]);
    return { runId: run.id, progress };
  } catch (error) {
    await db.jobRun.update({
      where: { id: run.id },
      data: { status: "failed", error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}

/** Runs a reconciliation as a JobRun (its repairs are visible in the UI). */
export async function reconcileShopRun(
  db: PrismaClient,
  api: AdminApi,
  shop: { id: string; syncState: unknown },
): Promise<ReconcileResult> {
  const run = await db.jobRun.create({
    data: { shopId: shop.id, kind: "reconcile", status: "running", step: "orders" },
  });
  try {
    const result = await reconcileShop(db, api, shop);
    await db.jobRun.update({
      where: { id: run.id },
      data: {
        status: "completed",
        finishedAt: new Date(),
        progress: { since: result.since, ordersChecked: result.ordersChecked, repaired: result.repaired },
      },
    });
    return result;
  } catch (error) {
    await db.jobRun.update({
      where: { id: run.id },
      data: { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date() },
    });
    throw error;
  }
}
