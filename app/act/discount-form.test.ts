import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfiguration } from "../../extensions/segment-discount/src/configuration";
import { shopConfigFrom } from "../settings/shop-config";
import { buildDiscountConfiguration, segmentAvailability } from "./discount-configuration";
import { displayStatus, rewardSummary } from "./discount-display";
import {
  defaultFormValues,
  formDataFromValues,
  formValuesFromDiscount,
  formValuesFromFormData,
  localDatesOf,
  parseDiscountForm,
  scheduleOf,
  type DiscountFormValues,
  type FormContext,
} from "./discount-form";
import { SEGMENT_DISCOUNT_FUNCTION_HANDLE } from "./segment-discount-function";

const context: FormContext = {
  currency: "GBP",
  availableSegments: ["rfm/champions", "rfm/loyal"],
  segmentTitles: new Map([["rfm/at-risk", "At risk"]]),
};

function form(patch: Partial<DiscountFormValues> = {}): DiscountFormValues {
  return {
    ...defaultFormValues("2026-12-01", "rfm/champions"),
    title: "Champions 15%",
    rewardValue: "15",
    ...patch,
  };
}

function errorsOf(patch: Partial<DiscountFormValues>, ctx = context) {
  const result = parseDiscountForm(form(patch), ctx);
  if (result.ok) throw new Error("expected the form to be refused");
  return result.errors;
}

describe("segment discount form", () => {
  it("accepts a valid form and normalizes it into a draft", () => {
    const result = parseDiscountForm(
      form({
        segments: ["rfm/champions", "rfm/loyal", "rfm/champions"],
        holdoutPercentage: "12.5",
        endDate: "2026-12-31",
      }),
      context,
    );
    expect(result).toEqual({
      ok: true,
      draft: {
        method: "automatic",
        title: "Champions 15%",
        code: null,
        segments: ["rfm/champions", "rfm/loyal"],
        reward: { target: "order", kind: "percentage", value: "15", appliesToEachItem: false },
        minimumSubtotal: null,
        combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
        holdoutPercentage: 12.5,
        message: null,
        startDate: "2026-12-01",
        endDate: "2026-12-31",
      },
    });
  });

  it("refuses every bad input with the field named", () => {
    // A percentage outside 0-100.
    for (const value of ["0", "100.5", "-5", "abc", ""])
      expect(errorsOf({ rewardKind: "percentage", rewardValue: value })).toEqual({
        rewardValue: "Enter a percentage above 0 and at most 100.",
      });
    // A negative or zero amount.
    for (const value of ["0", "0.00", "-5", "five"])
      expect(errorsOf({ rewardKind: "fixedAmount", rewardValue: value })).toEqual({
        rewardValue: "Enter an amount above zero, e.g. 5.00.",
      });
    expect(errorsOf({ rewardKind: "fixedAmount", rewardValue: "5.001" })).toEqual({
      rewardValue: "Use at most 2 decimals for GBP.",
    });
    // No segments.
    expect(errorsOf({ segments: [] })).toEqual({ segments: "Choose at least one segment." });
    expect(errorsOf({ segments: ["rfm/at-risk"] })).toEqual({
      segments: "These segments are disabled in the settings or no longer exist: At risk.",
    });
    // A hold-out share outside 0-50%.
    for (const value of ["-1", "50.01", "75", "", "ten"])
      expect(errorsOf({ holdoutPercentage: value })).toEqual({
        holdoutPercentage: "Enter a hold-out share from 0 to 50%.",
      });
    // An end date before the start.
    expect(errorsOf({ endDate: "2026-11-30" })).toEqual({ endDate: "The end date cannot be before the start date." });
    expect(errorsOf({ startDate: "2026-02-30" })).toEqual({ startDate: "Enter a start date." });
    // The rest.
    expect(errorsOf({ title: "  " })).toEqual({ title: "Enter a title of at most 255 characters." });
    expect(errorsOf({ method: "code", code: "" })).toEqual({
      code: "Enter the code customers type at checkout (at most 255 characters).",
    });
    expect(errorsOf({ rewardTarget: "order", rewardKind: "free" })).toEqual({
      rewardKind: "Free applies to shipping only.",
    });
    expect(errorsOf({ minimumSubtotal: "-3" })).toEqual({
      minimumSubtotal: "Enter an amount of 0 or more, or leave it empty.",
    });
    expect(errorsOf({ method: "gift" })).toEqual({ method: "Choose automatic or code." });
  });

  it("reports all problems at once", () => {
    const errors = errorsOf({ segments: [], holdoutPercentage: "60", rewardValue: "0", endDate: "2026-01-01" });
    expect(Object.keys(errors).sort()).toEqual(["endDate", "holdoutPercentage", "rewardValue", "segments"]);
  });

  it("keeps JPY amounts whole and allows a zero hold-out and a one-day discount", () => {
    const yen = { ...context, currency: "JPY" };
    expect(errorsOf({ rewardKind: "fixedAmount", rewardValue: "500.5" }, yen)).toEqual({
      rewardValue: "Use at most 0 decimals for JPY.",
    });
    const result = parseDiscountForm(
      form({ rewardKind: "fixedAmount", rewardValue: "0500", holdoutPercentage: "0", endDate: "2026-12-01" }),
      yen,
    );
    expect(result.ok && result.draft.reward.value).toBe("500");
    expect(result.ok && result.draft.holdoutPercentage).toBe(0);
  });

  it("round-trips through form data, as the browser posts it", () => {
    const values = form({ segments: ["rfm/champions", "rfm/loyal"], combinesWithOrder: true, message: "Hi" });
    expect(formValuesFromFormData(formDataFromValues(values))).toEqual(values);
  });

  it("turns calendar days in the shop's time zone into instants and back", () => {
    const schedule = scheduleOf({ startDate: "2026-03-28", endDate: "2026-03-29" }, "Europe/London");
    // Midnight GMT, then midnight BST after the clocks went forward on the 29th.
    expect(schedule.startsAt.toISOString()).toBe("2026-03-28T00:00:00.000Z");
    expect(schedule.endsAt!.toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(localDatesOf(schedule.startsAt, schedule.endsAt, "Europe/London")).toEqual({
      startDate: "2026-03-28",
      endDate: "2026-03-29",
    });
    const tokyo = scheduleOf({ startDate: "2026-12-01", endDate: null }, "Asia/Tokyo");
    expect(tokyo).toEqual({ startsAt: new Date("2026-11-30T15:00:00.000Z"), endsAt: null });
  });

  it("gives back the stored discount's values for editing", () => {
    const values = form({
      rewardTarget: "product",
      rewardKind: "fixedAmount",
      rewardValue: "5.00",
      appliesToEachItem: true,
    });
    const result = parseDiscountForm(values, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const schedule = scheduleOf(result.draft, "Europe/London");
    const stored = { ...result.draft, ...schedule };
    expect(formValuesFromDiscount(stored, "Europe/London")).toEqual(values);
  });
});

describe("what the Function reads", () => {
  const config = shopConfigFrom({
    id: "shop-1",
    domain: "a.myshopify.com",
    timezone: "UTC",
    currency: "GBP",
    settings: { writeback: { tagPrefix: "rs-", previousPrefixes: ["seg:"], tagNames: { "rfm/loyal": "Loyal Fans" } } },
  });

  it("builds a configuration the Function's own validator accepts, keyed by the app's id", () => {
    const built = buildDiscountConfiguration(
      {
        id: "0b6d7c1e-4c1e-4a43-9d59-2d0c1f1b1a11",
        reward: { target: "product", kind: "fixedAmount", value: "5.00", appliesToEachItem: true },
        minimumSubtotal: "50",
        holdoutPercentage: 10,
        message: "Welcome back",
      },
      ["rfm/champions", "rfm/loyal"],
      config,
    );
    if (!built.ok) throw new Error(built.problems.join());
    expect(built.discountClasses).toEqual(["PRODUCT"]);
    const [configuration, variables] = built.metafields;
    expect(configuration).toMatchObject({
      namespace: "$app:segment-discount",
      key: "function-configuration",
      type: "json",
    });
    const parsed = parseConfiguration(JSON.parse(configuration.value));
    expect(parsed).toEqual({
      ok: true,
      configuration: {
        version: 1,
        segments: ["rfm-champions", "loyal-fans"],
        rewards: { product: { fixedAmount: "5.00", appliesToEachItem: true } },
        minimumSubtotal: "50",
        holdout: { percentage: 10, discountId: "0b6d7c1e-4c1e-4a43-9d59-2d0c1f1b1a11" },
        message: "Welcome back",
      },
    });
    // Every prefix a customer's tag may carry while the write-back moves them.
    expect(JSON.parse(variables.value)).toEqual({
      segmentTags: ["rs-rfm-champions", "rs-loyal-fans", "seg:rfm-champions", "seg:loyal-fans"],
    });
  });

  it("splits a discount's segments into the enabled ones and the disabled or removed ones", () => {
    const disabled = shopConfigFrom({
      id: "shop-1",
      domain: "a.myshopify.com",
      timezone: "UTC",
      currency: "GBP",
      settings: { writeback: { disabledSegments: ["rfm/loyal"] } },
    });
    expect(segmentAvailability(["rfm/champions", "rfm/loyal", "custom/gone"], disabled)).toEqual({
      available: ["rfm/champions"],
      unavailable: ["rfm/loyal", "custom/gone"],
    });
  });

  it("names the Function by the handle in its shopify.extension.toml", () => {
    const toml = readFileSync("extensions/segment-discount/shopify.extension.toml", "utf8");
    expect(/^handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1]).toBe(SEGMENT_DISCOUNT_FUNCTION_HANDLE);
  });
});

describe("display", () => {
  it("derives the status from the pause and the dates, and words the reward", () => {
    const now = new Date("2026-12-02T12:00:00Z");
    const base = { status: "active", startsAt: new Date("2026-12-01T00:00:00Z"), endsAt: null };
    expect(displayStatus(base, now)).toBe("active");
    expect(displayStatus({ ...base, status: "paused" }, now)).toBe("paused");
    expect(displayStatus({ ...base, startsAt: new Date("2026-12-03T00:00:00Z") }, now)).toBe("scheduled");
    expect(displayStatus({ ...base, endsAt: new Date("2026-12-02T00:00:00Z") }, now)).toBe("expired");
    expect(
      rewardSummary({ target: "order", kind: "fixedAmount", value: "10", appliesToEachItem: false }, "50", "GBP"),
    ).toBe("£10.00 off the order, orders from £50.00");
    expect(
      rewardSummary({ target: "shipping", kind: "free", value: null, appliesToEachItem: false }, null, "GBP"),
    ).toBe("Free shipping");
  });
});
