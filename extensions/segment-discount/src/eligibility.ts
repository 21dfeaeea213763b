// Whether the buyer of a cart gets the segment discount at all. Both targets
// ask the same questions in the same order: is the configuration readable, is
// there a logged-in customer, is the customer in one of the segments (by the
// app's tag or by its customer metafield), is the customer outside the
// hold-out group, and does the cart reach the minimum subtotal.
import type { DiscountClass } from "../generated/api";
import { parseConfiguration, type DiscountConfiguration } from "./configuration";
import { isHeldOut } from "./holdout";
import { compareDecimals, multiply, parseDecimal, type Decimal } from "./money";

/** The part of both targets' input that eligibility reads (the generated input types fit it). */
export interface SegmentDiscountInput {
  cart: {
    buyerIdentity?: {
      customer?: {
        id: string;
        inSegmentByTag: boolean;
        segmentHandles?: { jsonValue: unknown } | null;
      } | null;
    } | null;
    cost: { subtotalAmount: { amount: unknown; currencyCode: string } };
  };
  discount: {
    discountClasses: readonly DiscountClass[];
    configuration?: { jsonValue: unknown } | null;
  };
  presentmentCurrencyRate: unknown;
}

export type IneligibleReason =
  "invalid-configuration" | "invalid-input" | "guest" | "not-in-segment" | "held-out" | "below-minimum";

export type Eligibility =
  | {
      eligible: true;
      configuration: DiscountConfiguration;
      /** Shop currency -> cart currency. */
      rate: Decimal;
      cartCurrency: string;
    }
  | { eligible: false; reason: IneligibleReason; problems: string[] };

export function evaluateEligibility(input: SegmentDiscountInput): Eligibility {
  const parsed = parseConfiguration(input.discount.configuration?.jsonValue);
  if (!parsed.ok) return { eligible: false, reason: "invalid-configuration", problems: parsed.problems };
  const configuration = parsed.configuration;

  const customer = input.cart.buyerIdentity?.customer;
  if (!customer || typeof customer.id !== "string") return ineligible("guest");
  if (!isInSegments(customer, configuration.segments)) return ineligible("not-in-segment");
  const holdout = configuration.holdout;
  if (holdout && isHeldOut(customer.id, holdout.discountId, holdout.percentage)) return ineligible("held-out");

  const rate = parseDecimal(input.presentmentCurrencyRate);
  const subtotal = parseDecimal(input.cart.cost.subtotalAmount.amount);
  const cartCurrency = input.cart.cost.subtotalAmount.currencyCode;
  if (!rate || rate.units <= 0n || !subtotal || typeof cartCurrency !== "string") {
    return {
      eligible: false,
      reason: "invalid-input",
      problems: ["The cart subtotal or currency rate is unreadable."],
    };
  }
  if (configuration.minimumSubtotal !== null) {
    // The minimum is in the shop's currency and the subtotal in the cart's:
    // compare exactly, without rounding the converted minimum.
    const minimum = multiply(parseDecimal(configuration.minimumSubtotal) as Decimal, rate);
    if (compareDecimals(subtotal, minimum) < 0) return ineligible("below-minimum");
  }
  return { eligible: true, configuration, rate, cartCurrency };
}

/** Member by the app's tag (hasAnyTag over the segments' tags) or by the app's `handles` metafield. */
function isInSegments(
  customer: { inSegmentByTag: boolean; segmentHandles?: { jsonValue: unknown } | null },
  segments: readonly string[],
): boolean {
  if (customer.inSegmentByTag === true) return true;
  const handles = customer.segmentHandles?.jsonValue;
  if (!Array.isArray(handles)) return false;
  return handles.some((handle) => typeof handle === "string" && segments.includes(handle.trim().toLowerCase()));
}

function ineligible(reason: IneligibleReason): Eligibility {
  return { eligible: false, reason, problems: [] };
}
