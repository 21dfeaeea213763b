// What a shop's plan lets it do (ADR 037). Pure: the facts come from the
// billing store, the decision is made here, once, for the pages (the guard
// and the plan page) and for the background stages (write-back and act).
//
// - Up to the free limit of segmented customers, everything runs, no plan.
// - Over it, an ACTIVE subscription to any paid plan keeps everything
//   running; a shop that has outgrown its paid plan is asked to upgrade, not
//   cut off.
// - Over it without one, the pages send the merchant to the plan page, and
//   write-back and discounts stop: at once when a subscription the shop had
//   ended (cancelled, declined, expired, frozen), or once the install grace
//   of a shop that never subscribed has passed. Nothing is deleted.
import {
  covers,
  FREE_CUSTOMER_LIMIT,
  INSTALL_GRACE_DAYS,
  isPaidPlanName,
  planFor,
  TRIAL_DAYS,
  type PlanName,
} from "./plans";

/** Shopify's AppSubscriptionStatus (ACCEPTED is deprecated and no longer sent; kept so every answer is typed). */
export type SubscriptionStatus = "PENDING" | "ACCEPTED" | "ACTIVE" | "FROZEN" | "CANCELLED" | "DECLINED" | "EXPIRED";

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [
  "PENDING",
  "ACCEPTED",
  "ACTIVE",
  "FROZEN",
  "CANCELLED",
  "DECLINED",
  "EXPIRED",
];

/** Statuses a subscription never leaves. */
export const FINAL_STATUSES: readonly SubscriptionStatus[] = ["CANCELLED", "DECLINED", "EXPIRED"];

export interface SubscriptionFact {
  id: string;
  name: string;
  status: SubscriptionStatus;
  activatedAt: Date | null;
  reportedAt: Date;
}

export interface EntitlementInput {
  /** Segmented customers, as last counted. */
  customers: number;
  /** Every subscription the app knows of for the shop. */
  subscriptions: readonly SubscriptionFact[];
  installedAt: Date | null;
  now: Date;
}

export type BackgroundWork = { runs: true } | { runs: false; reason: string };

export interface Entitlement {
  customers: number;
  /** The active paid plan, or Free. */
  plan: PlanName;
  /** The ACTIVE subscription, if any. */
  subscription: SubscriptionFact | null;
  /** The smallest plan covering the shop's customers. */
  recommended: PlanName;
  overFreeLimit: boolean;
  /** The current plan covers the shop's customers (otherwise the plan page suggests the recommended one). */
  withinPlan: boolean;
  /** The pages open, or the plan page first. */
  pages: "open" | "choose-plan";
  /** Write-back (tags, metafields, segment mirrors) and segment discounts. */
  background: BackgroundWork;
  /** While a shop that never subscribed is over the free limit: when its install grace ends. */
  graceEndsAt: Date | null;
}

const DAY_MS = 86_400_000;

/** The ACTIVE subscription to a paid plan (the latest activated, should Shopify report two). */
function activeSubscription(subscriptions: readonly SubscriptionFact[]): SubscriptionFact | null {
  const active = subscriptions
    .filter((s) => s.status === "ACTIVE" && isPaidPlanName(s.name))
    .sort((a, b) => (b.activatedAt ?? b.reportedAt).getTime() - (a.activatedAt ?? a.reportedAt).getTime());
  return active[0] ?? null;
}

export function entitlement(input: EntitlementInput): Entitlement {
  const { customers, subscriptions, now } = input;
  const subscription = activeSubscription(subscriptions);
  const plan: PlanName = subscription && isPaidPlanName(subscription.name) ? subscription.name : "Free";
  const overFreeLimit = customers > FREE_CUSTOMER_LIMIT;
  const neverSubscribed = subscriptions.length === 0;
  const graceEndsAt =
    overFreeLimit && !subscription && neverSubscribed && input.installedAt
      ? new Date(input.installedAt.getTime() + INSTALL_GRACE_DAYS * DAY_MS)
      : null;
  let background: BackgroundWork = { runs: true };
  if (overFreeLimit && !subscription && !(graceEndsAt && now < graceEndsAt)) {
    background = { runs: false, reason: lapseReason(customers, subscriptions) };
  }
  return {
    customers,
    plan,
    subscription,
    recommended: planFor(customers),
    overFreeLimit,
    withinPlan: covers(plan, customers),
    pages: overFreeLimit && !subscription ? "choose-plan" : "open",
    background,
    graceEndsAt,
  };
}

/** Why write-back and discounts stopped, for logs and job results (no personal data). */
function lapseReason(customers: number, subscriptions: readonly SubscriptionFact[]): string {
  const over = `${customers} segmented customers, over the free plan's ${FREE_CUSTOMER_LIMIT}`;
  // A stable sort: reports in the same second keep the store's order (the newest subscription first).
  const latest = [...subscriptions].sort((a, b) => b.reportedAt.getTime() - a.reportedAt.getTime())[0];
  if (!latest) return `plan lapsed: no subscription after the install grace; ${over}`;
  return `plan lapsed: subscription ${latest.name} is ${latest.status}; ${over}`;
}

/**
 * One trial per shop: the days of it left for a new subscription, counted
 * from the first time any subscription of the shop became active (an
 * upgrade, or a plan chosen again after a lapse, gets what remains).
 */
export function remainingTrialDays(subscriptions: readonly SubscriptionFact[], now: Date): number {
  const activations = subscriptions.flatMap((s) => (s.activatedAt ? [s.activatedAt.getTime()] : []));
  if (activations.length === 0) return TRIAL_DAYS;
  const used = Math.floor((now.getTime() - Math.min(...activations)) / DAY_MS);
  return Math.max(0, TRIAL_DAYS - used);
}
