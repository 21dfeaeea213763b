// The segment discount form: the values the merchant enters, their
// validation (the same code runs in the browser before submitting and on the
// server before anything is sent to Shopify or stored), and what a valid
// form becomes: the Function's configuration and the discount's dates.
// Pure: no I/O; messages come from app/locales/en.json.
import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { t } from "../i18n";
import { currencyExponent } from "../utils/money";
import { MAX_HOLDOUT_PERCENTAGE } from "./segment-discount-function";

const DEFAULT_HOLDOUT_PERCENTAGE = 10;
/** Shopify's limit for a discount's title and code. */
const MAX_TEXT_LENGTH = 255;

export const METHODS = ["automatic", "code"] as const;
export const REWARD_TARGETS = ["product", "order", "shipping"] as const;
export const REWARD_KINDS = ["percentage", "fixedAmount", "free"] as const;
export type DiscountMethod = (typeof METHODS)[number];
export type RewardTarget = (typeof REWARD_TARGETS)[number];
export type RewardKind = (typeof REWARD_KINDS)[number];

/** One reward per discount: what it applies to, how, and its value (a decimal string; none for free shipping). */
export interface RewardChoice {
  target: RewardTarget;
  kind: RewardKind;
  value: string | null;
  /** Product fixed amounts: off each item (true) or once across the products (false). */
  appliesToEachItem: boolean;
}

export interface CombinesWith {
  productDiscounts: boolean;
  orderDiscounts: boolean;
  shippingDiscounts: boolean;
}

/** The form as text fields, checkboxes and the chosen segment keys (browser state and posted form data alike). */
export interface DiscountFormValues {
  method: string;
  title: string;
  code: string;
  segments: string[];
  rewardTarget: string;
  rewardKind: string;
  rewardValue: string;
  appliesToEachItem: boolean;
  minimumSubtotal: string;
  combinesWithProduct: boolean;
  combinesWithOrder: boolean;
  combinesWithShipping: boolean;
  holdoutPercentage: string;
  message: string;
  startDate: string;
  endDate: string;
}

export type DiscountField = keyof DiscountFormValues | "form";
/** One message per field, shown next to it; "form" for what belongs to no single field. */
export type FieldErrors = Partial<Record<DiscountField, string>>;

/** A valid form. */
export interface DiscountDraft {
  method: DiscountMethod;
  title: string;
  code: string | null;
  /** Segment keys ("family/handle"), without duplicates, in the merchant's order. */
  segments: string[];
  reward: RewardChoice;
  minimumSubtotal: string | null;
  combinesWith: CombinesWith;
  holdoutPercentage: number;
  message: string | null;
  /** YYYY-MM-DD in the shop's time zone. */
  startDate: string;
  /** Last day the discount runs (YYYY-MM-DD), or null for no end. */
  endDate: string | null;
}

export interface FormContext {
  /** The shop's currency (fixed amounts and the minimum are in it). */
  currency: string;
  /** Segment keys a discount may target: enabled segments of the shop's catalog. */
  availableSegments: readonly string[];
  /** Segment names for messages, by key. */
  segmentTitles?: ReadonlyMap<string, string>;
}

export type FormResult = { ok: true; draft: DiscountDraft } | { ok: false; errors: FieldErrors };

const DECIMAL = /^\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
function isCalendarDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function decimalPlaces(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

function isHoldoutShare(text: string): boolean {
  if (!DECIMAL.test(text)) return false;
  const value = Number(text);
  return value >= 0 && value <= MAX_HOLDOUT_PERCENTAGE;
}

/** The fields that can be checked one by one; the rules between fields follow in `parseDiscountForm`. */
function fieldSchema() {
  const text = (message: string) => z.string().trim().max(MAX_TEXT_LENGTH, { error: message });
  return z.object({
    method: z.enum(METHODS, { error: t("discounts.errors.method") }),
    title: text(t("discounts.errors.title")).min(1, { error: t("discounts.errors.title") }),
    code: text(t("discounts.errors.code")),
    segments: z
      .array(
        z
          .string()
          .trim()
          .min(1, { error: t("discounts.errors.segments") }),
      )
      .min(1, { error: t("discounts.errors.segments") }),
    rewardTarget: z.enum(REWARD_TARGETS, { error: t("discounts.errors.rewardTarget") }),
    rewardKind: z.enum(REWARD_KINDS, { error: t("discounts.errors.rewardKind") }),
    rewardValue: z.string().trim(),
    appliesToEachItem: z.boolean(),
    minimumSubtotal: z
      .string()
      .trim()
      .refine((v) => v === "" || DECIMAL.test(v), { error: t("discounts.errors.minimumSubtotal") }),
    combinesWithProduct: z.boolean(),
    combinesWithOrder: z.boolean(),
    combinesWithShipping: z.boolean(),
    holdoutPercentage: z
      .string()
      .trim()
      .refine(isHoldoutShare, { error: t("discounts.errors.holdout") }),
    message: text(t("discounts.errors.message")),
    startDate: z
      .string()
      .trim()
      .refine(isCalendarDate, { error: t("discounts.errors.startDate") }),
    endDate: z
      .string()
      .trim()
      .refine((v) => v === "" || isCalendarDate(v), { error: t("discounts.errors.endDate") }),
  });
}

/**
 * Validates the form. Every problem comes back with the field it belongs to,
 * all at once; a valid form becomes a draft. Nothing is stored here.
 */
export function parseDiscountForm(values: DiscountFormValues, context: FormContext): FormResult {
  const errors: FieldErrors = {};
  const parsed = fieldSchema().safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form") as DiscountField;
      errors[field] ??= issue.message;
    }
  }
  const v = {
    ...values,
    code: values.code.trim(),
    rewardValue: values.rewardValue.trim(),
    minimumSubtotal: values.minimumSubtotal.trim(),
    startDate: values.startDate.trim(),
    endDate: values.endDate.trim(),
  };
  if (v.method === "code" && !errors.code && v.code === "") errors.code = t("discounts.errors.code");
  const segments = [...new Set(values.segments.map((s) => s.trim()).filter((s) => s !== ""))];
  if (!errors.segments) {
    const available = new Set(context.availableSegments);
    const unavailable = segments.filter((key) => !available.has(key));
    if (unavailable.length > 0) {
      const names = unavailable.map((key) => context.segmentTitles?.get(key) ?? key).join(", ");
      errors.segments = t("discounts.errors.segmentUnavailable", { segments: names });
    }
  }
  if (!errors.rewardTarget && !errors.rewardKind) {
    const problem = rewardProblem(v.rewardTarget as RewardTarget, v.rewardKind as RewardKind, v.rewardValue, context);
    if (problem) errors[problem.field] = problem.message;
  }
  if (!errors.minimumSubtotal && v.minimumSubtotal !== "") {
    const message = decimalsProblem(v.minimumSubtotal, context.currency);
    if (message) errors.minimumSubtotal = message;
  }
  if (!errors.startDate && !errors.endDate && v.endDate !== "" && v.endDate < v.startDate) {
    errors.endDate = t("discounts.errors.endBeforeStart");
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  const data = parsed.data;
  const free = data.rewardKind === "free";
  return {
    ok: true,
    draft: {
      method: data.method,
      title: data.title,
      code: data.method === "code" ? data.code : null,
      segments,
      reward: {
        target: data.rewardTarget,
        kind: data.rewardKind,
        value: free ? null : normalizeDecimal(data.rewardValue),
        appliesToEachItem:
          data.rewardTarget === "product" && data.rewardKind === "fixedAmount" && data.appliesToEachItem,
      },
      minimumSubtotal: data.minimumSubtotal === "" ? null : normalizeDecimal(data.minimumSubtotal),
      combinesWith: {
        productDiscounts: data.combinesWithProduct,
        orderDiscounts: data.combinesWithOrder,
        shippingDiscounts: data.combinesWithShipping,
      },
      holdoutPercentage: Number(data.holdoutPercentage),
      message: data.message === "" ? null : data.message,
      startDate: data.startDate,
      endDate: data.endDate === "" ? null : data.endDate,
    },
  };
}

function rewardProblem(
  target: RewardTarget,
  kind: RewardKind,
  value: string,
  context: FormContext,
): { field: DiscountField; message: string } | null {
  if (kind === "free") {
    return target === "shipping" ? null : { field: "rewardKind", message: t("discounts.errors.freeOnlyShipping") };
  }
  if (kind === "percentage") {
    const ok = DECIMAL.test(value) && Number(value) > 0 && Number(value) <= 100;
    return ok ? null : { field: "rewardValue", message: t("discounts.errors.percentage") };
  }
  if (!DECIMAL.test(value) || !/[1-9]/.test(value)) {
    return { field: "rewardValue", message: t("discounts.errors.amount") };
  }
  const message = decimalsProblem(value, context.currency);
  return message ? { field: "rewardValue", message } : null;
}

/** Amounts may not be finer than the currency (GBP 2 decimals, JPY none). */
function decimalsProblem(amount: string, currency: string): string | null {
  const decimals = currencyExponent(currency);
  return decimalPlaces(amount) > decimals ? t("discounts.errors.amountDecimals", { decimals, currency }) : null;
}

/** "05.50" -> "5.50", "7" -> "7": leading zeros dropped, the decimals the merchant typed kept. */
function normalizeDecimal(text: string): string {
  const [whole, fraction] = text.split(".");
  const digits = whole.replace(/^0+(?=\d)/, "");
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}

// ---------------------------------------------------------------------------
// Form values in and out.

export function defaultFormValues(today: string, segment?: string): DiscountFormValues {
  return {
    method: "automatic",
    title: "",
    code: "",
    segments: segment ? [segment] : [],
    rewardTarget: "order",
    rewardKind: "percentage",
    rewardValue: "",
    appliesToEachItem: false,
    minimumSubtotal: "",
    combinesWithProduct: false,
    combinesWithOrder: false,
    combinesWithShipping: false,
    holdoutPercentage: String(DEFAULT_HOLDOUT_PERCENTAGE),
    message: "",
    startDate: today,
    endDate: "",
  };
}

/** The stored discount as form values (for editing). */
export function formValuesFromDiscount(
  discount: {
    method: string;
    title: string;
    code: string | null;
    segments: readonly string[];
    reward: RewardChoice;
    minimumSubtotal: string | null;
    combinesWith: CombinesWith;
    holdoutPercentage: number;
    message: string | null;
    startsAt: Date;
    endsAt: Date | null;
  },
  timeZone: string,
): DiscountFormValues {
  const dates = localDatesOf(discount.startsAt, discount.endsAt, timeZone);
  return {
    method: discount.method,
    title: discount.title,
    code: discount.code ?? "",
    segments: [...discount.segments],
    rewardTarget: discount.reward.target,
    rewardKind: discount.reward.kind,
    rewardValue: discount.reward.value ?? "",
    appliesToEachItem: discount.reward.appliesToEachItem,
    minimumSubtotal: discount.minimumSubtotal ?? "",
    combinesWithProduct: discount.combinesWith.productDiscounts,
    combinesWithOrder: discount.combinesWith.orderDiscounts,
    combinesWithShipping: discount.combinesWith.shippingDiscounts,
    holdoutPercentage: String(discount.holdoutPercentage),
    message: discount.message ?? "",
    startDate: dates.startDate,
    endDate: dates.endDate,
  };
}

const TEXT_FIELDS = [
  "method",
  "title",
  "code",
  "rewardTarget",
  "rewardKind",
  "rewardValue",
  "minimumSubtotal",
  "holdoutPercentage",
  "message",
  "startDate",
  "endDate",
] as const;
const FLAG_FIELDS = ["appliesToEachItem", "combinesWithProduct", "combinesWithOrder", "combinesWithShipping"] as const;

/** Posted form data as form values (missing fields are empty, unchecked boxes false). */
export function formValuesFromFormData(data: FormData): DiscountFormValues {
  const text = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value : "";
  };
  const values = {
    segments: data.getAll("segments").filter((v): v is string => typeof v === "string"),
  } as DiscountFormValues;
  for (const name of TEXT_FIELDS) values[name] = text(name);
  for (const name of FLAG_FIELDS) values[name] = text(name) === "true" || text(name) === "on";
  return values;
}

/** Form values as form data (what the browser posts). */
export function formDataFromValues(values: DiscountFormValues): FormData {
  const data = new FormData();
  for (const name of TEXT_FIELDS) data.set(name, values[name]);
  for (const name of FLAG_FIELDS) data.set(name, values[name] ? "true" : "false");
  for (const segment of values.segments) data.append("segments", segment);
  return data;
}

// ---------------------------------------------------------------------------
// Dates: the form has calendar days in the shop's time zone; Shopify has instants.

/** The discount starts at 00:00 of its start day and ends at 00:00 after its end day, shop time. */
export function scheduleOf(
  draft: Pick<DiscountDraft, "startDate" | "endDate">,
  timeZone: string,
): { startsAt: Date; endsAt: Date | null } {
  return {
    startsAt: localMidnight(draft.startDate, timeZone, 0),
    endsAt: draft.endDate === null ? null : localMidnight(draft.endDate, timeZone, 1),
  };
}

function localMidnight(date: string, timeZone: string, addDays: number): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(new TZDate(y, m - 1, d + addDays, timeZone).getTime());
}

/** The calendar day of an instant in the shop's time zone (YYYY-MM-DD). */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

/** The form's days of a discount's instants: the end day is the last day it runs. */
export function localDatesOf(
  startsAt: Date,
  endsAt: Date | null,
  timeZone: string,
): { startDate: string; endDate: string } {
  return {
    startDate: localDate(startsAt, timeZone),
    endDate: endsAt === null ? "" : localDate(new Date(endsAt.getTime() - 1), timeZone),
  };
}

// ---------------------------------------------------------------------------
// What the Function reads.

/** The reward as the Function's configuration `rewards` (one discount class). */
function rewardsConfiguration(reward: RewardChoice): Record<string, unknown> {
  const value =
    reward.kind === "free"
      ? { free: true }
      : reward.kind === "percentage"
        ? { percentage: Number(reward.value) }
        : { fixedAmount: reward.value };
  if (reward.target === "product" && reward.kind === "fixedAmount") {
    return { product: { ...value, appliesToEachItem: reward.appliesToEachItem } };
  }
  return { [reward.target]: value };
}

/**
 * The Function's configuration (extensions/segment-discount/src/configuration.ts):
 * the segments as handles (tag names without the prefix), the reward, the
 * minimum, the message, and the hold-out keyed by the app's id of the
 * discount, which exists before Shopify's does.
 */
export function functionConfiguration(input: {
  handles: readonly string[];
  reward: RewardChoice;
  minimumSubtotal: string | null;
  holdoutPercentage: number;
  holdoutKey: string;
  message: string | null;
}): Record<string, unknown> {
  return {
    version: 1,
    segments: [...input.handles],
    rewards: rewardsConfiguration(input.reward),
    minimumSubtotal: input.minimumSubtotal,
    holdout: { percentage: input.holdoutPercentage, discountId: input.holdoutKey },
    message: input.message,
  };
}
