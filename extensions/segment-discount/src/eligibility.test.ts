import { describe, expect, it } from "vitest";
import { DiscountClass } from "../generated/api";
import { evaluateEligibility, type SegmentDiscountInput } from "./eligibility";

const DISCOUNT_ID = "gid://shopify/DiscountAutomaticNode/1057371";
const MEMBER = "gid://shopify/Customer/7208420950000"; // hold-out position 0.3866 for DISCOUNT_ID
const HELD_OUT = "gid://shopify/Customer/7208420950013"; // hold-out position 0.0096

function input(overrides: {
  customer?: { id: string; inSegmentByTag: boolean; segmentHandles?: { jsonValue: unknown } | null } | null;
  buyerIdentity?: null;
  configuration?: unknown;
  subtotal?: unknown;
  currency?: string;
  rate?: unknown;
}): SegmentDiscountInput {
  const customer =
    overrides.customer === undefined ? { id: MEMBER, inSegmentByTag: true, segmentHandles: null } : overrides.customer;
  return {
    cart: {
      buyerIdentity: overrides.buyerIdentity === null ? null : { customer },
      cost: { subtotalAmount: { amount: overrides.subtotal ?? "100.00", currencyCode: overrides.currency ?? "USD" } },
    },
    discount: {
      discountClasses: [DiscountClass.Product],
      configuration: {
        jsonValue: overrides.configuration ?? {
          version: 1,
          segments: ["rfm-champions"],
          rewards: { product: { percentage: 15 } },
          minimumSubtotal: "50.00",
          holdout: { percentage: 10, discountId: DISCOUNT_ID },
        },
      },
    },
    presentmentCurrencyRate: overrides.rate ?? "1.0",
  };
}

const reason = (value: SegmentDiscountInput) => {
  const result = evaluateEligibility(value);
  return result.eligible ? "eligible" : result.reason;
};

describe("evaluateEligibility", () => {
  it("admits a member found by the app's tag", () => {
    expect(reason(input({}))).toBe("eligible");
  });

  it("admits a member found only by the app's metafield, case-insensitively", () => {
    const customer = {
      id: MEMBER,
      inSegmentByTag: false,
      segmentHandles: { jsonValue: ["usage-heavy", "RFM-Champions"] },
    };
    expect(reason(input({ customer }))).toBe("eligible");
  });

  it("turns away guests, with or without a buyer identity", () => {
    expect(reason(input({ customer: null }))).toBe("guest");
    expect(reason(input({ buyerIdentity: null }))).toBe("guest");
  });

  it("turns away customers outside the segments, and ignores a metafield that is not a list", () => {
    expect(reason(input({ customer: { id: MEMBER, inSegmentByTag: false, segmentHandles: null } }))).toBe(
      "not-in-segment",
    );
    const odd = { id: MEMBER, inSegmentByTag: false, segmentHandles: { jsonValue: "rfm-champions" } };
    expect(reason(input({ customer: odd }))).toBe("not-in-segment");
  });

  it("turns away the hold-out group, and lets the same customer in without a hold-out", () => {
    const customer = { id: HELD_OUT, inSegmentByTag: true, segmentHandles: null };
    expect(reason(input({ customer }))).toBe("held-out");
    const configuration = { version: 1, segments: ["rfm-champions"], rewards: { product: { percentage: 15 } } };
    expect(reason(input({ customer, configuration }))).toBe("eligible");
  });

  it("compares the minimum (shop currency) with the subtotal (cart currency) through the rate", () => {
    expect(reason(input({ subtotal: "49.99" }))).toBe("below-minimum");
    expect(reason(input({ subtotal: "50.0" }))).toBe("eligible");
    // 50.00 USD at 150.25 JPY per USD is 7,512.5 yen: 7,512 is below, 7,513 reaches it.
    expect(reason(input({ subtotal: "7512", currency: "JPY", rate: "150.25" }))).toBe("below-minimum");
    expect(reason(input({ subtotal: "7513", currency: "JPY", rate: "150.25" }))).toBe("eligible");
  });

  it("gives up on unreadable input or configuration", () => {
    expect(reason(input({ rate: "0" }))).toBe("invalid-input");
    expect(reason(input({ subtotal: "ten" }))).toBe("invalid-input");
    expect(reason(input({ configuration: { version: 1 } }))).toBe("invalid-configuration");
    const result = evaluateEligibility(input({ configuration: "not json" }));
    expect(result).toEqual({
      eligible: false,
      reason: "invalid-configuration",
      problems: ["The configuration must be a JSON object."],
    });
  });
});
