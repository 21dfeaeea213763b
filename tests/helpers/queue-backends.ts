import { deleteRedisPrefix } from "../../scripts/services";
import type { QueueBackend } from "../../app/queues/backend.server";

/** The two queue backends every queue test runs against, scoped to this test file. */
export function testQueueBackends(): QueueBackend[] {
  const prefix = process.env.QUEUE_PREFIX!;
  return [
    { kind: "redis", url: "redis://127.0.0.1:6379", prefix },
    { kind: "postgres", databaseUrl: process.env.DATABASE_URL!, schema: `bullmq_${prefix}` },
  ];
}

/** Removes this file's keys from Redis (the PostgreSQL backend lives in the file's own database). */
export const cleanRedisPrefix = deleteRedisPrefix;
