// The act stage: what the app does with a shop's segments where customers
// buy, after each write-back (and after a merchant's change to a discount).
// For every segment discount:
//  - none of its segments left (disabled in the settings, or a custom segment
//    removed): Shopify deactivates it, the app records why and tells the
//    merchant, so it never stays on applying to nobody;
//  - otherwise its configuration metafields are rewritten when what the
//    Function must read changed (a segment disabled or renamed, the tag
//    prefix moved), so the Function always looks for the current tags;
//  - then the hold-out groups of the running discounts are recorded as
//    differences (./holdout-groups.server.ts).
// While the shop's plan has lapsed (app/billing, ADR 037) every running
// discount is paused in Shopify instead, nothing deleted; once a plan is
// active again the discounts the lapse paused are resumed.
import { backgroundGate, followGateChange } from "../billing/billing.server";
import type { PipelineContext } from "../pipeline";
import type { ActShopJob } from "../queues/act.server";
import { loadInstalledShopConfig } from "../settings/settings.server";
import type { ShopConfig } from "../settings/shop-config";
import type { AdminApi } from "../shopify/admin-api.server";
import { listSegmentDiscounts, updateSegmentDiscount, type SegmentDiscountRecord } from "../stores/discounts.server";
import { withPgClient } from "../stores/pg/pool.server";
import { logger } from "../utils/logger.server";
import { buildDiscountConfiguration, segmentAvailability } from "./discount-configuration";
import type { DiscountNotice } from "./discount-display";
import { loadDiscountShop, pauseDiscount, resumeSegmentDiscount } from "./discounts.server";
import { recordDiscountGroups } from "./holdout-groups.server";
import { setShopifyDiscountMetafields } from "./shopify-discounts.server";

export interface ActSummary {
  discounts: number;
  /** Paused by the app: none of their segments is left. */
  paused: number;
  /** Resumed by the app: paused when the plan lapsed, and a plan is active again. */
  resumed: number;
  /** Discounts whose configuration metafields were rewritten. */
  configurationsWritten: number;
  /** Discounts the app could not bring up to date, with the reason (retried at the next act step). */
  failures: Array<{ discountId: string; problem: string }>;
  groups: { assignments: number; entered: number; left: number };
}

export async function actOnShopDiscounts(
  ctx: PipelineContext,
  input: ActShopJob,
  options: { now?: Date } = {},
): Promise<ActSummary | PlanLapsedSummary | { skipped: string }> {
  const config = await loadInstalledShopConfig(ctx.db, { domain: input.shop });
  if (!config) return { skipped: "shop not installed" };
  const now = options.now ?? new Date();
  let discounts = await listSegmentDiscounts(ctx.db, config.shopId);
  let api: AdminApi | undefined;
  const adminApi = async () => (api ??= await ctx.adminApi(config.domain));
  const gate = await backgroundGate(ctx.db, config.shopId, { now });
  // A resume first noticed here sends the shop's write-back (whose act step follows).
  if (gate.change === "resumed") await followGateChange(ctx.queues, config.domain, gate.change);
  if (!gate.runs) return pauseForLapsedPlan(ctx, adminApi, config, discounts, gate.reason, now);
  const summary: ActSummary = {
    discounts: discounts.length,
    paused: 0,
    resumed: 0,
    configurationsWritten: 0,
    failures: [],
    groups: { assignments: 0, entered: 0, left: 0 },
  };
  if (discounts.length === 0) return summary;
  const lapsePaused = discounts.filter((d) => d.status === "paused" && d.pausedReason === "plan-lapsed");
  if (lapsePaused.length > 0) {
    const shop = await loadDiscountShop(ctx.db, config.domain);
    for (const discount of shop ? lapsePaused : []) {
      const resumed = await resumeSegmentDiscount({ db: ctx.db, shop: shop!, adminApi, now: () => now }, discount.id);
      if (resumed.ok) summary.resumed++;
      else summary.failures.push({ discountId: discount.id, problem: resumed.message });
    }
    discounts = await listSegmentDiscounts(ctx.db, config.shopId);
  }
  for (const discount of discounts) {
    if (discount.status !== "active" || !discount.shopifyId) continue;
    const problem = await bringUpToDate(ctx, adminApi, config, discount, now, summary);
    if (problem) summary.failures.push({ discountId: discount.id, problem });
  }
  // Read again: the step above may have paused some.
  const current = await listSegmentDiscounts(ctx.db, config.shopId);
  summary.groups = await withPgClient((client) => recordDiscountGroups(client, config, current, now));
  if (summary.failures.length > 0)
    logger.warn({ shop: config.domain, failures: summary.failures }, "act: discounts left as they were");
  return summary;
}

export interface PlanLapsedSummary {
  skipped: string;
  /** Running discounts paused in Shopify because the plan lapsed. */
  paused: number;
  failures: Array<{ discountId: string; problem: string }>;
}

/**
 * The plan lapsed: every running discount is paused in Shopify (kept, to
 * resume later); nothing else is done. Throws when one could not be paused,
 * so that the queue retries.
 */
async function pauseForLapsedPlan(
  ctx: PipelineContext,
  adminApi: () => Promise<AdminApi>,
  config: ShopConfig,
  discounts: SegmentDiscountRecord[],
  reason: string,
  now: Date,
): Promise<PlanLapsedSummary> {
  const summary: PlanLapsedSummary = { skipped: reason, paused: 0, failures: [] };
  for (const discount of discounts) {
    if (discount.status !== "active" || !discount.shopifyId) continue;
    const notice: DiscountNotice = { kind: "paused-plan-lapsed", segments: [], at: now.toISOString() };
    const paused = await pauseDiscount(ctx.db, await adminApi(), discount, { reason: "plan-lapsed", notice, at: now });
    if (paused.ok) summary.paused++;
    else summary.failures.push({ discountId: discount.id, problem: paused.message });
  }
  logger.info({ shop: config.domain, reason, paused: summary.paused }, "act step skipped: discounts paused");
  // No write-back runs while lapsed, so no later act step would retry: the queue does (those paused stay paused).
  if (summary.failures.length > 0) {
    logger.warn({ shop: config.domain, failures: summary.failures }, "act: discounts not paused for the lapsed plan");
    throw new Error(`${summary.failures.length} segment discount(s) could not be paused for the lapsed plan`);
  }
  return summary;
}

/** Pauses the discount or rewrites its configuration as the shop's segments require; returns a problem, if any. */
async function bringUpToDate(
  ctx: PipelineContext,
  adminApi: () => Promise<AdminApi>,
  config: ShopConfig,
  discount: SegmentDiscountRecord,
  now: Date,
  summary: ActSummary,
): Promise<string | null> {
  const { available, unavailable } = segmentAvailability(discount.segments, config);
  if (available.length === 0) {
    const notice: DiscountNotice = {
      kind: "paused-segments-unavailable",
      segments: unavailable,
      at: now.toISOString(),
    };
    const paused = await pauseDiscount(ctx.db, await adminApi(), discount, {
      reason: "segments-unavailable",
      notice,
      at: now,
    });
    if (!paused.ok) return paused.message;
    summary.paused++;
    return null;
  }
  const built = buildDiscountConfiguration(discount, available, config);
  if (!built.ok) return built.problems.join(" ");
  if (built.hash === discount.configurationHash) return null;
  const written = await setShopifyDiscountMetafields(await adminApi(), discount.shopifyId!, built.metafields);
  if (!written.ok) return Object.values(written.errors).join(" ");
  summary.configurationsWritten++;
  // A notice the merchant has not dismissed stays unless it no longer holds.
  const dropped: DiscountNotice | null =
    unavailable.length > 0 ? { kind: "segments-dropped", segments: unavailable, at: now.toISOString() } : null;
  await updateSegmentDiscount(ctx.db, config.shopId, discount.id, {
    configurationHash: built.hash,
    notice: dropped ?? (discount.notice?.kind === "segments-dropped" ? null : discount.notice),
  });
  return null;
}
