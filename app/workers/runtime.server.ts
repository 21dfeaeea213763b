import type { Processor, Worker, WorkerOptions } from "bullmq";
import { createWorker, type QueueBackend } from "../queues/backend.server";
import type { Logger } from "../utils/logger.server";
import { withLogContext } from "../observability/log-context.server";
import { jobDuration, jobFailures } from "../observability/metrics.server";

/** The job's shop, when its data names one (every per-shop job does). */
function jobShop(data: unknown): string | undefined {
  const shop = (data as { shop?: unknown } | null)?.shop;
  return typeof shop === "string" ? shop : undefined;
}

/** The processor with the job's queue, id and shop in every log line it writes. */
function withJobContext(queue: string, processor: Processor<any, any>): Processor<any, any> {
  return (job, token, signal) =>
    withLogContext({ queue, jobId: job.id, shop: jobShop(job.data) }, () => processor(job, token, signal));
}

function observeJob(queue: string, job: { name: string; processedOn?: number; finishedOn?: number }, outcome: string) {
  if (job.processedOn && job.finishedOn) {
    jobDuration.observe({ queue, name: job.name, outcome }, (job.finishedOn - job.processedOn) / 1000);
  }
}

export type ProcessorMap = Record<string, Processor<any, any>>;

export interface WorkerRuntime {
  workers: Worker[];
  /** Stops taking jobs, waits for running ones to finish, closes connections. */
  close(): Promise<void>;
}

/** Starts one BullMQ Worker per queue with its processor (the "named processor" pattern). */
export function startWorkers(options: {
  backend: QueueBackend;
  processors: ProcessorMap;
  concurrency: number;
  logger: Logger;
  /** Extra BullMQ worker options (tests shorten lock and stalled-check intervals). */
  workerOptions?: Partial<WorkerOptions>;
}): WorkerRuntime {
  const { backend, processors, concurrency, logger } = options;
  const workers = Object.entries(processors).map(([queueName, processor]) => {
    const worker = createWorker(backend, queueName, withJobContext(queueName, processor), {
      concurrency,
      ...options.workerOptions,
    });
    worker.on("error", (err) => logger.error({ err, queue: queueName }, "worker error"));
    worker.on("failed", (job, err) => {
      if (job) {
        jobFailures.inc({ queue: queueName, name: job.name });
        observeJob(queueName, job, "failed");
      }
      logger.warn(
        {
          queue: queueName,
          job: job?.name,
          jobId: job?.id,
          shop: jobShop(job?.data),
          attempts: job?.attemptsMade,
          err,
        },
        "job failed",
      );
    });
    worker.on("completed", (job) => {
      observeJob(queueName, job, "completed");
      logger.debug({ queue: queueName, job: job.name, jobId: job.id, shop: jobShop(job.data) }, "job completed");
    });
    return worker;
  });
  let closing: Promise<void> | undefined;
  return {
    workers,
    close() {
      // worker.close() waits for active jobs; a job that cannot finish in time
      // becomes stalled and is picked up again by the next worker.
      closing ??= Promise.all(workers.map((worker) => worker.close())).then(() => undefined);
      return closing;
    },
  };
}

/**
 * On SIGTERM/SIGINT: finish the jobs in flight, close everything, exit 0. A
 * second signal exits at once (the in-flight jobs are then retried as stalled).
 */
export function exitGracefullyOnSignals(runtime: WorkerRuntime, logger: Logger, cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now; running jobs will be retried`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: finishing running jobs before exit`);
    runtime
      .close()
      .then(cleanup)
      .then(
        () => {
          logger.info("worker stopped");
          process.exit(0);
        },
        (err) => {
          logger.error({ err }, "error during shutdown");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
