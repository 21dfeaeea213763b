// The Billing API in GraphQL: the AppSubscription view, the app
// installation's subscription fields, appSubscriptionCreate and
// appSubscriptionCancel.
import { arraySequence, checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../../connections";
import type { RequestContext } from "../../core";
import { minorFromAmount, moneyV2 } from "../../money";
import { isoFromSeconds } from "../../util";
import { unsupported, userError, type UserError, type ViewContext } from "../common";
import {
  currentPeriodEnd,
  refreshStatus,
  subscriptionUpdatePayload,
  type AppSubscriptionRecord,
  type PricingInterval,
  type RecurringPlan,
  type SubscriptionLineItemRecord,
  type UsagePlan,
} from "./model";

interface MoneyInput {
  amount: string | number;
  currencyCode: string;
}

interface LineItemInput {
  plan: {
    appRecurringPricingDetails?: {
      interval?: PricingInterval | null;
      price: MoneyInput;
      discount?: {
        value?: { percentage?: number | null; amount?: string | number | null } | null;
        durationLimitInIntervals?: number | null;
      } | null;
    } | null;
    appUsagePricingDetails?: { cappedAmount: MoneyInput; terms: string } | null;
  };
}

export interface SubscriptionCreateArgs {
  name: string;
  lineItems: LineItemInput[];
  test?: boolean | null;
  trialDays?: number | null;
  returnUrl: string;
  replacementBehavior?: string | null;
}

function planView(ctx: ViewContext, sub: AppSubscriptionRecord, plan: RecurringPlan | UsagePlan) {
  const money = (minor: number) => moneyV2(minor, sub.currency);
  if (plan.kind === "usage") {
    return {
      __typename: "AppUsagePricing",
      balanceUsed: money(plan.balanceUsedMinor),
      cappedAmount: money(plan.cappedAmountMinor),
      interval: "EVERY_30_DAYS",
      terms: plan.terms,
    };
  }
  const d = plan.discount;
  const discountMinor = d ? (d.amountMinor ?? Math.round(plan.priceMinor * (d.percentage ?? 0))) : 0;
  return {
    __typename: "AppRecurringPricing",
    interval: plan.interval,
    planHandle: null,
    price: money(plan.priceMinor),
    discount: d
      ? {
          durationLimitInIntervals: d.durationLimitInIntervals,
          remainingDurationInIntervals: d.durationLimitInIntervals,
          priceAfterDiscount: money(plan.priceMinor - discountMinor),
          value:
            d.percentage !== null
              ? { __typename: "AppSubscriptionDiscountPercentage", percentage: d.percentage }
              : { __typename: "AppSubscriptionDiscountAmount", amount: money(d.amountMinor!) },
        }
      : null,
  };
}

export function subscriptionView(ctx: ViewContext, sub: AppSubscriptionRecord) {
  refreshStatus(sub, ctx.nowSeconds);
  const periodEnd = currentPeriodEnd(sub, ctx.nowSeconds);
  return {
    __typename: "AppSubscription",
    id: ctx.shop.ids.gid("AppSubscription", sub.id),
    name: sub.name,
    status: sub.status,
    test: sub.test,
    trialDays: sub.trialDays,
    returnUrl: sub.returnUrl,
    createdAt: isoFromSeconds(sub.createdAt),
    currentPeriodEnd: periodEnd === null ? null : isoFromSeconds(periodEnd),
    lineItems: sub.lineItems.map((item) => ({
      __typename: "AppSubscriptionLineItem",
      id: ctx.shop.ids.gid("AppSubscriptionLineItem", item.id),
      plan: { pricingDetails: planView(ctx, sub, item.plan) },
      usageRecords: (args: ConnectionArgs) => {
        checkPageArgs(args, "usageRecords", ctx.bulk);
        return paginate(
          identitySequence(0),
          () => true,
          args,
          () => null,
        );
      },
    })),
  };
}

/** AppInstallation's subscription fields. */
export function installationBillingFields(ctx: ViewContext) {
  const subs = ctx.shop.subscriptions;
  const active = () => {
    for (const sub of subs) refreshStatus(sub, ctx.nowSeconds);
    return subs.filter((sub) => sub.status === "ACTIVE").map((sub) => subscriptionView(ctx, sub));
  };
  return {
    activeSubscriptions: active,
    /** Deprecated: "Use activeSubscriptions instead." */
    subscriptions: active,
    // The simulator has no one-time purchases (no appPurchaseOneTimeCreate):
    // always an empty page, as Shopify answers a shop that bought none.
    // @shopify/shopify-api's billing.check asks for it beside activeSubscriptions.
    oneTimePurchases: (args: ConnectionArgs & { sortKey?: string | null }) => {
      checkPageArgs(args, "oneTimePurchases", ctx.bulk);
      return paginate(
        arraySequence([]),
        () => true,
        args,
        () => null,
      );
    },
    allSubscriptions: (args: ConnectionArgs) => {
      checkPageArgs(args, "allSubscriptions", ctx.bulk);
      // CREATED_AT and ID give the same order: ids grow with creation.
      const order = subs.map((_, p) => p);
      return paginate(
        arraySequence(order),
        () => true,
        args,
        (p) => subscriptionView(ctx, subs[p]),
      );
    },
  };
}

function parseAmount(
  money: MoneyInput,
  path: string[],
  errors: UserError[],
  label: string,
): { minor: number; currency: string } | null {
  const amount = typeof money.amount === "number" ? money.amount : Number(money.amount);
  if (!Number.isFinite(amount) || amount <= 0) {
    errors.push(userError([...path, "amount"], `${label} must be greater than 0`));
    return null;
  }
  try {
    return { minor: minorFromAmount(amount, money.currencyCode, label), currency: money.currencyCode };
  } catch (e) {
    errors.push(userError([...path, "amount"], (e as Error).message));
    return null;
  }
}

function parseDiscount(
  input: NonNullable<NonNullable<LineItemInput["plan"]["appRecurringPricingDetails"]>["discount"]>,
  price: { minor: number; currency: string },
  path: string[],
  errors: UserError[],
): RecurringPlan["discount"] {
  const { percentage, amount } = input.value ?? {};
  const limit = input.durationLimitInIntervals ?? null;
  if ((percentage == null) === (amount == null)) {
    errors.push(userError([...path, "value"], "A discount needs either a percentage or an amount"));
    return null;
  }
  if (limit !== null && limit <= 0)
    errors.push(userError([...path, "durationLimitInIntervals"], "Duration limit must be greater than 0"));
  if (percentage != null) {
    if (percentage <= 0 || percentage > 1)
      errors.push(userError([...path, "value", "percentage"], "Percentage must be greater than 0 and at most 1"));
    return { percentage, amountMinor: null, durationLimitInIntervals: limit };
  }
  const parsed = parseAmount({ amount: amount!, currencyCode: price.currency }, [...path, "value"], errors, "Discount");
  if (parsed && parsed.minor > price.minor)
    errors.push(userError([...path, "value", "amount"], "Discount amount cannot be greater than the price"));
  return { percentage: null, amountMinor: parsed?.minor ?? 0, durationLimitInIntervals: limit };
}

function parseLineItem(
  input: LineItemInput,
  index: number,
  errors: UserError[],
): { plan: RecurringPlan | UsagePlan; currency: string } | null {
  const path = ["lineItems", String(index), "plan"];
  const recurring = input.plan?.appRecurringPricingDetails;
  const usage = input.plan?.appUsagePricingDetails;
  if (Boolean(recurring) === Boolean(usage)) {
    errors.push(userError(path, "A plan needs exactly one of appRecurringPricingDetails or appUsagePricingDetails"));
    return null;
  }
  if (recurring) {
    const at = [...path, "appRecurringPricingDetails"];
    const price = parseAmount(recurring.price, [...at, "price"], errors, "Price");
    if (!price) return null;
    const discount = recurring.discount ? parseDiscount(recurring.discount, price, [...at, "discount"], errors) : null;
    const plan: RecurringPlan = {
      kind: "recurring",
      interval: recurring.interval ?? "EVERY_30_DAYS",
      priceMinor: price.minor,
      discount,
    };
    return { plan, currency: price.currency };
  }
  const at = [...path, "appUsagePricingDetails"];
  const capped = parseAmount(usage!.cappedAmount, [...at, "cappedAmount"], errors, "Capped amount");
  if (!usage!.terms?.trim()) errors.push(userError([...at, "terms"], "Terms can't be blank"));
  if (!capped) return null;
  return {
    plan: { kind: "usage", cappedAmountMinor: capped.minor, terms: usage!.terms, balanceUsedMinor: 0 },
    currency: capped.currency,
  };
}

/** Checks the arguments; the line items, currency and errors found. */
function checkCreateArgs(args: SubscriptionCreateArgs) {
  const errors: UserError[] = [];
  if (!args.name?.trim()) errors.push(userError(["name"], "Name can't be blank"));
  if (!/^https?:\/\/[^\s/]+/.test(args.returnUrl ?? "")) errors.push(userError(["returnUrl"], "Return url is invalid"));
  if (args.trialDays != null && (!Number.isInteger(args.trialDays) || args.trialDays < 0))
    errors.push(userError(["trialDays"], "Trial days must be greater than or equal to 0"));
  if (!args.lineItems.length) errors.push(userError(["lineItems"], "Line items can't be blank"));
  const parsed = args.lineItems.map((item, i) => parseLineItem(item, i, errors));
  const plans = parsed.flatMap((p) => (p ? [p.plan] : []));
  if (plans.filter((p) => p.kind === "recurring").length > 1 || plans.filter((p) => p.kind === "usage").length > 1)
    errors.push(userError(["lineItems"], "Only one pricing plan can be defined for each available type"));
  const currencies = new Set(parsed.flatMap((p) => (p ? [p.currency] : [])));
  if (currencies.size > 1) errors.push(userError(["lineItems"], "All line items must use the same currency"));
  const annual = plans.some((p) => p.kind === "recurring" && p.interval === "ANNUAL");
  if (annual && plans.some((p) => p.kind === "usage"))
    errors.push(userError(["lineItems"], "Usage pricing cannot be combined with an annual plan"));
  return { errors, plans, currency: [...currencies][0] ?? "USD" };
}

function appSubscriptionCreate(ctx: RequestContext, args: SubscriptionCreateArgs) {
  if (args.replacementBehavior === "APPLY_ON_NEXT_BILLING_CYCLE")
    throw unsupported("appSubscriptionCreate with replacementBehavior APPLY_ON_NEXT_BILLING_CYCLE");
  const { errors, plans, currency } = checkCreateArgs(args);
  if (errors.length) return { appSubscription: null, confirmationUrl: null, userErrors: errors };
  const lineItems: SubscriptionLineItemRecord[] = plans.map((plan) => ({ id: ctx.core.nextId(), plan }));
  const sub: AppSubscriptionRecord = {
    id: ctx.core.nextId(),
    name: args.name,
    status: "PENDING",
    test: args.test ?? false,
    trialDays: args.trialDays ?? 0,
    returnUrl: args.returnUrl,
    currency,
    replacementBehavior: args.replacementBehavior ?? "STANDARD",
    lineItems,
    createdAt: ctx.nowSeconds,
    updatedAt: ctx.nowSeconds,
    activatedAt: null,
  };
  ctx.shop.subscriptions.push(sub);
  const store = ctx.shop.domain.replace(".myshopify.com", "");
  const chargeId = ctx.shop.ids.text(sub.id);
  const signature = Buffer.from(`${chargeId}:${ctx.core.apiKey}`).toString("base64url");
  return {
    appSubscription: subscriptionView(ctx, sub),
    confirmationUrl: `https://admin.shopify.com/store/${store}/charges/${ctx.core.apiKey}/${chargeId}/RecurringApplicationCharge/confirm_recurring_application_charge?signature=${signature}`,
    userErrors: [],
  };
}

function appSubscriptionCancel(ctx: RequestContext, args: { id: string; prorate?: boolean | null }) {
  const local = ctx.shop.ids.localFromGid(args.id, "AppSubscription");
  const sub = ctx.shop.subscriptions.find((s) => s.id === local);
  if (!sub) return { appSubscription: null, userErrors: [userError(["id"], "Couldn't find the app subscription")] };
  refreshStatus(sub, ctx.nowSeconds);
  if (sub.status !== "ACTIVE" && sub.status !== "FROZEN")
    return {
      appSubscription: subscriptionView(ctx, sub),
      userErrors: [userError(["id"], `An app subscription that is ${sub.status.toLowerCase()} cannot be cancelled`)],
    };
  sub.status = "CANCELLED";
  sub.updatedAt = ctx.nowSeconds;
  ctx.core.emitWebhook(ctx.shop, "app_subscriptions/update", () => subscriptionUpdatePayload(ctx.shop, sub));
  return { appSubscription: subscriptionView(ctx, sub), userErrors: [] };
}

export function billingMutations(ctx: RequestContext) {
  return {
    appSubscriptionCreate: (args: SubscriptionCreateArgs) => appSubscriptionCreate(ctx, args),
    appSubscriptionCancel: (args: { id: string; prorate?: boolean | null }) => appSubscriptionCancel(ctx, args),
  };
}
