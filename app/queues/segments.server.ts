import { segmentationNow } from "../utils/segmentation-clock.server";
import { randomBytes } from "node:crypto";
import { BULK_PRIORITY, jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

export type RecomputeReason = "backfill" | "nightly" | "settings" | "manual";

/** The parent job of a full recompute; `step` and the rest are set by the processor as it goes. */
export interface RecomputeShopJob {
  shop: string;
  reason: RecomputeReason;
  /** ISO time every step and chunk computes "as of" (fixed at enqueue time, so retries agree). */
  asOf: string;
  step?: "fit" | "chunks" | "wait";
  runId?: string;
  shopId?: string;
  ranges?: Array<{ from: string; to: string }>;
  firstRun?: boolean;
  customers?: number;
  /** ISO time the fit step read the orders (the chunks' memberships are as of then). */
  readAt?: string;
  /** The slices' owner when the fit step used the shop's kept read (ADR 051; chunk.server's SliceOwnerData). */
  slices?: { runId: string; readAt: string };
}

export interface RecomputeChunkJob {
  shopId: string;
  runId: string;
  asOf: string;
  index: number;
  range: { from: string; to: string };
  recordTransitions: boolean;
  /** ISO time the fit step read the orders; with it, the chunk uses the fit step's feature slice. */
  readAt?: string;
  /**
   * Whose slices, when not this run's at readAt: the shop's kept read, which
   * the fit step found unchanged at readAt (ADR 051).
   */
  slices?: { runId: string; readAt: string };
}

export interface ResegmentCustomerJob {
  shop: string;
  customerId: string;
}

const RESEGMENT_DEBOUNCE_MS = 2_000;

function recomputeDeduplicationId(shop: string): string {
  return jobId("recompute", shop);
}

/**
 * A full recompute of the shop. Coalesced: while one is waiting or running
 * (until it completes or fails), further requests are absorbed by it.
 * Returns the id of the job that will do the work.
 */
export async function enqueueShopRecompute(
  registry: QueueRegistry,
  input: { shop: string; reason: RecomputeReason; asOf?: Date },
): Promise<string> {
  const asOf = (input.asOf ?? segmentationNow()).toISOString();
  const data: RecomputeShopJob = { shop: input.shop, reason: input.reason, asOf };
  const job = await registry.get(QUEUE.segments).add("recompute.shop", data, {
    // Unique per request (coalescing is the deduplication id's job); chunk ids derive from it.
    jobId: jobId("recompute", input.shop, Date.now(), randomBytes(3).toString("hex")),
    deduplication: { id: recomputeDeduplicationId(input.shop) },
    priority: BULK_PRIORITY,
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  });
  return job.id!;
}

/** Re-segments each of the customers (debounced per customer). */
export async function enqueueCustomerResegments(
  registry: QueueRegistry,
  shop: string,
  customerIds: Iterable<string>,
): Promise<void> {
  for (const customerId of customerIds) await enqueueCustomerResegment(registry, { shop, customerId });
}

/**
 * The chunk jobs of a full recompute, as children of its parent job.
 * Deterministic ids: adding them again after a crash adds nothing twice.
 */
export async function enqueueRecomputeChunks(
  registry: QueueRegistry,
  parent: { id: string; queueQualifiedName: string },
  chunks: readonly RecomputeChunkJob[],
): Promise<void> {
  await registry.get(QUEUE.segments).addBulk(
    chunks.map((data) => ({
      name: "recompute.chunk",
      data,
      opts: {
        // Per read of the orders: a retried fit step (another read, perhaps other
        // ranges) enqueues its own chunks beside any its failed attempt left.
        jobId: jobId(parent.id, "chunk", data.readAt ? Date.parse(data.readAt) : "orders", data.index),
        parent: { id: parent.id, queue: parent.queueQualifiedName },
        failParentOnFailure: true,
        priority: BULK_PRIORITY,
        attempts: 5,
        backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
      },
    })),
  );
}

/**
 * Re-segments one customer after a change (new order, refund, ...), debounced:
 * the job runs RESEGMENT_DEBOUNCE_MS after the first request and absorbs the
 * requests made meanwhile (it reads the customer's orders when it runs).
 */
export async function enqueueCustomerResegment(
  registry: QueueRegistry,
  input: { shop: string; customerId: string },
): Promise<void> {
  const customerId = String(input.customerId).replace(/^gid:\/\/shopify\/Customer\//, "");
  await registry
    .get(QUEUE.segments)
    .add("resegment.customer", { shop: input.shop, customerId } satisfies ResegmentCustomerJob, {
      delay: RESEGMENT_DEBOUNCE_MS,
      deduplication: { id: jobId("resegment", input.shop, customerId), ttl: RESEGMENT_DEBOUNCE_MS - 100 },
      attempts: 8,
    });
}

export function nightlySchedulerId(shop: string): string {
  return jobId("recompute", shop, "nightly");
}

/** A nightly recompute at `hour` (shop time); the scheduled job only enqueues the coalesced recompute. */
export async function scheduleNightlyRecompute(
  registry: QueueRegistry,
  shop: string,
  options: { timeZone?: string; hour?: number } = {},
) {
  await registry
    .get(QUEUE.segments)
    .upsertJobScheduler(
      nightlySchedulerId(shop),
      { pattern: `0 ${options.hour ?? 3} * * *`, tz: options.timeZone ?? "UTC" },
      { name: "recompute.nightly", data: { shop } },
    );
}

export async function unscheduleNightlyRecompute(registry: QueueRegistry, shop: string) {
  await registry.get(QUEUE.segments).removeJobScheduler(nightlySchedulerId(shop));
}
