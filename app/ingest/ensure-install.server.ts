import type { PrismaClient } from "@prisma/client";
import prisma from "../db.server";
import { queues as processQueues, type QueueRegistry } from "../queues/registry.server";
import { enqueueShopInstalled } from "../queues/shop-lifecycle.server";
import { findInstalledShop } from "../stores/shops.server";
import { logger } from "../utils/logger.server";

/**
 * Called by the app's layout loader (app/routes/app.tsx) for every admin page:
 * a shop with an offline session but no installed Shop row (its install job
 * failed for good, or was lost with the queue) gets its install enqueued
 * again, deduplicated per shop while one is pending. Never fails the page: a
 * queue that cannot be reached is logged, and the next page load tries again.
 */
export async function ensureInstallRecorded(
  session: { shop: string; scope?: string | null },
  deps: { db: PrismaClient; queues: () => Promise<QueueRegistry> } = { db: prisma, queues: processQueues },
): Promise<"installed" | "enqueued" | "unavailable"> {
  if (await findInstalledShop(deps.db, session.shop)) return "installed";
  try {
    await enqueueShopInstalled(await deps.queues(), { shop: session.shop, scopes: session.scope ?? null });
    logger.warn({ shop: session.shop }, "session without an installed shop: install enqueued again");
    return "enqueued";
  } catch (error) {
    logger.error({ err: error, shop: session.shop }, "could not enqueue the install of a shop without its Shop row");
    return "unavailable";
  }
}
