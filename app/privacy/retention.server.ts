// Retention: how long the app keeps what grows with time (ADR 038). A nightly
// sweep cleans finished jobs of every queue, prunes webhook deliveries of
// shops the app has no row of, and enqueues one pruning job per shop; each
// shop's job deletes, through the stores that own the tables and in batches
// (short statements, no long locks), what is older than the shop's periods
// (app/settings/retention.ts): segment history, job runs, webhook
// deliveries, data requests and the compliance log, and segment snapshots
// beyond the insights retention; and it bounds the tag write-back's change
// log, which nothing consumes while the write-back is skipped (ADR 066).
import type { PrismaClient } from "@prisma/client";
import { addDays, insightsSettingsOf, localDay } from "../insights/core";
import { cleanFinishedJobs, enqueueShopRetention } from "../queues/maintenance.server";
import type { QueueRegistry } from "../queues/registry.server";
import { DEFAULT_RETENTION, retentionCutoffs, retentionSettingsOf } from "../settings/retention";
import { pruneDataRequests } from "../stores/data-requests.server";
import { deleteSnapshotsBefore } from "../stores/insights.server";
import { pruneTransitions } from "../stores/memberships.server";
import { pruneOrphanWebhookEvents, pruneRuns, pruneWebhookEvents } from "../stores/runs.server";
import { findShop, shopDomainsAfter } from "../stores/shops.server";
import { forgetLongTagLog } from "../stores/tag-sync.server";
import { logger } from "../utils/logger.server";

export interface ShopPruned {
  transitions: number;
  snapshots: number;
  runs: number;
  webhookEvents: number;
  complianceEvents: number;
  dataRequests: number;
  /** Rows of the tag sync log forgotten because it grew too long (ADR 066). */
  tagSyncLog: number;
}

/** Deletes the shop's rows older than its retention periods. Another shop's rows are never read. */
export async function pruneShop(
  db: PrismaClient,
  domain: string,
  options: { now?: Date; batch?: number } = {},
): Promise<ShopPruned | { skipped: string }> {
  const shop = await findShop(db, domain);
  if (!shop) return { skipped: "no such shop" };
  const now = options.now ?? new Date();
  const insights = insightsSettingsOf(shop.settings);
  const cutoffs = retentionCutoffs(retentionSettingsOf(shop.settings), insights.retentionDays, now);
  const batch = options.batch;
  const pruned: ShopPruned = {
    transitions: await pruneTransitions(db, shop.id, cutoffs.history, batch),
    // The snapshot jobs prune these as they run; an uninstalled shop's are pruned here.
    snapshots: await deleteSnapshotsBefore(
      db,
      shop.id,
      addDays(localDay(now, shop.timezone), -(insights.retentionDays - 1)),
    ),
    runs: await pruneRuns(db, shop.id, cutoffs.activity, batch),
    webhookEvents: await pruneWebhookEvents(db, shop.domain, cutoffs.activity, { compliance: false, batch }),
    complianceEvents: await pruneWebhookEvents(db, shop.domain, cutoffs.compliance, { compliance: true, batch }),
    dataRequests: await pruneDataRequests(db, shop.domain, cutoffs.compliance, batch),
    tagSyncLog: await forgetLongTagLog(db, shop.id),
  };
  logger.info({ shop: domain, ...pruned }, "retention: shop pruned");
  return pruned;
}

/** Shops enqueued per page of the sweep. */
const SHOP_PAGE = 500;

/**
 * The nightly sweep: finished jobs of every queue, deliveries for shops the
 * app has no row of (after the default activity period), then one pruning
 * job per shop.
 */
export async function sweepRetention(
  deps: { db: PrismaClient; queues: QueueRegistry },
  options: { now?: Date } = {},
): Promise<{
  jobsCleaned: Record<string, { completed: number; failed: number }>;
  orphanEvents: number;
  shops: number;
}> {
  const now = options.now ?? new Date();
  const jobsCleaned = await cleanFinishedJobs(deps.queues);
  const orphanEvents = await pruneOrphanWebhookEvents(
    deps.db,
    new Date(now.getTime() - DEFAULT_RETENTION.activityDays * 86_400_000),
  );
  let shops = 0;
  let after: string | null = null;
  for (;;) {
    const page = await shopDomainsAfter(deps.db, after, SHOP_PAGE);
    await enqueueShopRetention(deps.queues, page);
    shops += page.length;
    if (page.length < SHOP_PAGE) break;
    after = page[page.length - 1];
  }
  logger.info({ jobsCleaned, orphanEvents, shops }, "retention: sweep done");
  return { jobsCleaned, orphanEvents, shops };
}
