// JobRun bookkeeping of recomputes (kind "recompute"): step, progress
// (customers done / total, chunks, write-back counts) and a visible error
// when a step fails for good.
import type { PrismaClient } from "@prisma/client";
import type { PgClient } from "./recompute-pg.server";

export const RECOMPUTE_KIND = "recompute";

export async function startRecomputeRun(db: PrismaClient, shopId: string, reason: string): Promise<string> {
  const run = await db.jobRun.create({
    data: {
      shopId,
      kind: RECOMPUTE_KIND,
      status: "running",
      step: "fit",
      progress: { reason, customersDone: 0, chunksDone: 0 },
    },
  });
  return run.id;
}

/** Merges `patch` into the run's progress and sets the step (atomic, safe from parallel chunks). */
export async function updateRecomputeRun(
  client: PgClient,
  runId: string,
  patch: { step?: string; progress?: Record<string, unknown> },
) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || $2::jsonb, step = coalesce($3, step), status = 'running', error = NULL WHERE id = $1`,
    [runId, JSON.stringify(patch.progress ?? {}), patch.step ?? null],
  );
}

/** Adds one finished chunk to the progress counters, in one statement. */
export async function recordChunkDone(client: PgClient, runId: string, customers: number) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || jsonb_build_object(
       'customersDone', coalesce((progress->>'customersDone')::int, 0) + $2,
       'chunksDone', coalesce((progress->>'chunksDone')::int, 0) + 1)
     WHERE id = $1`,
    [runId, customers],
  );
}

export async function completeRecomputeRun(client: PgClient, runId: string, progress: Record<string, unknown>) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || $2::jsonb, step = 'done', status = 'completed', error = NULL, "finishedAt" = now() WHERE id = $1`,
    [runId, JSON.stringify(progress)],
  );
}

/** Marks the run failed with the step and message, for the UI; `final` false records a retrying error. */
export async function recordRecomputeError(
  client: PgClient,
  runId: string,
  step: string,
  message: string,
  final: boolean,
) {
  await client.query(
    `UPDATE "JobRun" SET step = $2, error = $3, status = CASE WHEN $4 THEN 'failed' ELSE status END,
       "finishedAt" = CASE WHEN $4 THEN now() ELSE "finishedAt" END WHERE id = $1`,
    [runId, step, message, final],
  );
}

export async function latestRecomputeRun(db: PrismaClient, shopId: string) {
  return db.jobRun.findFirst({ where: { shopId, kind: RECOMPUTE_KIND }, orderBy: { startedAt: "desc" } });
}
