// The insights settings of a shop, stored under Shop.settings.insights.
import { z } from "zod";

/** Bounds of the settings the settings page shows (the alert threshold as a share: 10 = 1,000%). */
export const INSIGHTS_BOUNDS = {
  retentionDays: { min: 30, max: 1_830 },
  alertThreshold: { max: 10 },
  alertMinSize: { min: 1, max: 1_000_000 },
} as const;

export const insightsSettingsSchema = z.strictObject({
  /** Days of daily snapshots kept; also the longest period the pages accept. */
  retentionDays: z
    .number()
    .int()
    .min(INSIGHTS_BOUNDS.retentionDays.min)
    .max(INSIGHTS_BOUNDS.retentionDays.max)
    .default(400),
  /** A segment whose size changes by this share within a week raises an alert. */
  alertThreshold: z.number().gt(0).max(INSIGHTS_BOUNDS.alertThreshold.max).default(0.25),
  /** Segments smaller than this at the start of the week raise no alert. */
  alertMinSize: z
    .number()
    .int()
    .min(INSIGHTS_BOUNDS.alertMinSize.min)
    .max(INSIGHTS_BOUNDS.alertMinSize.max)
    .default(20),
  /** Each group of a discount needs this many customers before a verdict. */
  liftMinGroupSize: z.number().int().min(10).default(30),
  /** Customers who ordered, in both groups together, before a verdict. */
  liftMinBuyers: z.number().int().min(1).default(10),
});

export type InsightsSettings = z.output<typeof insightsSettingsSchema>;

export type InsightsSettingsResult = { ok: true; settings: InsightsSettings } | { ok: false; issues: string[] };

/** Validates the stored or submitted insights settings; messages name the field. */
function parseInsightsSettings(input: unknown): InsightsSettingsResult {
  const parsed = insightsSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map(
      (i) => `insights${i.path.length ? `.${i.path.map(String).join(".")}` : ""}: ${i.message}`,
    ),
  };
}

/** The insights settings in a shop's stored settings JSON (defaults where absent or invalid). */
export function insightsSettingsOf(storedSettings: unknown): InsightsSettings {
  const raw = (storedSettings as { insights?: unknown } | null)?.insights;
  const parsed = parseInsightsSettings(raw);
  return parsed.ok ? parsed.settings : insightsSettingsSchema.parse({});
}
