// The plan guard of the admin pages (ADR 037): a shop over the free limit
// without an active subscription is sent to the plan page. The billing store
// decides first (no Admin API call for the shops it lets through); before
// sending a merchant away, billing.require asks Shopify, in case the webhook
// of a subscription just approved has not arrived yet (what it finds is
// recorded).
import prisma from "../db.server";
import { queues } from "../queues/registry.server";
import type { authenticate } from "../shopify.server";
import { findShop } from "../stores/shops.server";
import { applySubscriptionReport, loadEntitlement } from "./billing.server";
import { isTestCharge } from "./config.server";
import { PAID_PLAN_NAMES } from "./plans";

type ShopifyAdmin = Awaited<ReturnType<typeof authenticate.admin>>;

export const PLAN_PAGE = "/app/plan";

/** The plan page's own requests (its loader and action, and the frame's loader around it) are never guarded. */
export function isPlanPage(request: Request): boolean {
  return new URL(request.url).pathname.replace(/\/$/, "") === PLAN_PAGE;
}

/** Throws the redirect to the plan page when the shop needs a plan and Shopify reports none active. */
export async function requirePlan(context: ShopifyAdmin): Promise<void> {
  const shop = await findShop(prisma, context.session.shop);
  if (!shop || (await loadEntitlement(prisma, shop)).pages === "open") return;
  const { appSubscriptions } = await context.billing.require({
    plans: [...PAID_PLAN_NAMES],
    isTest: isTestCharge(),
    onFailure: async () => context.redirect(PLAN_PAGE),
  });
  // Shopify reports an active plan the store did not know of yet: record it.
  const registry = await queues();
  for (const sub of appSubscriptions) {
    await applySubscriptionReport({ db: prisma, queues: registry }, shop, {
      id: sub.id,
      name: sub.name,
      status: "ACTIVE",
      test: sub.test,
      reportedAt: new Date(),
    });
  }
}
