import { env } from "../config/env.server";
import { BillingInterval, type BillingConfigSubscriptionLineItemPlan } from "@shopify/shopify-api";
import { PAID_PLANS, TRIAL_DAYS, type PaidPlanName } from "./plans";

/** shopifyApp's `billing` option: per paid plan, one recurring line item every 30 days, with the trial. */
export function billingConfig(): Record<PaidPlanName, BillingConfigSubscriptionLineItemPlan> {
  return Object.fromEntries(
    PAID_PLANS.map((plan) => [
      plan.name,
      {
        trialDays: TRIAL_DAYS,
        lineItems: [{ amount: plan.priceUsd, currencyCode: "USD", interval: BillingInterval.Every30Days }],
      },
    ]),
  ) as Record<PaidPlanName, BillingConfigSubscriptionLineItemPlan>;
}

/** Charges are test charges outside production (a development store cannot pay real ones). */
export function isTestCharge(): boolean {
  return env().NODE_ENV !== "production";
}
