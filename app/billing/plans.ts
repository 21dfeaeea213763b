// The app's plans (ADR 037): free up to a number of segmented customers,
// then paid tiers by the number of customers segmented, each with a trial.
// Pure: the billing config of shopifyApp (./config.server.ts), the plan page
// and the entitlement rules (./entitlement.ts) all read this one list.
/** Customers the free plan segments. */
export const FREE_CUSTOMER_LIMIT = 500;

/** Days of trial on every paid plan (Shopify counts them; no charge until they pass). */
export const TRIAL_DAYS = 14;

/**
 * Days after install during which a shop that has never had a subscription
 * keeps write-back and discounts while over the free limit: the time to try
 * the app on its own data before choosing. The pages ask for a plan at once.
 */
export const INSTALL_GRACE_DAYS = 14; // as long as the trial

export interface PaidPlan {
  /** The plan's name: the billing config's key and the subscription's name in Shopify. */
  name: PaidPlanName;
  /** Price every 30 days, in USD (Shopify bills in the merchant's currency). */
  priceUsd: number;
  /** Segmented customers the plan covers; null: no limit. */
  customerLimit: number | null;
}

export type PaidPlanName = "Starter" | "Growth" | "Scale";
export type PlanName = "Free" | PaidPlanName;

/** Paid plans, smallest first. */
export const PAID_PLANS: readonly PaidPlan[] = [
  { name: "Starter", priceUsd: 19, customerLimit: 5_000 },
  { name: "Growth", priceUsd: 49, customerLimit: 25_000 },
  { name: "Scale", priceUsd: 149, customerLimit: null },
];

export const PAID_PLAN_NAMES: readonly PaidPlanName[] = PAID_PLANS.map((plan) => plan.name);

export function isPaidPlanName(value: unknown): value is PaidPlanName {
  return typeof value === "string" && (PAID_PLAN_NAMES as readonly string[]).includes(value);
}

function paidPlan(name: PaidPlanName): PaidPlan {
  return PAID_PLANS.find((plan) => plan.name === name)!;
}

/** The smallest plan that covers `customers` segmented customers. */
export function planFor(customers: number): PlanName {
  if (customers <= FREE_CUSTOMER_LIMIT) return "Free";
  return PAID_PLANS.find((plan) => plan.customerLimit === null || customers <= plan.customerLimit)!.name;
}

/** Whether a plan covers `customers` (the free plan up to its limit). */
export function covers(plan: PlanName, customers: number): boolean {
  if (plan === "Free") return customers <= FREE_CUSTOMER_LIMIT;
  const limit = paidPlan(plan).customerLimit;
  return limit === null || customers <= limit;
}
