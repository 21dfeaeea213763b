// The settings page's form, shared by the browser and the server: the typed
// values (strings as entered) <-> the stored settings input, and the
// validation, which is the app's own (validateShopSettings: the engine's
// settings schema plus the write-back's tag rules) with each message mapped
// to the field it is about. The server adds what needs Shopify: the check
// that a tag prefix captures none of the store's own tags.
import { DEFAULT_SETTINGS, type CatalogEntry } from "../segmentation";
import { t } from "../i18n";
import { INSIGHTS_BOUNDS as INSIGHTS_SCHEMA_BOUNDS } from "../insights/core/settings";
import { RETENTION_BOUNDS } from "./retention";
import { DEFAULT_NIGHTLY_HOUR, ShopSettingsError, validateShopSettings, type ShopSettingsInput } from "./shop-config";

/** The families with thresholds, in report order; each one's slice key in the engine settings. */
export const THRESHOLD_FAMILIES = [
  { family: "usage", key: "usage" },
  { family: "loyalty", key: "loyalty" },
  { family: "predictive", key: "predictive" },
  { family: "occasion", key: "occasion" },
  { family: "benefits", key: "benefits" },
  { family: "marketing", key: "marketing" },
] as const;

export type ThresholdKind = "number" | "boolean" | "enum" | "monthDay";

export interface ThresholdField {
  /** "<slice>.<field>[.<sub>]", e.g. "loyalty.lapsedAfterDays", "occasion.holidaySeason.start". */
  path: string;
  family: string;
  kind: ThresholdKind;
  /** The default, as the form shows it. */
  defaultText: string;
  options?: string[];
}

const ENUM_OPTIONS: Record<string, string[]> = {
  "predictive.timeUnit": ["day", "week"],
  "occasion.mothersDay.country": ["us", "uk"],
};

function fieldsOf(family: string, prefix: string, value: Record<string, unknown>): ThresholdField[] {
  const out: ThresholdField[] = [];
  for (const [name, v] of Object.entries(value)) {
    const path = `${prefix}.${name}`;
    if (Array.isArray(v)) continue; // merchant windows and custom segments have their own editors
    if (v !== null && typeof v === "object") {
      out.push(...fieldsOf(family, path, v as Record<string, unknown>));
    } else if (typeof v === "boolean") {
      out.push({ path, family, kind: "boolean", defaultText: String(v) });
    } else if (typeof v === "number") {
      out.push({ path, family, kind: "number", defaultText: String(v) });
    } else if (ENUM_OPTIONS[path]) {
      out.push({ path, family, kind: "enum", defaultText: String(v), options: ENUM_OPTIONS[path] });
    } else {
      out.push({ path, family, kind: "monthDay", defaultText: String(v) });
    }
  }
  return out;
}

/** Every threshold of every family, with its default (from the engine's own defaults). */
export const THRESHOLD_FIELDS: ThresholdField[] = THRESHOLD_FAMILIES.flatMap(({ family, key }) =>
  fieldsOf(family, key, DEFAULT_SETTINGS[key] as unknown as Record<string, unknown>),
);

export interface WindowValues {
  handle: string;
  title: string;
  /** "yearly": MM-DD every year; "dates": one-off YYYY-MM-DD dates. */
  kind: "yearly" | "dates";
  start: string;
  end: string;
}

/** How long history and records are kept, in days (text as entered). */
export interface RetentionFormValues {
  historyDays: string;
  activityDays: string;
  complianceDays: string;
}

/** The insights settings the page shows (text as entered); the alert threshold in percent. */
export interface InsightsFormValues {
  retentionDays: string;
  alertThresholdPercent: string;
  alertMinSize: string;
}

const RETENTION_FIELDS = ["historyDays", "activityDays", "complianceDays"] as const;
const INSIGHTS_FIELDS = ["retentionDays", "alertThresholdPercent", "alertMinSize"] as const;

/** Bounds of the insights fields as the form shows them (the schema's; the threshold in percent). */
export const INSIGHTS_BOUNDS = {
  retentionDays: INSIGHTS_SCHEMA_BOUNDS.retentionDays,
  alertThresholdPercent: { min: 0, max: INSIGHTS_SCHEMA_BOUNDS.alertThreshold.max * 100 },
  alertMinSize: INSIGHTS_SCHEMA_BOUNDS.alertMinSize,
} as const;

export interface SettingsFormValues {
  tagPrefix: string;
  hemisphere: "north" | "south";
  metafields: boolean;
  nightlyHour: string;
  /** Segment keys without a tag. */
  disabledSegments: string[];
  /** Segment keys mirrored as native Shopify segments. */
  mirrors: string[];
  /** Threshold path -> text as entered. */
  thresholds: Record<string, string>;
  windows: WindowValues[];
  retention: RetentionFormValues;
  insights: InsightsFormValues;
}

/**
 * Field errors: "tagPrefix", "nightlyHour", "hemisphere", "segments", "thresholds.<path>", "windows.<i>.<field>",
 * "family.<name>", "retention.<field>", "insights.<field>", "form".
 */
export type SettingsFormErrors = Record<string, string>;

function get(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = node[part] = next && typeof next === "object" ? { ...(next as object) } : {};
  }
  node[parts[parts.length - 1]] = value;
}

/** The form's values from a shop's validated settings. */
export function settingsFormValues(config: {
  segmentation: typeof DEFAULT_SETTINGS;
  writeback: { tagPrefix: string; disabledSegments: string[]; mirrors: string[]; metafields: boolean };
  schedule: { nightlyHour: number };
  insights: { retentionDays: number; alertThreshold: number; alertMinSize: number };
  retention: { historyDays: number; activityDays: number; complianceDays: number };
}): SettingsFormValues {
  const s = config.segmentation;
  return {
    tagPrefix: config.writeback.tagPrefix,
    hemisphere: s.hemisphere,
    metafields: config.writeback.metafields,
    nightlyHour: String(config.schedule.nightlyHour),
    disabledSegments: [...config.writeback.disabledSegments],
    mirrors: [...config.writeback.mirrors],
    thresholds: Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.path, String(get(s, f.path))])),
    windows: s.occasion.windows.map((w) =>
      "start" in w
        ? { handle: w.handle, title: w.title, kind: "yearly" as const, start: w.start, end: w.end }
        : { handle: w.handle, title: w.title, kind: "dates" as const, start: w.from, end: w.to },
    ),
    retention: {
      historyDays: String(config.retention.historyDays),
      activityDays: String(config.retention.activityDays),
      complianceDays: String(config.retention.complianceDays),
    },
    insights: {
      retentionDays: String(config.insights.retentionDays),
      // 0.25 -> "25" (rounded to the schema's precision, so 0.07 shows as 7, not 7.000000000000001).
      alertThresholdPercent: String(Math.round(config.insights.alertThreshold * 1e6) / 1e4),
      alertMinSize: String(config.insights.alertMinSize),
    },
  };
}

/** A whole number of the field within its bounds, or null (the field's error is set). */
function wholeNumber(
  text: string,
  bounds: { min: number; max: number },
  key: string,
  errors: SettingsFormErrors,
): number | null {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < bounds.min || value > bounds.max) {
    errors[key] = t("settings.errors.wholeNumber", { min: bounds.min, max: bounds.max });
    return null;
  }
  return value;
}

/**
 * The retention and insights settings the form stands for, on top of the
 * stored insights settings (the lift's minimums, which the page does not
 * show, are kept). Each problem is set next to its field.
 */
function retentionAndInsightsFromForm(
  values: SettingsFormValues,
  stored: ShopSettingsInput,
  errors: SettingsFormErrors,
): { retention: Record<string, number>; insights: Record<string, unknown> } {
  const retention: Record<string, number> = {};
  for (const field of RETENTION_FIELDS) {
    const value = wholeNumber(values.retention[field], RETENTION_BOUNDS[field], `retention.${field}`, errors);
    if (value !== null) retention[field] = value;
  }
  const insights: Record<string, unknown> = { ...((stored.insights ?? {}) as Record<string, unknown>) };
  const retentionDays = wholeNumber(
    values.insights.retentionDays,
    INSIGHTS_BOUNDS.retentionDays,
    "insights.retentionDays",
    errors,
  );
  if (retentionDays !== null) insights.retentionDays = retentionDays;
  const minSize = wholeNumber(
    values.insights.alertMinSize,
    INSIGHTS_BOUNDS.alertMinSize,
    "insights.alertMinSize",
    errors,
  );
  if (minSize !== null) insights.alertMinSize = minSize;
  const percentText = values.insights.alertThresholdPercent.trim();
  const percent = Number(percentText);
  const { max } = INSIGHTS_BOUNDS.alertThresholdPercent;
  if (percentText === "" || !Number.isFinite(percent) || percent <= 0 || percent > max) {
    errors["insights.alertThresholdPercent"] = t("settings.errors.percent", { max });
  } else {
    insights.alertThreshold = percent / 100;
  }
  if (retention.historyDays !== undefined && retentionDays !== null && retention.historyDays < retentionDays) {
    errors["retention.historyDays"] = t("settings.errors.historyShorter", { days: retentionDays });
  }
  return { retention, insights };
}

/**
 * The settings input the form stands for, on top of what is stored (custom
 * segments, tag names and anything the form does not show are kept).
 * Thresholds equal to their default are left out, so they follow the
 * engine's default. Text that is not a number is an error of its field.
 */
function settingsInputFromForm(
  values: SettingsFormValues,
  stored: ShopSettingsInput,
): { input: ShopSettingsInput; errors: SettingsFormErrors } {
  const errors: SettingsFormErrors = {};
  const segmentation: Record<string, unknown> = { ...((stored.segmentation ?? {}) as Record<string, unknown>) };
  for (const { key } of THRESHOLD_FAMILIES) {
    const slice = { ...((segmentation[key] ?? {}) as Record<string, unknown>) };
    for (const f of THRESHOLD_FIELDS.filter((x) => x.path.startsWith(`${key}.`))) {
      const text = (values.thresholds[f.path] ?? f.defaultText).trim();
      const inner = f.path.slice(key.length + 1);
      let value: unknown = text;
      if (f.kind === "number") {
        value = Number(text);
        if (text === "" || !Number.isFinite(value)) {
          errors[`thresholds.${f.path}`] = t("settings.errors.number");
          continue;
        }
      } else if (f.kind === "boolean") {
        value = text === "true";
      }
      if (String(value) === f.defaultText) {
        // Back to the default: drop the stored override (and an emptied parent object).
        const parts = inner.split(".");
        if (parts.length === 1) delete slice[parts[0]];
        else {
          const parent = { ...((slice[parts[0]] ?? {}) as Record<string, unknown>) };
          delete parent[parts[1]];
          if (Object.keys(parent).length) slice[parts[0]] = parent;
          else delete slice[parts[0]];
        }
      } else {
        setPath(slice, inner, value);
      }
    }
    if (key === "occasion") {
      const windows = values.windows.map((w) =>
        w.kind === "yearly"
          ? { handle: w.handle.trim(), title: w.title.trim(), start: w.start.trim(), end: w.end.trim() }
          : { handle: w.handle.trim(), title: w.title.trim(), from: w.start.trim(), to: w.end.trim() },
      );
      if (windows.length) slice.windows = windows;
      else delete slice.windows;
    }
    if (Object.keys(slice).length) segmentation[key] = slice;
    else delete segmentation[key];
  }
  if (values.hemisphere === DEFAULT_SETTINGS.hemisphere) delete segmentation.hemisphere;
  else segmentation.hemisphere = values.hemisphere;

  const writeback: Record<string, unknown> = { ...((stored.writeback ?? {}) as Record<string, unknown>) };
  delete writeback.previousPrefixes;
  writeback.tagPrefix = values.tagPrefix;
  writeback.disabledSegments = [...values.disabledSegments].sort();
  writeback.mirrors = [...values.mirrors].sort();
  writeback.metafields = values.metafields;

  const hourText = values.nightlyHour.trim();
  const hour = Number(hourText);
  if (!/^\d{1,2}$/.test(hourText) || hour > 23) errors.nightlyHour = t("settings.errors.hour");
  const schedule = hour === DEFAULT_NIGHTLY_HOUR || errors.nightlyHour ? {} : { nightlyHour: hour };
  const { retention, insights } = retentionAndInsightsFromForm(values, stored, errors);
  return { input: { segmentation, writeback, schedule, insights, retention }, errors };
}

/** The form field an issue of validateShopSettings is about ("segmentation.loyalty.lapsedAfterDays: ..."). */
function fieldOfIssue(issue: string): { key: string; message: string } {
  const colon = issue.indexOf(": ");
  const path = colon > 0 && !issue.slice(0, colon).includes(" ") ? issue.slice(0, colon) : "";
  const message = path ? issue.slice(colon + 2) : issue;
  if (!path) return { key: /tag prefix/i.test(issue) ? "tagPrefix" : "form", message };
  const parts = path.split(".");
  if (parts[0] === "schedule") return { key: "nightlyHour", message };
  if (parts[0] === "retention" && (RETENTION_FIELDS as readonly string[]).includes(parts[1] ?? "")) {
    return { key: `retention.${parts[1]}`, message };
  }
  if (parts[0] === "insights") {
    const field = parts[1] === "alertThreshold" ? "alertThresholdPercent" : parts[1];
    return {
      key: (INSIGHTS_FIELDS as readonly string[]).includes(field ?? "") ? `insights.${field}` : "form",
      message,
    };
  }
  if (parts[0] === "writeback") {
    if (parts[1] === "tagPrefix") return { key: "tagPrefix", message };
    if (parts[1] === "disabledSegments" || parts[1] === "mirrors") return { key: "segments", message };
    return { key: "form", message };
  }
  // segmentation.<slice>...
  const rest = parts.slice(1);
  if (rest[0] === "hemisphere") return { key: "hemisphere", message };
  if (rest[0] === "occasion" && rest[1] === "windows" && rest[2] !== undefined) {
    const field = rest[3] === "from" ? "start" : rest[3] === "to" ? "end" : (rest[3] ?? "end");
    return { key: `windows.${rest[2]}.${field}`, message };
  }
  const joined = rest.join(".");
  if (THRESHOLD_FIELDS.some((f) => f.path === joined)) return { key: `thresholds.${joined}`, message };
  // A check across fields of a slice: next to the first field it names.
  const named = THRESHOLD_FIELDS.find(
    (f) => f.path.startsWith(`${rest[0]}.`) && message.includes(f.path.split(".").slice(1).join(".")),
  );
  if (named) return { key: `thresholds.${named.path}`, message };
  const family = THRESHOLD_FAMILIES.find((f) => f.key === rest[0]);
  return { key: family ? `family.${family.family}` : "form", message };
}

/**
 * Every problem of the form next to its field, or the validated settings.
 * Runs in the browser before posting and on the server before anything is
 * stored or dry-run.
 */
export function validateSettingsForm(
  values: SettingsFormValues,
  stored: ShopSettingsInput,
  shop: { timezone: string; currency: string },
): { ok: true; input: ShopSettingsInput; catalog: CatalogEntry[] } | { ok: false; errors: SettingsFormErrors } {
  const { input, errors } = settingsInputFromForm(values, stored);
  if (Object.keys(errors).length) return { ok: false, errors };
  try {
    const { catalog } = validateShopSettings(input, shop);
    return { ok: true, input, catalog };
  } catch (error) {
    if (!(error instanceof ShopSettingsError)) throw error;
    const out: SettingsFormErrors = {};
    for (const issue of error.issues) {
      const { key, message } = fieldOfIssue(issue);
      out[key] = out[key] ? `${out[key]} ${message}` : message;
    }
    return { ok: false, errors: out };
  }
}

/**
 * The store's tags a prefix would capture: those under `prefix` (compared
 * without case, as Shopify does) that are not under one of the app's own
 * prefixes (the current one and those it is moving away from, which were
 * checked in the same way when they were chosen).
 */
export function capturedTags(prefix: string, storeTags: readonly string[], appPrefixes: readonly string[]): string[] {
  const lower = prefix.toLowerCase();
  const own = appPrefixes.map((p) => p.toLowerCase());
  return storeTags.filter((tag) => {
    const l = tag.toLowerCase();
    return l.startsWith(lower) && !own.some((p) => l.startsWith(p));
  });
}

/** The posted form (field "values", JSON), checked for shape; null when it is not the form's. */
export function settingsFormFromFormData(form: FormData): SettingsFormValues | null {
  let v: unknown;
  try {
    v = JSON.parse(String(form.get("values") ?? ""));
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === "string");
  if (typeof o.tagPrefix !== "string" || typeof o.nightlyHour !== "string" || typeof o.metafields !== "boolean")
    return null;
  if (o.hemisphere !== "north" && o.hemisphere !== "south") return null;
  if (!strings(o.disabledSegments) || !strings(o.mirrors)) return null;
  if (typeof o.thresholds !== "object" || o.thresholds === null) return null;
  const thresholds: Record<string, string> = {};
  for (const f of THRESHOLD_FIELDS) {
    const x = (o.thresholds as Record<string, unknown>)[f.path];
    if (x !== undefined && typeof x !== "string") return null;
    thresholds[f.path] = (x as string | undefined) ?? f.defaultText;
  }
  if (!Array.isArray(o.windows) || o.windows.length > 50) return null;
  const windows: WindowValues[] = [];
  for (const w of o.windows as Record<string, unknown>[]) {
    if (typeof w !== "object" || w === null) return null;
    if (![w.handle, w.title, w.start, w.end].every((x) => typeof x === "string")) return null;
    if (w.kind !== "yearly" && w.kind !== "dates") return null;
    windows.push({
      handle: w.handle as string,
      title: w.title as string,
      kind: w.kind,
      start: w.start as string,
      end: w.end as string,
    });
  }
  const texts = <K extends string>(x: unknown, keys: readonly K[]): Record<K, string> | null => {
    if (typeof x !== "object" || x === null) return null;
    const out = {} as Record<K, string>;
    for (const key of keys) {
      const text = (x as Record<string, unknown>)[key];
      if (typeof text !== "string") return null;
      out[key] = text;
    }
    return out;
  };
  const retention = texts(o.retention, RETENTION_FIELDS);
  const insights = texts(o.insights, INSIGHTS_FIELDS);
  if (!retention || !insights) return null;
  return {
    tagPrefix: o.tagPrefix,
    hemisphere: o.hemisphere,
    metafields: o.metafields,
    nightlyHour: o.nightlyHour,
    disabledSegments: o.disabledSegments as string[],
    mirrors: o.mirrors as string[],
    thresholds,
    windows,
    retention,
    insights,
  };
}
