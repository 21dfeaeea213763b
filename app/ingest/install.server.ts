// Install and uninstall: the shop's row, its facts (time zone, currency, read
// from Shopify at install and kept current by shop/update) and the first step
// of its history, the backfill.
import type { PrismaClient } from "@prisma/client";
import { SHOP_FACTS } from "../graphql/admin/shop.server";
import type { PipelineContext } from "../pipeline";
import { enqueueBackfill, unscheduleReconcile } from "../queues/sync.server";
import { scheduleDailySnapshot, unscheduleDailySnapshot } from "../queues/insights.server";
import { enqueueShopRecompute, scheduleNightlyRecompute, unscheduleNightlyRecompute } from "../queues/segments.server";
import { installPendingSince } from "../queues/shop-lifecycle.server";
import { nightlyHourOf } from "../settings/shop-config";
import type { AdminApi } from "../shopify/admin-api.server";
import { cancelShopSubscriptions } from "../stores/billing.server";
import { recordCompletedRun } from "../stores/runs.server";
import {
  deleteSessions,
  findShop,
  markInstalled,
  markUninstalled,
  readSyncState,
  updateShopFacts,
} from "../stores/shops.server";

export interface ShopFacts {
  timezone: string;
  currency: string;
}

/** The shop's IANA time zone and currency, as Shopify reports them (one Admin API query). */
async function readShopFacts(api: AdminApi): Promise<ShopFacts> {
  const { shop } = await api.request(SHOP_FACTS);
  if (!shop?.ianaTimezone || !shop.currencyCode) {
    throw new Error(`Shopify did not report the shop's time zone and currency: ${JSON.stringify(shop)}`);
  }
  return { timezone: shop.ianaTimezone, currency: shop.currencyCode };
}

/**
 * The shop's row, marked installed with its facts from Shopify, and a JobRun
 * record of the install for the UI. Idempotent: the same install twice leaves
 * one shop row.
 */
export async function recordInstallation(
  db: PrismaClient,
  api: AdminApi,
  input: { shop: string; scopes: string | null; installedAt: Date },
): Promise<{ shopId: string; facts: ShopFacts }> {
  const facts = await readShopFacts(api);
  return db.$transaction(async (tx) => {
    const shop = await markInstalled(tx, {
      domain: input.shop,
      scopes: input.scopes,
      installedAt: input.installedAt,
      ...facts,
    });
    await recordCompletedRun(tx, { shopId: shop.id, kind: "install", step: "recorded", startedAt: input.installedAt });
    return { shopId: shop.id, facts };
  });
}

/**
 * Marks a shop installed (creating it on first install) with its time zone
 * and currency, then enqueues the backfill (deduplicated per shop).
 */
export async function installShop(
  ctx: PipelineContext,
  input: { shop: string; scopes: string | null; installedAt: Date },
): Promise<{ shopId: string }> {
  const { shopId } = await recordInstallation(ctx.db, await ctx.adminApi(input.shop), input);
  // The order history comes next; the backfill hands over to segmentation.
  await enqueueBackfill(ctx.queues, input.shop);
  return { shopId };
}

/**
 * shop/update: the new facts are stored; a new time zone moves the nightly
 * recompute to 3 am in that zone, and either change re-segments the shop
 * (its calendar or its amounts' decimals changed), once its history is in.
 * Returns the number of shop rows changed.
 */
export async function applyShopFacts(
  ctx: PipelineContext,
  domain: string,
  facts: { timezone?: string; currency?: string },
): Promise<number> {
  const before = await findShop(ctx.db, domain);
  if (!before) return 0;
  const changed = await updateShopFacts(ctx.db, domain, facts);
  const timezoneChanged = !!facts.timezone && facts.timezone !== before.timezone;
  const currencyChanged = !!facts.currency && facts.currency !== before.currency;
  if (!timezoneChanged && !currencyChanged) return changed;
  const state = await readSyncState(ctx.db, before.id);
  if (before.status !== "installed" || !state.backfillCompletedAt) return changed;
  if (timezoneChanged) {
    await scheduleNightlyRecompute(ctx.queues, domain, {
      timeZone: facts.timezone,
      hour: nightlyHourOf(before.settings),
    });
    await scheduleDailySnapshot(ctx.queues, domain, facts.timezone!);
  }
  await enqueueShopRecompute(ctx.queues, { shop: domain, reason: "settings" });
  return changed;
}

/**
 * app/uninstalled: the tokens are gone and the shop's scheduled jobs stop; its
 * data stays until shop/redact. `triggeredAt` (X-Shopify-Triggered-At) is when
 * Shopify saw the uninstall: a delivery that arrives after the shop was
 * installed again is about the previous install and changes nothing.
 */
export async function uninstallShop(
  ctx: PipelineContext,
  domain: string,
  triggeredAt?: Date,
): Promise<"uninstalled" | "unknown shop" | "predates the install"> {
  const shop = await findShop(ctx.db, domain);
  if (!shop) return "unknown shop";
  if (triggeredAt && shop.installedAt && triggeredAt < shop.installedAt) return "predates the install";
  // Reinstalled, but the new install's job has not run yet: its time is only in the queue.
  if (triggeredAt && (await installPendingSince(ctx.queues, domain, triggeredAt))) return "predates the install";
  await deleteSessions(ctx.db, domain);
  await markUninstalled(ctx.db, shop.id);
  // Shopify cancels the app's subscriptions on uninstall, without a webhook.
  await cancelShopSubscriptions(ctx.db, shop.id, triggeredAt ?? new Date());
  await unscheduleReconcile(ctx.queues, domain);
  await unscheduleNightlyRecompute(ctx.queues, domain);
  await unscheduleDailySnapshot(ctx.queues, domain);
  return "uninstalled";
}
