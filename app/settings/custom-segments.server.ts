// The merchant's custom segments (settings.segmentation.customSegments) for
// the rule builder pages: list, load one, save, delete and a live preview.
// Every call is for the session's shop only; a handle the shop does not have
// (another shop's, deleted, malformed) is a 404. Saving goes through
// updateShopSettings, i.e. the engine's settings schema validates the rule
// again, and then schedules a recompute.
import type { PrismaClient, Shop } from "@prisma/client";
import { describeRule } from "../segmentation/rules/evaluate";
import type { CustomSegment } from "../segmentation/settings";
import { handleSchema } from "../segmentation/settings-fields";
import { enqueueShopRecompute } from "../queues/segments.server";
import { PreviewUnavailableError, runPreview } from "../queues/previews.server";
import type { QueueRegistry } from "../queues/registry.server";
import { segmentSizes } from "../stores/memberships.server";
import prisma from "../db.server";
import { queues } from "../queues/registry.server";
import { findInstalledShop, readSettings } from "../stores/shops.server";
import { t } from "../i18n";
import { currencyExponent } from "../utils/money";
import { shopConfigFrom, ShopSettingsError, type ShopConfig } from "./shop-config";
import { updateShopSettings } from "./settings.server";
import { emptyRuleForm, treeFromRule, validateRuleForm, type RuleFormErrors, type RuleFormValues } from "./rule-form";

export interface RulesDeps {
  db: PrismaClient;
  queues: () => Promise<QueueRegistry>;
  /** How long a preview is waited for (tests shorten it; PREVIEW_WAIT_MS otherwise). */
  previewWaitMs?: number;
}

/** The app's database and queues. */
export function appRulesDeps(): RulesDeps {
  return { db: prisma, queues };
}

function notFound(): Response {
  return new Response("Not found", { status: 404 });
}

/** The session's installed shop and its configuration; anything else is a 404. */
async function rulesShop(deps: RulesDeps, domain: string): Promise<{ shop: Shop; config: ShopConfig }> {
  const shop = await findInstalledShop(deps.db, domain);
  if (!shop) throw notFound();
  return { shop, config: shopConfigFrom(shop) };
}

function currencyDecimalsOf(shop: Shop): number {
  return currencyExponent(shop.currency);
}

export interface RuleRow {
  handle: string;
  title: string;
  description: string;
  definition: string;
  members: number;
}

export async function listCustomSegments(deps: RulesDeps, domain: string): Promise<RuleRow[]> {
  const { shop, config } = await rulesShop(deps, domain);
  const sizes = await segmentSizes(deps.db, shop.id);
  return config.segmentation.customSegments.map((c) => ({
    handle: c.handle,
    title: c.title,
    description: c.description,
    definition: describeRule(c.rule),
    members: sizes.get(`custom/${c.handle}`) ?? 0,
  }));
}

/** The handle of a URL, or a thrown 404 (a malformed one is never looked up). */
export function ruleHandleParam(id: string | undefined): string {
  if (!id || !handleSchema.safeParse(id).success) throw notFound();
  return id;
}

export interface RuleFormPage {
  values: RuleFormValues;
  /** Decimals of the shop's currency (money features are entered in major units). */
  decimals: number;
  currency: string;
  editing: boolean;
}

export async function loadRuleForm(deps: RulesDeps, domain: string, handle: string | null): Promise<RuleFormPage> {
  const { shop, config } = await rulesShop(deps, domain);
  const decimals = currencyDecimalsOf(shop);
  if (handle === null) {
    return { values: emptyRuleForm(), decimals, currency: shop.currency, editing: false };
  }
  const segment = config.segmentation.customSegments.find((c) => c.handle === handle);
  if (!segment) throw notFound();
  return {
    values: {
      handle: segment.handle,
      title: segment.title,
      description: segment.description,
      root: treeFromRule(segment.rule, decimals),
    },
    decimals,
    currency: shop.currency,
    editing: true,
  };
}

export type SaveResult = { ok: true; handle: string } | { ok: false; errors: RuleFormErrors };

/** The stored settings object as the merchant gave it (defaults not filled in). */
async function rawSettings(deps: RulesDeps, shopId: string) {
  const stored = ((await readSettings(deps.db, shopId)) ?? {}) as { segmentation?: unknown; writeback?: unknown };
  const segmentation = { ...((stored.segmentation ?? {}) as Record<string, unknown>) };
  const customSegments = Array.isArray(segmentation.customSegments)
    ? (segmentation.customSegments as CustomSegment[])
    : [];
  return { segmentation, writeback: stored.writeback ?? {}, customSegments };
}

async function storeCustomSegments(
  deps: RulesDeps,
  shop: Shop,
  customSegments: CustomSegment[],
): Promise<ShopSettingsError | null> {
  const raw = await rawSettings(deps, shop.id);
  try {
    await updateShopSettings(deps.db, shop.id, {
      segmentation: { ...raw.segmentation, customSegments },
      writeback: raw.writeback,
    });
  } catch (error) {
    if (error instanceof ShopSettingsError) return error;
    throw error;
  }
  await enqueueShopRecompute(await deps.queues(), { shop: shop.domain, reason: "settings" });
  return null;
}

/**
 * Creates (`handle` null) or replaces a custom segment. The form is validated
 * as in the browser, then the whole settings again by the engine's schema;
 * nothing is stored unless both pass. Saving schedules a recompute.
 */
export async function saveCustomSegment(
  deps: RulesDeps,
  domain: string,
  handle: string | null,
  values: RuleFormValues,
): Promise<SaveResult> {
  const { shop } = await rulesShop(deps, domain);
  const raw = await rawSettings(deps, shop.id);
  const index = handle === null ? -1 : raw.customSegments.findIndex((c) => c.handle === handle);
  if (handle !== null && index < 0) throw notFound();
  const { rule, errors } = validateRuleForm(values, currencyDecimalsOf(shop));
  if (!errors.handle && raw.customSegments.some((c, i) => c.handle === values.handle && i !== index)) {
    errors.handle = t("rules.errors.handleTaken", { handle: values.handle });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const segment: CustomSegment = { handle: values.handle, title: values.title, description: values.description, rule };
  const next = [...raw.customSegments];
  if (index < 0) next.push(segment);
  else next[index] = segment;
  const refused = await storeCustomSegments(deps, shop, next);
  if (refused) return { ok: false, errors: { form: refused.issues.join(" ") } };
  return { ok: true, handle: segment.handle };
}

export async function deleteCustomSegment(deps: RulesDeps, domain: string, handle: string): Promise<void> {
  const { shop } = await rulesShop(deps, domain);
  const raw = await rawSettings(deps, shop.id);
  if (!raw.customSegments.some((c) => c.handle === handle)) throw notFound();
  const refused = await storeCustomSegments(
    deps,
    shop,
    raw.customSegments.filter((c) => c.handle !== handle),
  );
  if (refused) throw new Response(refused.issues.join(" "), { status: 400 });
}

// ---------------------------------------------------------------------------
// Live preview: the rule evaluated by the worker (./rule-preview.server.ts, ADR 052).

export type PreviewResult =
  | { ok: true; count: number; customers: number; sample: { customerId: string; reason: string }[] }
  /** `unavailable`: the worker did not answer in time (or failed); the rule itself may be fine. */
  | { ok: false; errors: RuleFormErrors; unavailable?: true };

/** How many of the shop's customers the rule matches now, and a sample of them with the reason. */
export async function previewRuleForm(
  deps: RulesDeps,
  domain: string,
  values: RuleFormValues,
  options: { sampleSize?: number; signal?: AbortSignal } = {},
): Promise<PreviewResult> {
  const { sampleSize = 10, signal } = options;
  const { shop } = await rulesShop(deps, domain);
  const { rule, errors } = validateRuleForm(values, currencyDecimalsOf(shop));
  // Identity fields do not matter for a preview.
  delete errors.handle;
  delete errors.title;
  delete errors.description;
  if (Object.keys(errors).length) return { ok: false, errors };
  try {
    const preview = await runPreview(
      await deps.queues(),
      "rules.preview",
      { shop: shop.domain, shopId: shop.id, rule, sampleSize },
      { waitMs: deps.previewWaitMs, signal },
    );
    return preview.ok ? preview : { ok: false, errors: { form: preview.problems.join(" ") } };
  } catch (error) {
    if (!(error instanceof PreviewUnavailableError)) throw error;
    return { ok: false, errors: { form: t("rules.errors.previewUnavailable") }, unavailable: true };
  }
}
