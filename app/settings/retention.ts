// How long the app keeps a shop's history and records, stored under
// Shop.settings.retention. Pure: the schema, its defaults and bounds, and the
// periods the pruning job applies (app/privacy/retention.server.ts, ADR 038).
import { z } from "zod";

export const RETENTION_BOUNDS = {
  /** Segment history (SegmentTransition): the overview's 90-day trend needs 90 days. */
  historyDays: { min: 90, max: 1_830, default: 730 },
  /** Job runs and webhook deliveries (the activity page and deduplication). */
  activityDays: { min: 14, max: 365, default: 90 },
  /** Customer data requests and the log of compliance webhooks (24 months: ADR 038). */
  complianceDays: { min: 365, max: 2_190, default: 730 },
} as const;

const days = (bounds: { min: number; max: number; default: number }) =>
  z.number().int().min(bounds.min).max(bounds.max).default(bounds.default);

export const retentionSettingsSchema = z.strictObject({
  /** Days of segment entries and exits kept (at least the insights retention). */
  historyDays: days(RETENTION_BOUNDS.historyDays),
  /** Days of job runs (the latest of each kind is always kept) and ordinary webhook deliveries kept. */
  activityDays: days(RETENTION_BOUNDS.activityDays),
  /** Days of customer data requests and compliance webhook deliveries kept. */
  complianceDays: days(RETENTION_BOUNDS.complianceDays),
});

export type RetentionSettings = z.output<typeof retentionSettingsSchema>;

export const DEFAULT_RETENTION: RetentionSettings = retentionSettingsSchema.parse({});

/** The retention settings in a shop's stored settings JSON (defaults where absent or invalid). */
export function retentionSettingsOf(storedSettings: unknown): RetentionSettings {
  const raw = (storedSettings as { retention?: unknown } | null)?.retention;
  const parsed = retentionSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : DEFAULT_RETENTION;
}

/** Problems of retention settings against the insights retention (messages name the field). */
export function retentionProblems(retention: RetentionSettings, insightsRetentionDays: number): string[] {
  if (retention.historyDays >= insightsRetentionDays) return [];
  return [
    `retention.historyDays: must be at least the insights retention (${insightsRetentionDays} days): the movement matrix and rebuilt snapshots read the segment history of their whole period`,
  ];
}

export interface RetentionCutoffs {
  /** SegmentTransition rows before this moment are deleted. */
  history: Date;
  /** JobRun rows (but the latest of each kind) and ordinary WebhookEvent rows before this moment are deleted. */
  activity: Date;
  /** DataRequest rows and compliance WebhookEvent rows before this moment are deleted. */
  compliance: Date;
}

const DAY_MS = 86_400_000;

/** Days of segment history actually kept: the setting, but never less than the insights need (their retention + 1 day). */
export function historyDaysKept(retention: RetentionSettings, insightsRetentionDays: number): number {
  return Math.max(retention.historyDays, insightsRetentionDays + 1, RETENTION_BOUNDS.historyDays.min);
}

/**
 * The moments before which rows are deleted. The history is kept one day
 * longer than the insights retention even if stored settings say less (a
 * period's first day starts up to a day before `now - retentionDays`).
 */
export function retentionCutoffs(
  retention: RetentionSettings,
  insightsRetentionDays: number,
  now: Date,
): RetentionCutoffs {
  const at = (n: number) => new Date(now.getTime() - n * DAY_MS);
  return {
    history: at(historyDaysKept(retention, insightsRetentionDays)),
    activity: at(retention.activityDays),
    compliance: at(retention.complianceDays),
  };
}
