// App subscriptions (the Billing API): the record the simulator keeps, the
// status rules, and the app_subscriptions/update payload.
import { decimalFromMinor } from "../../money";
import type { Shop } from "../../shop";
import { restTime } from "../rest-time";

export type SubscriptionStatus = "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "FROZEN" | "CANCELLED";
export type PricingInterval = "EVERY_30_DAYS" | "ANNUAL";

export interface RecurringPlan {
  kind: "recurring";
  interval: PricingInterval;
  priceMinor: number;
  discount: {
    /** 0..1 of the price, or an amount in minor units. */
    percentage: number | null;
    amountMinor: number | null;
    durationLimitInIntervals: number | null;
  } | null;
}

export interface UsagePlan {
  kind: "usage";
  cappedAmountMinor: number;
  terms: string;
  balanceUsedMinor: number;
}

export interface SubscriptionLineItemRecord {
  id: number;
  plan: RecurringPlan | UsagePlan;
}

export interface AppSubscriptionRecord {
  id: number;
  name: string;
  status: SubscriptionStatus;
  test: boolean;
  trialDays: number;
  returnUrl: string;
  currency: string;
  replacementBehavior: string;
  lineItems: SubscriptionLineItemRecord[];
  createdAt: number;
  updatedAt: number;
  /** When the merchant approved it (billing periods count from here). */
  activatedAt: number | null;
}

const DAY = 86_400;
/** Shopify: a subscription not approved within two days of creation expires. */
const APPROVAL_WINDOW_SECONDS = 2 * DAY;

function intervalSeconds(interval: PricingInterval): number {
  return interval === "ANNUAL" ? 365 * DAY : 30 * DAY;
}

/** A pending subscription older than the approval window is EXPIRED (applied when the clock has moved). */
export function refreshStatus(sub: AppSubscriptionRecord, now: number): void {
  if (sub.status === "PENDING" && now - sub.createdAt >= APPROVAL_WINDOW_SECONDS) {
    sub.status = "EXPIRED";
    sub.updatedAt = sub.createdAt + APPROVAL_WINDOW_SECONDS;
  }
}

/**
 * End of the billing period containing `now`, periods counted from approval
 * (30 days, or 365 for an annual plan); null unless ACTIVE, as Shopify answers.
 */
export function currentPeriodEnd(sub: AppSubscriptionRecord, now: number): number | null {
  if (sub.status !== "ACTIVE" || sub.activatedAt === null) return null;
  const recurring = sub.lineItems.find((l) => l.plan.kind === "recurring")?.plan as RecurringPlan | undefined;
  const length = intervalSeconds(recurring?.interval ?? "EVERY_30_DAYS");
  const periods = Math.max(1, Math.floor((now - sub.activatedAt) / length) + 1);
  return sub.activatedAt + periods * length;
}

/** app_subscriptions/update, as Shopify sends it. */
export function subscriptionUpdatePayload(shop: Shop, sub: AppSubscriptionRecord) {
  const usage = sub.lineItems.find((l) => l.plan.kind === "usage")?.plan as UsagePlan | undefined;
  return {
    app_subscription: {
      admin_graphql_api_id: shop.ids.gid("AppSubscription", sub.id),
      name: sub.name,
      status: sub.status,
      admin_graphql_api_shop_id: shop.ids.gid("Shop", shop.id),
      created_at: restTime(shop, sub.createdAt),
      updated_at: restTime(shop, sub.updatedAt),
      currency: sub.currency,
      capped_amount: usage ? decimalFromMinor(usage.cappedAmountMinor, sub.currency) : null,
    },
  };
}
