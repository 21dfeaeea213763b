import type { PrismaClient } from "@prisma/client";
import type { QueueRegistry } from "./queues/registry.server";
import type { AdminApi } from "./shopify/admin-api.server";

/**
 * What a pipeline stage's service needs: the database, the queue (each stage
 * enqueues its own next step) and the Admin API of a shop. The worker builds
 * one (app/workers/main.ts); tests and benchmarks build their own.
 */
export interface PipelineContext {
  db: PrismaClient;
  queues: QueueRegistry;
  adminApi(shop: string): Promise<AdminApi>;
  /** How often bulk operations are polled (tests poll fast). */
  pollIntervalMs?: number;
  /** Customers per recompute chunk job (tests use small chunks to get several). */
  chunkSize?: number;
}
