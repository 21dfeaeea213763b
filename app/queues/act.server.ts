import { jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

/** Act on a shop's segments: its segment discounts (after a write-back, or a discount's change). */
export interface ActShopJob {
  shop: string;
}

/**
 * The act step of a shop. One at a time per shop: a request made while one
 * runs is kept and runs after it (it sees the newer memberships); requests
 * made while one waits are absorbed by it.
 */
export async function enqueueShopAct(registry: QueueRegistry, input: ActShopJob): Promise<void> {
  await registry.get(QUEUE.act).add("act.discounts", input, {
    deduplication: { id: jobId("act", input.shop), keepLastIfActive: true },
    attempts: 8,
    backoff: { type: "exponential", delay: 2_000, jitter: 0.5 },
  });
}
