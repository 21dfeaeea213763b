// The job queue as a store of shop and customer data: job payloads, ids,
// results and errors, deduplication keys, schedulers and the event log can
// all mention a shop or a customer. Privacy work erases them here, on either
// backend (Redis or BullMQ's PostgreSQL schema), after the database's own
// tables (app/privacy).
import type { Job, JobType, Queue } from "bullmq";
import pg from "pg";
import type { QueueBackend } from "./backend.server";
import { ALL_QUEUES } from "./names";
import type { QueueRegistry } from "./registry.server";

/** Tables of BullMQ's PostgreSQL backend that hold job data (in its own schema). */
export const POSTGRES_QUEUE_TABLES = [
  "job",
  "job_dependency",
  "job_log",
  "dedup",
  "dedup_next",
  "event",
  "scheduler",
  "relay_inbox",
  "relay_retained",
] as const;

/** Job states whose jobs can be removed (active jobs are locked by their worker). */
const REMOVABLE_STATES: JobType[] = ["wait", "delayed", "prioritized", "waiting-children", "completed", "failed"];
const PAGE = 500;

export interface QueueEraseResult {
  jobsRemoved: number;
  jobsLocked: number;
  /** Finished runs of job schedulers, deleted by the backend's clean-up rather than BullMQ's API. */
  schedulerJobsLeft: number;
  eventsRemoved: number;
  dedupKeysRemoved: number;
  schedulersRemoved: number;
}

/**
 * A matcher for a token (a customer id, a shop domain): it must not be part of
 * a longer id or name (customer 12 must not match order 4123).
 */
function tokenPattern(tokens: readonly string[]): RegExp {
  const escaped = tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`(?<![0-9A-Za-z])(?:${escaped.join("|")})(?![0-9A-Za-z])`);
}

function jobText(job: Job): string {
  return JSON.stringify([
    job.id,
    job.name,
    job.data,
    job.returnvalue,
    job.failedReason,
    job.stacktrace,
    job.opts?.deduplication,
    job.parentKey,
  ]);
}

const LOCK_WAIT_MS = 30_000;

/**
 * Removes the queue's jobs that match. A job a worker holds cannot be removed:
 * it is waited for (its worker finishes it soon: a chunk, a write-back) and
 * removed then; one still held after LOCK_WAIT_MS makes the erasure fail, so
 * the privacy job is retried. `exceptJobId` is the job doing the erasure.
 */
async function removeMatchingJobs(
  queue: Queue,
  pattern: RegExp,
  result: QueueEraseResult,
  exceptJobId: string | undefined,
): Promise<void> {
  // Schedulers first: the next run of a scheduler can only be removed with it.
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    if (pattern.test(JSON.stringify(scheduler))) {
      await queue.removeJobScheduler(scheduler.key);
      result.schedulersRemoved++;
    }
  }
  const held: Job[] = [];
  for (const state of [...REMOVABLE_STATES, "active" as const]) {
    // Removing shifts the pages: read a page, remove its matches, read the
    // next page from where the survivors end.
    let start = 0;
    for (;;) {
      const jobs = (await queue.getJobs([state], start, start + PAGE - 1)).filter(Boolean);
      if (jobs.length === 0) break;
      let removed = 0;
      for (const job of jobs) {
        if (job.id === exceptJobId || !pattern.test(jobText(job))) continue;
        const outcome = await tryRemove(queue, job);
        if (outcome === "removed") {
          result.jobsRemoved++;
          removed++;
        } else if (outcome === "held") {
          held.push(job);
        } else {
          result.schedulerJobsLeft++;
        }
      }
      start += jobs.length - removed;
      if (jobs.length < PAGE) break;
    }
  }
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (const job of held) {
    while ((await tryRemove(queue, job)) === "held") {
      if (Date.now() > deadline) {
        result.jobsLocked++;
        throw new Error(`job ${job.id} of ${queue.name} is still being processed; the erasure will be retried`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    result.jobsRemoved++;
  }
}

/**
 * Removes the job (and its children): "held" while a worker holds it;
 * "scheduler-owned" for a finished run of a job scheduler, which BullMQ's
 * API refuses to remove (the backend's own clean-up below deletes it).
 */
async function tryRemove(queue: Queue, job: Job): Promise<"removed" | "held" | "scheduler-owned"> {
  try {
    await job.remove({ removeChildren: true });
    return "removed";
  } catch (error) {
    const message = String((error as Error).message);
    // Gone meanwhile (finished and removed by its retention): nothing left to remove.
    if (/not exist|missing/i.test(message)) return "removed";
    // BullMQ reports a job it could not remove as locked; it may instead be gone
    // (removed with its parent, or by its retention).
    if (/locked/i.test(message)) return (await queue.getJobState(job.id!)) === "unknown" ? "removed" : "held";
    if (/scheduler/i.test(message)) return "scheduler-owned";
    throw error;
  }
}

async function eraseRedisTraces(queue: Queue, pattern: RegExp, result: QueueEraseResult): Promise<void> {
  const client = (await (queue.getBackend() as unknown as { client: Promise<unknown> }).client) as {
    xrange(key: string, start: string, end: string, count: string, n: number): Promise<Array<[string, string[]]>>;
    xdel(key: string, ...ids: string[]): Promise<number>;
    scan(cursor: string, match: string, pattern: string, count: string, n: number): Promise<[string, string[]]>;
    del(...keys: string[]): Promise<number>;
  };
  const eventsKey = queue.toKey("events");
  let from = "-";
  for (;;) {
    const entries = await client.xrange(eventsKey, from, "+", "COUNT", 1000);
    const matching = entries.filter(([, fields]) => pattern.test(fields.join(" "))).map(([id]) => id);
    if (matching.length) result.eventsRemoved += await client.xdel(eventsKey, ...matching);
    if (entries.length < 1000) break;
    from = `(${entries[entries.length - 1][0]}`;
  }
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${queue.toKey("de")}:*`, "COUNT", 1000);
    const matching = keys.filter((key) => pattern.test(key));
    if (matching.length) result.dedupKeysRemoved += await client.del(...matching);
    cursor = next;
  } while (cursor !== "0");
}

async function erasePostgresTraces(
  backend: Extract<QueueBackend, { kind: "postgres" }>,
  pattern: RegExp,
  result: QueueEraseResult,
): Promise<void> {
  const client = new pg.Client({ connectionString: backend.databaseUrl });
  await client.connect();
  try {
    const schema = client.escapeIdentifier(backend.schema);
    const exists = await client.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [
      backend.schema,
    ]);
    if (exists.rowCount === 0) return;
    // PostgreSQL's regular expressions take the same look-around syntax.
    const regex = pattern.source;
    // Finished runs of removed job schedulers (BullMQ's API refuses to remove them).
    const finished = await client.query(
      `DELETE FROM ${schema}.job WHERE state IN ('completed', 'failed') AND scheduler_id IS NOT NULL
         AND (id ~ $1 OR data::text ~ $1 OR coalesce(return_value::text, '') ~ $1 OR coalesce(failed_reason, '') ~ $1)`,
      [regex],
    );
    result.jobsRemoved += finished.rowCount ?? 0;
    const events = await client.query(`DELETE FROM ${schema}.event WHERE data::text ~ $1`, [regex]);
    result.eventsRemoved += events.rowCount ?? 0;
    const dedup = await client.query(`DELETE FROM ${schema}.dedup WHERE dedup_id ~ $1 OR job_id ~ $1`, [regex]);
    const next = await client.query(`DELETE FROM ${schema}.dedup_next WHERE dedup_id ~ $1`, [regex]);
    result.dedupKeysRemoved += (dedup.rowCount ?? 0) + (next.rowCount ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Removes every job, event, deduplication key and scheduler of every queue
 * that mentions one of `tokens` (a customer's id; a shop's domain and id).
 * Jobs a worker holds are waited for (see removeMatchingJobs).
 */
export async function eraseFromQueues(
  registry: QueueRegistry,
  tokens: readonly string[],
  options: { exceptJobId?: string } = {},
): Promise<QueueEraseResult> {
  const result: QueueEraseResult = {
    jobsRemoved: 0,
    jobsLocked: 0,
    schedulerJobsLeft: 0,
    eventsRemoved: 0,
    dedupKeysRemoved: 0,
    schedulersRemoved: 0,
  };
  const pattern = tokenPattern(tokens.filter(Boolean));
  for (const name of ALL_QUEUES) {
    const queue = registry.get(name);
    await removeMatchingJobs(queue, pattern, result, options.exceptJobId);
    if (registry.backend.kind === "redis") await eraseRedisTraces(queue, pattern, result);
  }
  if (registry.backend.kind === "postgres") await erasePostgresTraces(registry.backend, pattern, result);
  return result;
}
