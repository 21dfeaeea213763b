// Merchant settings: every threshold of every family, with the documented
// defaults (see README.md), validated with zod. `parseSettings({})` gives the
// defaults; unknown keys are rejected so a typo does not silently fall back.
import { z } from "zod";
import { assertTimeZone } from "../features/clock";
import { ruleSchema } from "../rules/schema";

const share = z.number().min(0).max(1);
const days = z.number().int().min(1).max(3650);
const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a month and day "MM-DD", e.g. "12-24"')
  .refine((v) => {
    const [m, d] = v.split("-").map(Number);
    return d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }, "no such day in that month");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date "YYYY-MM-DD"')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "not a valid calendar date",
  );
export const handleSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'handles are kebab-case: lowercase letters, digits and single dashes, e.g. "vip-gifting"',
  )
  .max(60);
const yearlyWindow = z.strictObject({ start: monthDay, end: monthDay });

const merchantWindow = z.union([
  z.strictObject({
    handle: handleSchema,
    title: z.string().min(1).max(100),
    start: monthDay,
    end: monthDay,
  }),
  z.strictObject({
    handle: handleSchema,
    title: z.string().min(1).max(100),
    from: isoDate,
    to: isoDate,
  }),
]);
export type MerchantWindow = z.infer<typeof merchantWindow>;

export const customSegmentSchema = z.strictObject({
  handle: handleSchema,
  title: z.string().min(1).max(100),
  description: z.string().max(500).default(""),
  rule: ruleSchema,
});
export type CustomSegment = z.infer<typeof customSegmentSchema>;

export const settingsSchema = z
  .strictObject({
    /** IANA time zone of the shop; weekday, hour, day and season are computed in it. */
    timeZone: z
      .string()
      .default("UTC")
      .superRefine((tz, ctx) => {
        try {
          assertTimeZone(tz);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
        }
      }),
    /** Decimal places of the shop currency, only used to write amounts in reasons. */
    currencyDecimals: z.number().int().min(0).max(4).default(2),
    hemisphere: z.enum(["north", "south"]).default("north"),
    usage: z
      .strictObject({
        heavyTopShare: share.default(0.2),
        moderateNextShare: share.default(0.3),
        /** Tenure floor when annualizing, so a week-old customer with 2 orders is not "104 orders a year". */
        minTenureDays: days.default(90),
      })
      .prefault({}),
    loyalty: z
      .strictObject({
        newWithinDays: days.default(30),
        loyalMinOrders: z.number().int().min(2).default(4),
        atRiskAfterDays: days.default(90),
        lapsedAfterDays: days.default(180),
        reactivatedWithinDays: days.default(90),
        switcherMinDiscountShare: share.default(0.5),
      })
      .prefault({}),
    predictive: z
      .strictObject({
        timeUnit: z.enum(["day", "week"]).default("week"),
        minCustomers: z.number().int().min(10).default(200),
        minRepeatCustomers: z.number().int().min(10).default(30),
        likelyActiveMinPAlive: share.default(0.7),
        churnRiskMaxPAlive: share.default(0.3),
        likelyToBuyMinOrders90d: z.number().min(0).default(0.5),
        highValueTopShare: share.default(0.2),
        mediumValueNextShare: share.default(0.3),
      })
      .prefault({}),
    occasion: z
      .strictObject({
        blackFridayCyberMonday: z.boolean().default(true),
        holidaySeason: yearlyWindow.default({ start: "12-01", end: "12-24" }),
        valentinesDay: yearlyWindow.default({ start: "02-01", end: "02-14" }),
        mothersDay: z
          .strictObject({
            country: z.enum(["us", "uk"]).default("us"),
            daysBefore: z.number().int().min(0).max(60).default(14),
          })
          .prefault({}),
        fathersDay: z
          .strictObject({
            daysBefore: z.number().int().min(0).max(60).default(14),
          })
          .prefault({}),
        backToSchool: yearlyWindow.default({ start: "07-15", end: "09-15" }),
        seasonalMinOrders: z.number().int().min(2).default(3),
        seasonalMinShare: share.default(0.6),
        anniversaryWithinDays: days.default(14),
        windows: z.array(merchantWindow).max(24).default([]),
      })
      .prefault({}),
    benefits: z
      .strictObject({
        discountSeekerMinOrders: z.number().int().min(1).default(2),
        discountSeekerMinShare: share.default(0.5),
        premiumMinPricePercentile: share.default(0.8),
        premiumMaxDiscountShare: share.default(0.1),
        convenienceMinExpressShare: share.default(0.5),
        convenienceMinRepeatedProducts: z.number().int().min(1).default(2),
        varietyMinProductTypes: z.number().int().min(2).default(4),
      })
      .prefault({}),
    marketing: z
      .strictObject({
        campaignResponderMinOrders: z.number().int().min(1).default(1),
      })
      .prefault({}),
    customSegments: z.array(customSegmentSchema).max(100).default([]),
  })
  .superRefine((s, ctx) => {
    if (s.usage.heavyTopShare + s.usage.moderateNextShare > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["usage"],
        message: "heavyTopShare + moderateNextShare must not exceed 1",
      });
    }
    if (s.predictive.highValueTopShare + s.predictive.mediumValueNextShare > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["predictive"],
        message: "highValueTopShare + mediumValueNextShare must not exceed 1",
      });
    }
    if (s.loyalty.atRiskAfterDays >= s.loyalty.lapsedAfterDays) {
      ctx.addIssue({
        code: "custom",
        path: ["loyalty"],
        message: "atRiskAfterDays must be smaller than lapsedAfterDays",
      });
    }
    if (s.predictive.churnRiskMaxPAlive >= s.predictive.likelyActiveMinPAlive) {
      ctx.addIssue({
        code: "custom",
        path: ["predictive"],
        message: "churnRiskMaxPAlive must be below likelyActiveMinPAlive",
      });
    }
    const windowHandles = new Set<string>();
    s.occasion.windows.forEach((w, i) => {
      if (BUILT_IN_OCCASION_HANDLES.has(w.handle) || windowHandles.has(w.handle)) {
        ctx.addIssue({
          code: "custom",
          path: ["occasion", "windows", i, "handle"],
          message: `handle "${w.handle}" is already used`,
        });
      }
      windowHandles.add(w.handle);
      if ("from" in w && w.from > w.to) {
        ctx.addIssue({
          code: "custom",
          path: ["occasion", "windows", i],
          message: `"from" ${w.from} is after "to" ${w.to}`,
        });
      }
    });
    const customHandles = new Set<string>();
    s.customSegments.forEach((c, i) => {
      if (customHandles.has(c.handle)) {
        ctx.addIssue({
          code: "custom",
          path: ["customSegments", i, "handle"],
          message: `handle "${c.handle}" is used twice`,
        });
      }
      customHandles.add(c.handle);
    });
  });

/** Occasion handles produced by the engine itself; merchant windows may not reuse them. */
export const BUILT_IN_OCCASION_HANDLES = new Set([
  "black-friday-cyber-monday",
  "holiday-season",
  "valentines-day",
  "mothers-day",
  "fathers-day",
  "back-to-school",
  "seasonal-winter",
  "seasonal-spring",
  "seasonal-summer",
  "seasonal-autumn",
  "first-order-anniversary",
]);

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export class InvalidSettingsError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid settings:\n- ${issues.join("\n- ")}`);
  }
}

/** Settings with defaults filled in; throws InvalidSettingsError listing every problem. */
export function parseSettings(input: unknown = {}): Settings {
  const r = settingsSchema.safeParse(input ?? {});
  if (!r.success) throw new InvalidSettingsError(formatIssues(r.error.issues));
  return r.data;
}

export const DEFAULT_SETTINGS: Settings = parseSettings({});

export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message));
}
