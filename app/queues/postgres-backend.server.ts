import { setTimeout as sleep } from "node:timers/promises";
import { createPostgresBackend, type BackendFactory, type PostgresQueueBackend } from "bullmq";
import { logger } from "../utils/logger.server";

/**
 * SQLSTATEs that mean "this transaction lost a race; run it again":
 * 40P01 deadlock_detected, 40001 serialization_failure. PostgreSQL rolls the
 * whole transaction back for both, so nothing of it was applied.
 */
const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(["40P01", "40001"]);

/** Tries per statement before the error is passed on to BullMQ (then it costs the job an attempt). */
const MAX_TRIES = 8;

export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE_SQLSTATES.has(code);
}

interface Queryable {
  query(text: string, params?: readonly unknown[]): Promise<unknown>;
}

/** Conflicts absorbed by this process (read by the multi-process test through the debug log). */
let absorbed = 0;

/**
 * Makes `pool.query` run a statement again when PostgreSQL aborted it with a
 * deadlock or serialization failure, after a short random pause.
 *
 * Safe because every operation of BullMQ's PostgreSQL backend is a single
 * statement run outside any explicit transaction (one `SELECT fn(...)` per
 * queue operation, on the pool, never on a checked-out client): an aborted
 * statement left nothing behind, and running it again is the same operation.
 * Without this, a deadlock inside `move_to_completed` fails the job's
 * completion, and BullMQ counts that as a failed attempt of a job that had
 * in fact succeeded (docs/decisions/024-postgres-queue-backend-concurrency.md).
 */
export function retryTransientConflicts(pool: Queryable): void {
  const query = pool.query.bind(pool);
  pool.query = async (text: string, params?: readonly unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await query(text, params);
      } catch (error) {
        if (!isTransientConflict(error) || attempt >= MAX_TRIES) throw error;
        absorbed++;
        logger.debug(
          { sqlstate: (error as { code: string }).code, attempt, absorbed },
          "queue backend: statement aborted by a transient conflict; running it again",
        );
        // 5-40 ms, growing: long enough for the other transaction to commit.
        await sleep(Math.random() * 5 * 2 ** Math.min(attempt, 3) + 5);
      }
    }
  };
}

/**
 * BullMQ's PostgreSQL backend with {@link retryTransientConflicts} on the
 * connection pool its queue operations run on. Written as a factory around
 * `createPostgresBackend` so it can be dropped once the backend retries by itself.
 */
export const createRetryingPostgresBackend: BackendFactory<any, any> = (name, opts, factoryOpts) => {
  const backend = createPostgresBackend(name, opts, factoryOpts) as PostgresQueueBackend;
  retryTransientConflicts(backend.connection.pool as Queryable);
  return backend;
};
