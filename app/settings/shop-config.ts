// Merchant settings of a shop, stored in Shop.settings as
//   { segmentation: <engine settings, see app/segmentation/settings.ts>,
//     writeback: { tagPrefix, disabledSegments, tagNames, mirrors, metafields, previousPrefixes },
//     schedule: { nightlyHour },
//     insights: <app/insights/core/settings.ts>,
//     retention: <./retention.ts> }
// Pure: validation and the ShopConfig every stage works from. Everything is
// validated before it is stored (./settings.server.ts); bad input gets
// messages that name the field.
import { z } from "zod";
import { InvalidSettingsError, parseSettings, segmentCatalog, type CatalogEntry, type Settings } from "../segmentation";
import { insightsSettingsSchema, type InsightsSettings } from "../insights/core/settings";
import { currencyExponent } from "../utils/money";
import { buildTagMap, MAX_TAG_LENGTH, segmentTagName, tagPrefixProblems } from "../writeback/tags";
import { retentionSettingsSchema, type RetentionSettings } from "./retention";

export const DEFAULT_TAG_PREFIX = "seg:";

export const writebackSettingsSchema = z.strictObject({
  /** Prefix of every tag the app writes; tags without it are never touched. */
  tagPrefix: z.string().default(DEFAULT_TAG_PREFIX),
  /** Segment keys ("family/handle") that get no tag (their tags are removed). */
  disabledSegments: z.array(z.string()).default([]),
  /** Merchant's names for segment tags, by segment key; kebab-cased. */
  tagNames: z.record(z.string(), z.string().max(MAX_TAG_LENGTH)).default({}),
  /** Segment keys mirrored as native Shopify customer segments. */
  mirrors: z.array(z.string()).default([]),
  /** Whether customer metafields ($app:segments) are written. */
  metafields: z.boolean().default(true),
  /** Former prefixes whose tags are still being moved to the current one (kept by the app, not the merchant). */
  previousPrefixes: z.array(z.string()).default([]),
});
export type WritebackSettings = z.output<typeof writebackSettingsSchema>;

export const DEFAULT_NIGHTLY_HOUR = 3;

const scheduleSettingsSchema = z.strictObject({
  /** Hour of the day (shop time, 0-23) of the nightly full recompute. */
  nightlyHour: z.number().int().min(0).max(23).default(DEFAULT_NIGHTLY_HOUR),
});
export type ScheduleSettings = z.output<typeof scheduleSettingsSchema>;

export interface ShopSettingsInput {
  segmentation?: unknown;
  writeback?: unknown;
  schedule?: unknown;
  insights?: unknown;
  retention?: unknown;
}

export interface ShopSettings {
  segmentation: Settings;
  writeback: WritebackSettings;
  schedule: ScheduleSettings;
  insights: InsightsSettings;
  retention: RetentionSettings;
}

/** The nightly recompute's hour from stored settings (the default when unset or unreadable). */
export function nightlyHourOf(stored: unknown): number {
  const schedule = (stored as ShopSettingsInput | null)?.schedule;
  const parsed = scheduleSettingsSchema.safeParse(schedule ?? {});
  return parsed.success ? parsed.data.nightlyHour : DEFAULT_NIGHTLY_HOUR;
}

export class ShopSettingsError extends Error {
  constructor(readonly issues: string[]) {
    super(`The settings were not saved:\n- ${issues.join("\n- ")}`);
    this.name = "ShopSettingsError";
  }
}

/** Decimal places of an ISO 4217 currency (JPY 0, USD 2, KWD 3). */
const currencyDecimals = currencyExponent;

/**
 * Validates settings input. The engine settings take the shop's time zone
 * and currency unless given; the write-back settings are checked against the
 * engine's segment catalog (tag lengths, collisions, unknown segment keys).
 */
export function validateShopSettings(
  input: ShopSettingsInput,
  shop: { timezone: string; currency: string },
): ShopSettings & { catalog: CatalogEntry[]; tags: Map<string, string> } {
  const issues: string[] = [];
  let segmentation: Settings | null = null;
  try {
    const raw = (input.segmentation ?? {}) as Record<string, unknown>;
    segmentation = parseSettings({
      timeZone: shop.timezone,
      currencyDecimals: currencyDecimals(shop.currency),
      ...raw,
    });
  } catch (error) {
    if (error instanceof InvalidSettingsError) issues.push(...error.issues.map((i) => `segmentation.${i}`));
    else throw error;
  }
  const parsed = writebackSettingsSchema.safeParse(input.writeback ?? {});
  if (!parsed.success) {
    issues.push(
      ...parsed.error.issues.map(
        (i) => `writeback${i.path.length ? `.${i.path.map(String).join(".")}` : ""}: ${i.message}`,
      ),
    );
  }
  const issuesOf = (key: string, error: z.ZodError) =>
    error.issues.map((i) => `${key}${i.path.length ? `.${i.path.map(String).join(".")}` : ""}: ${i.message}`);
  const schedule = scheduleSettingsSchema.safeParse(input.schedule ?? {});
  if (!schedule.success) issues.push(...issuesOf("schedule", schedule.error));
  const insights = insightsSettingsSchema.safeParse(input.insights ?? {});
  if (!insights.success) issues.push(...issuesOf("insights", insights.error));
  const retention = retentionSettingsSchema.safeParse(input.retention ?? {});
  if (!retention.success) issues.push(...issuesOf("retention", retention.error));
  if (!segmentation || !parsed.success || !schedule.success || !insights.success || !retention.success) {
    throw new ShopSettingsError(issues);
  }
  const writeback = parsed.data;
  const catalog = segmentCatalog(segmentation);
  const keys = new Set(catalog.map((c) => c.key));
  const longest = Math.max(...catalog.map((c) => segmentTagName(c.key, writeback.tagNames[c.key]).length));
  issues.push(...tagPrefixProblems(writeback.tagPrefix, longest));
  for (const [field, list] of [
    ["disabledSegments", writeback.disabledSegments],
    ["mirrors", writeback.mirrors],
    ["tagNames", Object.keys(writeback.tagNames)],
  ] as const) {
    for (const key of list) if (!keys.has(key)) issues.push(`writeback.${field}: there is no segment "${key}"`);
  }
  const { tags, problems } = buildTagMap(
    writeback.tagPrefix,
    catalog.map((c) => ({ key: c.key, tagName: writeback.tagNames[c.key] })),
  );
  if (issues.length === 0) issues.push(...problems);
  if (issues.length) throw new ShopSettingsError(issues);
  return {
    segmentation,
    writeback,
    schedule: schedule.data,
    insights: insights.data,
    retention: retention.data,
    catalog,
    tags,
  };
}

export interface ShopConfig extends ShopSettings {
  shopId: string;
  domain: string;
  catalog: CatalogEntry[];
  /** Tag of every segment, enabled or not. */
  tags: Map<string, string>;
  /** Tag of every enabled segment: what customers should carry. */
  enabledTags: Map<string, string>;
  /** Prefixes whose tags belong to the app (current first). */
  prefixes: string[];
}

/**
 * Whether two configurations segment customers alike (the dry run then
 * compares the stored memberships instead of recomputing them).
 */
export function sameSegmentation(
  a: Pick<ShopSettings, "segmentation">,
  b: Pick<ShopSettings, "segmentation">,
): boolean {
  return JSON.stringify(a.segmentation) === JSON.stringify(b.segmentation);
}

/** What the chunks put in the customer metafields besides the segments: nothing when they are off. */
function metafieldInputs({ writeback }: Pick<ShopSettings, "writeback">): string {
  if (!writeback.metafields) return "off";
  return JSON.stringify([[...writeback.disabledSegments].sort(), Object.entries(writeback.tagNames).sort()]);
}

/**
 * What saving `after` over `before` must run. The memberships, and the
 * metafield values the recompute's chunks queue (segment handles: disabled
 * segments and tag names), only change through a recompute; everything else
 * the write-back derives under the current settings (tags, their prefix,
 * native segment mirrors: ADR 046). So a change that leaves both alone needs
 * only the write-back.
 */
export function workAfterSettingsChange(
  before: Pick<ShopSettings, "segmentation" | "writeback">,
  after: Pick<ShopSettings, "segmentation" | "writeback">,
): "recompute" | "writeback" {
  return sameSegmentation(before, after) && metafieldInputs(before) === metafieldInputs(after)
    ? "writeback"
    : "recompute";
}

export function shopConfigFrom(shop: {
  id: string;
  domain: string;
  timezone: string;
  currency: string;
  settings: unknown;
}): ShopConfig {
  const stored = (shop.settings ?? {}) as ShopSettingsInput;
  const { segmentation, writeback, schedule, insights, retention, catalog, tags } = validateShopSettings(stored, shop);
  const disabled = new Set(writeback.disabledSegments);
  const enabledTags = new Map([...tags].filter(([key]) => !disabled.has(key)));
  return {
    shopId: shop.id,
    domain: shop.domain,
    segmentation,
    writeback,
    schedule,
    insights,
    retention,
    catalog,
    tags,
    enabledTags,
    prefixes: [writeback.tagPrefix, ...writeback.previousPrefixes.filter((p) => p !== writeback.tagPrefix)],
  };
}
