// The plan page (/app/plan, ADR 037): the shop's plan and its customers
// against the plans' limits; choosing or changing a plan (billing.request:
// the merchant approves the charge in Shopify, which sends them back here
// with charge_id); cancelling; and the billing callback, which reads the
// charge from Shopify and refuses one the shop does not have.
import type { PrismaClient } from "@prisma/client";
import { applySubscriptionReport, entitlementOf } from "../billing/billing.server";
import { isTestCharge } from "../billing/config.server";
import { remainingTrialDays, type SubscriptionStatus } from "../billing/entitlement";
import { PLAN_PAGE } from "../billing/guard.server";
import {
  FREE_CUSTOMER_LIMIT,
  isPaidPlanName,
  PAID_PLAN_NAMES,
  PAID_PLANS,
  TRIAL_DAYS,
  type PaidPlanName,
  type PlanName,
} from "../billing/plans";
import { env } from "../config/env.server";
import { BILLING_CHARGE } from "../graphql/admin/billing.server";
import { t } from "../i18n";
import { queues } from "../queues/registry.server";
import type { AdminContext } from "../shopify/admin-session.server";
import { listSubscriptions, readShopBilling } from "../stores/billing.server";
import { findShop } from "../stores/shops.server";

export interface PlanCard {
  name: PlanName;
  /** USD every 30 days (0: free). */
  priceUsd: number;
  /** Segmented customers covered; null: no limit. */
  customerLimit: number | null;
  current: boolean;
  recommended: boolean;
  /** Covers the shop's customers today. */
  covers: boolean;
}

export interface PlanPageData {
  preview: boolean;
  customers: number;
  countedAt: string | null;
  plan: PlanName;
  recommended: PlanName;
  withinPlan: boolean;
  needsPlan: boolean;
  /** Write-back and discounts stopped for a lapsed plan: since when, and why. */
  lapsed: { since: string; reason: string } | null;
  /** A shop that never subscribed, over the free limit: when write-back stops without a plan. */
  graceEndsAt: string | null;
  /** Trial days a new subscription gets (one trial per shop). */
  trialDays: number;
  plans: PlanCard[];
  /** The charge the merchant came back from (billing callback). */
  confirmation: { plan: string; status: SubscriptionStatus } | null;
}

export type PlanActionResult = { ok: true; message: string } | { ok: false; message: string };

function refuse(status: number, message: string): never {
  throw new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * The billing callback: Shopify sends the merchant back to the returnUrl
 * with the charge's id. The charge is read from Shopify (never trusted from
 * the URL) and recorded; an id that is not a number is a 400, a charge the
 * shop does not have a 404, each with a message.
 */
async function confirmCharge(db: PrismaClient, ctx: AdminContext, chargeId: string) {
  if (!/^\d{1,20}$/.test(chargeId)) refuse(400, t("plan.errors.badCharge", { charge: chargeId.slice(0, 40) }));
  const id = `gid://shopify/AppSubscription/${chargeId}`;
  const { node } = await ctx.admin.request(BILLING_CHARGE, { id });
  if (!node || !("status" in node)) refuse(404, t("plan.errors.unknownCharge", { charge: chargeId }));
  const shop = await findShop(db, ctx.shop);
  if (shop) {
    await applySubscriptionReport({ db, queues: await queues() }, shop, {
      id: node.id,
      name: node.name,
      status: node.status,
      test: node.test,
      reportedAt: new Date(),
    });
  }
  return { plan: node.name, status: node.status };
}

export async function loadPlanPage(db: PrismaClient, ctx: AdminContext, url: URL): Promise<PlanPageData> {
  const chargeId = url.searchParams.get("charge_id");
  const confirmation = chargeId !== null ? await confirmCharge(db, ctx, chargeId) : null;
  const shop = await findShop(db, ctx.shop);
  const entitlement = await entitlementOf(db, ctx.shop);
  const state = shop ? await readShopBilling(db, shop.id) : null;
  const customers = entitlement?.customers ?? 0;
  const plan = entitlement?.plan ?? "Free";
  const recommended = entitlement?.recommended ?? "Free";
  const cards: PlanCard[] = [
    { name: "Free" as PlanName, priceUsd: 0, customerLimit: FREE_CUSTOMER_LIMIT },
    ...PAID_PLANS,
  ].map((card) => ({
    name: card.name,
    priceUsd: card.priceUsd,
    customerLimit: card.customerLimit,
    current: card.name === plan,
    recommended: card.name === recommended,
    covers: card.customerLimit === null || customers <= card.customerLimit,
  }));
  return {
    preview: ctx.preview,
    customers,
    countedAt: state?.countedAt?.toISOString() ?? null,
    plan,
    recommended,
    withinPlan: entitlement?.withinPlan ?? true,
    needsPlan: entitlement?.pages === "choose-plan",
    lapsed: state?.lapsedAt ? { since: state.lapsedAt.toISOString(), reason: state.lapseReason ?? "" } : null,
    graceEndsAt: entitlement?.graceEndsAt?.toISOString() ?? null,
    trialDays: shop ? remainingTrialDays(await listSubscriptions(db, shop.id), new Date()) : TRIAL_DAYS,
    plans: cards,
    confirmation,
  };
}

/** Where Shopify sends the merchant after the charge: this page, inside admin. */
function returnUrlOf(shop: string): string {
  const store = shop.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${store}/apps/${env().SHOPIFY_API_KEY}${PLAN_PAGE}`;
}

/**
 * "choose" asks Shopify for the plan's charge (billing.request throws the
 * response that takes the merchant to Shopify's confirmation page); "cancel"
 * cancels the active subscription (billing.cancel) and records it.
 */
export async function runPlanAction(db: PrismaClient, ctx: AdminContext, form: FormData): Promise<PlanActionResult> {
  const intent = form.get("intent");
  if (!ctx.shopify) return { ok: false, message: t("plan.errors.preview") };
  const isTest = isTestCharge();
  if (intent === "choose") {
    const plan = form.get("plan");
    if (!isPaidPlanName(plan))
      return { ok: false, message: t("plan.errors.unknownPlan", { plan: String(plan ?? "") }) };
    const entitlement = await entitlementOf(db, ctx.shop);
    if (entitlement?.plan === plan) return { ok: false, message: t("plan.errors.alreadyOn", { plan }) };
    const shop = await findShop(db, ctx.shop);
    const trialDays = remainingTrialDays(shop ? await listSubscriptions(db, shop.id) : [], new Date());
    await ctx.shopify.billing.request({
      plan: plan as PaidPlanName,
      isTest,
      returnUrl: returnUrlOf(ctx.shop),
      trialDays,
    });
    // billing.request always throws (the redirect to the confirmation page).
    return { ok: false, message: t("plan.errors.noConfirmation") };
  }
  if (intent === "cancel") {
    const { appSubscriptions } = await ctx.shopify.billing.check({ plans: [...PAID_PLAN_NAMES], isTest });
    const active = appSubscriptions.find((sub) => sub.status === "ACTIVE");
    if (!active) return { ok: false, message: t("plan.errors.nothingToCancel") };
    const cancelled = await ctx.shopify.billing.cancel({ subscriptionId: active.id, isTest, prorate: true });
    const shop = await findShop(db, ctx.shop);
    if (shop) {
      await applySubscriptionReport({ db, queues: await queues() }, shop, {
        id: cancelled.id,
        name: cancelled.name,
        status: cancelled.status as SubscriptionStatus,
        test: cancelled.test,
        reportedAt: new Date(),
      });
    }
    return { ok: true, message: t("plan.cancelled", { plan: cancelled.name }) };
  }
  return { ok: false, message: t("plan.errors.unknownIntent") };
}
