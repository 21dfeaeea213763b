// Install and uninstall: the shop's row, its facts (time zone, currency) and
// the first step of its history, the backfill.
import { enqueueBackfill, unscheduleReconcile } from "../queues/sync.server";
import { unscheduleNightlyRecompute } from "../queues/segments.server";
import type { PipelineContext } from "../pipeline";
import { recordCompletedRun } from "../stores/runs.server";
import { deleteSessions, findShop, markInstalled, markUninstalled } from "../stores/shops.server";

/**
 * Marks a shop installed (creating it on first install) with a JobRun record
 * of the install for the UI, then enqueues the backfill. Idempotent: the same
 * install twice leaves one shop row (the backfill is deduplicated per shop).
 */
export async function installShop(
  ctx: PipelineContext,
  input: { shop: string; scopes: string | null; installedAt: Date },
): Promise<{ shopId: string }> {
  const result = await ctx.db.$transaction(async (tx) => {
    const shop = await markInstalled(tx, { domain: input.shop, scopes: input.scopes, installedAt: input.installedAt });
    await recordCompletedRun(tx, { shopId: shop.id, kind: "install", step: "recorded", startedAt: input.installedAt });
    return { shopId: shop.id };
  });
  // The order history comes next; the backfill hands over to segmentation.
  await enqueueBackfill(ctx.queues, input.shop);
  return result;
}

/** app/uninstalled: the tokens are gone and the shop's scheduled jobs stop; its data stays until shop/redact. */
export async function uninstallShop(ctx: PipelineContext, domain: string): Promise<"uninstalled" | "unknown shop"> {
  const shop = await findShop(ctx.db, domain);
  if (!shop) return "unknown shop";
  await deleteSessions(ctx.db, domain);
  await markUninstalled(ctx.db, shop.id);
  await unscheduleReconcile(ctx.queues, domain);
  await unscheduleNightlyRecompute(ctx.queues, domain);
  return "uninstalled";
}
