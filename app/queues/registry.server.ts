import type { Queue } from "bullmq";
import { queueEnv } from "../config/env.server";
import { logger } from "../utils/logger.server";
import type { QueueName } from "./names";
import { createQueue, describeQueueBackend, resolveQueueBackend, type QueueBackend } from "./backend.server";

/**
 * The producer side used by the web app and by jobs that enqueue other jobs:
 * one resolved backend and one Queue per name for the whole process.
 */
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(readonly backend: QueueBackend) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = createQueue(this.backend, name);
      queue.on("error", (error) => logger.error({ err: error, queue: name }, "queue error"));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}

let registry: Promise<QueueRegistry> | undefined;

/** The process-wide registry, resolving the backend on first use and logging which one is in use. */
export function queues(): Promise<QueueRegistry> {
  const resolving = (registry ??= (async () => {
    const backend = await resolveQueueBackend(queueEnv());
    logger.info(`queue backend: ${describeQueueBackend(backend)}`);
    return new QueueRegistry(backend);
  })());
  // A failed resolution (Redis not answering the probe in time) is not kept:
  // the next caller probes again instead of failing for the process's lifetime.
  resolving.catch(() => {
    if (registry === resolving) registry = undefined;
  });
  return resolving;
}
