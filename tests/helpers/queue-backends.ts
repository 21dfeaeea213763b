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
export async function cleanRedisPrefix(prefix: string): Promise<void> {
  const { default: IORedis } = await import("ioredis");
  const redis = new IORedis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
