import net from "node:net";
import {
  Queue,
  Worker,
  type BackendFactory,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
  type DefaultJobOptions,
} from "bullmq";
import { queueBackendChoice, type QueueEnv } from "../config/env.server";
import { createRetryingPostgresBackend } from "./postgres-backend.server";

/**
 * Where the job queues live. Redis is the backend for production and scale;
 * BullMQ's PostgreSQL backend is the embedded default when no Redis is
 * configured or reachable (docs/decisions/005-queue-backends.md).
 */
export type QueueBackend =
  { kind: "redis"; url: string; prefix: string } | { kind: "postgres"; databaseUrl: string; schema: string };

class QueueBackendUnavailableError extends Error {
  override name = "ServiceUnavailableError";
}

const LOCAL_REDIS = "redis://127.0.0.1:6379";

/**
 * The backend the environment chooses (app/config: REDIS_URL, or
 * QUEUE_BACKEND=postgres). Only in development, with neither set, is a local
 * Redis probed for, falling back to PostgreSQL; production never probes, so
 * web and worker processes cannot end up on different backends.
 */
export async function resolveQueueBackend(config: QueueEnv): Promise<QueueBackend> {
  const postgres: QueueBackend = {
    kind: "postgres",
    databaseUrl: config.DATABASE_URL,
    schema: `bullmq_${config.QUEUE_PREFIX.replace(/[{}]/g, "").replace(/-/g, "_").toLowerCase()}`,
  };
  const choice = queueBackendChoice(config);
  if (choice === "postgres") return postgres;
  if (choice === "redis") {
    const redisUrl = config.REDIS_URL!;
    if (!(await redisAnswers(redisUrl))) {
      const { hostname, port } = new URL(redisUrl);
      throw new QueueBackendUnavailableError(
        `Cannot reach Redis at ${hostname}:${port || 6379} (REDIS_URL). Start Redis there, or unset REDIS_URL and set QUEUE_BACKEND=postgres to keep the job queue in PostgreSQL.`,
      );
    }
    return { kind: "redis", url: redisUrl, prefix: config.QUEUE_PREFIX };
  }
  if (await redisAnswers(LOCAL_REDIS)) return { kind: "redis", url: LOCAL_REDIS, prefix: config.QUEUE_PREFIX };
  return postgres;
}

export function describeQueueBackend(backend: QueueBackend): string {
  if (backend.kind === "redis") {
    const url = new URL(backend.url);
    return `Redis at ${url.hostname}:${url.port || 6379} (prefix ${backend.prefix})`;
  }
  const url = new URL(backend.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} (schema ${backend.schema}; no Redis configured or reachable)`;
}

/** True when a Redis server answers PING at `url` within a short timeout. */
export function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

type AnyFactory = BackendFactory<any, any>;

function connectionFor(
  backend: QueueBackend,
  role: "producer" | "worker",
): {
  connection: any;
  factory?: AnyFactory;
  prefix?: string;
} {
  if (backend.kind === "postgres") {
    return {
      connection: { connectionString: backend.databaseUrl, schema: backend.schema, migrate: true },
      factory: createRetryingPostgresBackend,
    };
  }
  const url = new URL(backend.url);
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password || undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
      tls: url.protocol === "rediss:" ? {} : undefined,
      // Workers must wait for Redis forever; producers in HTTP requests fail fast.
      maxRetriesPerRequest: role === "worker" ? null : 1,
      enableOfflineQueue: role === "worker",
    },
    prefix: backend.prefix,
  };
}

/**
 * How long finished jobs are kept, in seconds. Both backends apply the age
 * when another job of the queue finishes; the nightly retention sweep cleans
 * every queue by the same ages, so an idle queue and jobs kept on failure
 * (webhooks: removeOnFail false) are bounded too (ADR 038).
 */
export const FINISHED_JOB_AGE = { completed: 24 * 3600, failed: 14 * 24 * 3600 } as const;

/**
 * Finished jobs are kept by age only. A count limit makes every completion
 * delete the oldest finished rows, and on the PostgreSQL backend concurrent
 * workers then delete the same rows in different orders and deadlock
 * (docs/decisions/024-postgres-queue-backend-concurrency.md).
 */
const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
  removeOnComplete: { age: FINISHED_JOB_AGE.completed },
  removeOnFail: { age: FINISHED_JOB_AGE.failed },
};

export function createQueue<Data = unknown>(backend: QueueBackend, name: string): Queue<Data> {
  const { connection, factory, prefix } = connectionFor(backend, "producer");
  const options: QueueOptions & { prefix?: string } = {
    connection,
    prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  };
  return new (Queue as any)(name, options, factory) as Queue<Data>;
}

export function createWorker<Data = unknown, Result = unknown>(
  backend: QueueBackend,
  name: string,
  processor: Processor<Data, Result>,
  options: Partial<WorkerOptions> = {},
): Worker<Data, Result> {
  const { connection, factory, prefix } = connectionFor(backend, "worker");
  return new (Worker as any)(name, processor, { connection, prefix, ...options }, factory) as Worker<Data, Result>;
}
