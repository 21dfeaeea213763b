// What the Settings page loads and does, for the session's shop only: the
// form's values and the segment catalog; a dry run of the changed settings
// (how many customers would gain or lose each tag, and who); saving, which
// stores the settings, moves the nightly schedule and schedules a recompute
// (or only the write-back, when memberships and metafields stay the same).
// A tag prefix that would capture the store's own tags (compared without
// case against shop.customerTags) is refused in both.
import type { PrismaClient, Shop } from "@prisma/client";
import { SHOP_CUSTOMER_TAGS } from "../graphql/admin/shop.server";
import { t } from "../i18n";
import type { DryRunResult } from "../recompute/dry-run.server";
import { PreviewUnavailableError, runPreview } from "../queues/previews.server";
import { enqueueShopRecompute, scheduleNightlyRecompute } from "../queues/segments.server";
import { enqueueShopWriteback } from "../queues/writeback.server";
import type { QueueRegistry } from "../queues/registry.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { findInstalledShop, readSettings } from "../stores/shops.server";
import { segmentationNow } from "../utils/segmentation-clock.server";
import {
  capturedTags,
  settingsFormValues,
  validateSettingsForm,
  type SettingsFormErrors,
  type SettingsFormValues,
} from "./settings-form";
import { shopConfigFrom, workAfterSettingsChange, type ShopSettingsInput } from "./shop-config";
import { updateShopSettings } from "./settings.server";

export interface SettingsDeps {
  db: PrismaClient;
  queues: () => Promise<QueueRegistry>;
  admin: AdminApi;
  /** How long a dry run is waited for (tests shorten it; PREVIEW_WAIT_MS otherwise). */
  previewWaitMs?: number;
}

/** At most this many of the store's tags are read (one page; the connection has no cursor). */
const STORE_TAGS_PAGE = 250;

async function installedShop(deps: SettingsDeps, domain: string): Promise<Shop> {
  const shop = await findInstalledShop(deps.db, domain);
  if (!shop) throw new Response("Not found", { status: 404 });
  return shop;
}

export interface SettingsPage {
  values: SettingsFormValues;
  /** The stored settings as given (the browser validates on top of them, as the server does). */
  stored: ShopSettingsInput;
  shop: { timezone: string; currency: string };
  segments: { key: string; family: string; title: string }[];
}

export async function loadSettingsPage(deps: SettingsDeps, domain: string): Promise<SettingsPage> {
  const shop = await installedShop(deps, domain);
  const config = shopConfigFrom(shop);
  return {
    values: settingsFormValues(config),
    stored: ((await readSettings(deps.db, shop.id)) ?? {}) as ShopSettingsInput,
    shop: { timezone: shop.timezone, currency: shop.currency },
    segments: config.catalog.map((c) => ({ key: c.key, family: c.family, title: c.title })),
  };
}

/** The store's customer tags a prefix would capture; [] when the prefix is the app's own already. */
async function prefixCaptures(
  admin: AdminApi,
  prefix: string,
  appPrefixes: readonly string[],
): Promise<{ captured: string[]; complete: boolean }> {
  if (appPrefixes.some((p) => p.toLowerCase() === prefix.toLowerCase())) return { captured: [], complete: true };
  const { shop } = await admin.request(SHOP_CUSTOMER_TAGS, { first: STORE_TAGS_PAGE });
  return {
    captured: capturedTags(prefix, shop.customerTags.nodes, appPrefixes),
    complete: !shop.customerTags.pageInfo.hasNextPage,
  };
}

type Checked =
  | { ok: true; shop: Shop; input: ShopSettingsInput; nightlyHour: number; partialTagCheck: boolean }
  | { ok: false; errors: SettingsFormErrors };

/** The form validated as in the browser, then the prefix against the store's tags. */
async function checkForm(deps: SettingsDeps, domain: string, values: SettingsFormValues): Promise<Checked> {
  const shop = await installedShop(deps, domain);
  const stored = ((await readSettings(deps.db, shop.id)) ?? {}) as ShopSettingsInput;
  const checked = validateSettingsForm(values, stored, shop);
  if (!checked.ok) return checked;
  const config = shopConfigFrom(shop);
  const { captured, complete } = await prefixCaptures(deps.admin, values.tagPrefix, config.prefixes);
  if (captured.length) {
    return {
      ok: false,
      errors: {
        tagPrefix: t("settings.errors.prefixCaptures", {
          prefix: values.tagPrefix,
          count: captured.length,
          tags: captured.slice(0, 5).join(", "),
        }),
      },
    };
  }
  const schedule = (checked.input.schedule ?? {}) as { nightlyHour?: number };
  return {
    ok: true,
    shop,
    input: checked.input,
    nightlyHour: schedule.nightlyHour ?? config.schedule.nightlyHour,
    partialTagCheck: !complete,
  };
}

export type DryRunAnswer =
  | { ok: true; dryRun: DryRunResult; partialTagCheck: boolean }
  /** `unavailable`: the worker did not answer in time (or failed); the settings themselves may be fine. */
  | { ok: false; errors: SettingsFormErrors; unavailable?: true };

/** What saving would change, without storing or writing anything: computed by the worker (ADR 052). */
export async function dryRunSettingsForm(
  deps: SettingsDeps,
  domain: string,
  values: SettingsFormValues,
  options: { asOf?: Date; signal?: AbortSignal } = {},
): Promise<DryRunAnswer> {
  const { asOf = segmentationNow(), signal } = options;
  const checked = await checkForm(deps, domain, values);
  if (!checked.ok) return checked;
  try {
    const dryRun = await runPreview(
      await deps.queues(),
      "settings.dry-run",
      { shop: checked.shop.domain, shopId: checked.shop.id, input: checked.input, asOf: asOf.toISOString() },
      { waitMs: deps.previewWaitMs, signal },
    );
    return { ok: true, dryRun, partialTagCheck: checked.partialTagCheck };
  } catch (error) {
    if (!(error instanceof PreviewUnavailableError)) throw error;
    return { ok: false, errors: { form: t("settings.errors.dryRunUnavailable") }, unavailable: true };
  }
}

/** What a save set going (workAfterSettingsChange): a recompute, or only the write-back. */
export type SaveAnswer = { ok: true; next: "recompute" | "writeback" } | { ok: false; errors: SettingsFormErrors };

/**
 * Stores the settings, moves the nightly recompute to the chosen hour, then
 * schedules a recompute, or only the write-back when the change leaves the
 * memberships and metafield values alone (a recompute would find the same).
 */
export async function saveSettingsForm(
  deps: SettingsDeps,
  domain: string,
  values: SettingsFormValues,
): Promise<SaveAnswer> {
  const checked = await checkForm(deps, domain, values);
  if (!checked.ok) return checked;
  const before = shopConfigFrom(checked.shop);
  const after = await updateShopSettings(deps.db, checked.shop.id, checked.input);
  const registry = await deps.queues();
  await scheduleNightlyRecompute(registry, domain, { timeZone: checked.shop.timezone, hour: checked.nightlyHour });
  const next = workAfterSettingsChange(before, after);
  if (next === "writeback") await enqueueShopWriteback(registry, { shop: domain });
  else await enqueueShopRecompute(registry, { shop: domain, reason: "settings" });
  return { ok: true, next };
}
