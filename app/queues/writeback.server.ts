import { BULK_PRIORITY, jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

/** Write the shop's segments back to Shopify (after a full recompute). */
export interface WritebackShopJob {
  shop: string;
}

/** Write one customer's segments back (after a re-segmentation). */
export interface WritebackCustomerJob {
  shop: string;
  customerId: string;
}

/**
 * The write-back of a shop. One at a time per shop: a request made while one
 * runs is kept and runs after it (it will see the newer memberships); requests
 * made while one waits are absorbed by it.
 */
export async function enqueueShopWriteback(registry: QueueRegistry, input: WritebackShopJob): Promise<void> {
  await registry.get(QUEUE.writeback).add("writeback.shop", input, {
    deduplication: { id: jobId("writeback", input.shop), keepLastIfActive: true },
    priority: BULK_PRIORITY,
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  });
}

export async function enqueueCustomerWriteback(registry: QueueRegistry, input: WritebackCustomerJob): Promise<void> {
  await registry.get(QUEUE.writeback).add("writeback.customer", input, {
    deduplication: { id: jobId("writeback", input.shop, input.customerId), keepLastIfActive: true },
    attempts: 8,
  });
}
