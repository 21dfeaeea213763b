// The merchant's segment discounts: create, edit, pause, resume and delete,
// in Shopify (through ./shopify-discounts.server.ts, with the Function's
// handle and configuration metafields) and in the app's record
// (app/stores/discounts.server.ts). Bad input is refused with a message per
// field before anything is sent or stored; when Shopify refuses, nothing is
// stored either. The hold-out groups of a discount that starts or stops
// running are brought up to date by the act step (./act.server.ts), enqueued
// here.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { t } from "../i18n";
import { enqueueShopAct } from "../queues/act.server";
import type { QueueRegistry } from "../queues/registry.server";
import { loadInstalledShopConfig } from "../settings/settings.server";
import type { ShopConfig } from "../settings/shop-config";
import type { AdminApi } from "../shopify/admin-api.server";
import {
  closeDiscountGroups,
  findSegmentDiscount,
  insertSegmentDiscount,
  updateSegmentDiscount,
  type PausedReason,
  type SegmentDiscountRecord,
} from "../stores/discounts.server";
import { findShop } from "../stores/shops.server";
import {
  availableSegmentKeys,
  buildDiscountConfiguration,
  segmentAvailability,
  segmentTitles,
} from "./discount-configuration";
import type { DiscountNotice } from "./discount-display";
import {
  localDatesOf,
  parseDiscountForm,
  scheduleOf,
  type DiscountDraft,
  type DiscountFormValues,
  type FieldErrors,
  type FormContext,
} from "./discount-form";
import {
  createShopifyDiscount,
  deleteShopifyDiscount,
  setShopifyDiscountActive,
  updateShopifyDiscount,
  type ShopifyDiscountInput,
} from "./shopify-discounts.server";

/** The shop as the discount pages and the act step need it. */
export interface DiscountShop {
  config: ShopConfig;
  currency: string;
}

export interface DiscountDeps {
  db: PrismaClient;
  shop: DiscountShop;
  adminApi(): Promise<AdminApi>;
  /** When given, changes that start or stop a discount enqueue the shop's act step (its hold-out groups). */
  queues?: QueueRegistry;
  now?: () => Date;
}

export type SaveResult = { ok: true; discount: SegmentDiscountRecord } | { ok: false; errors: FieldErrors };
export type ActionResult = { ok: true } | { ok: false; message: string };

/** Another shop's id, a deleted discount or no discount at all: the pages answer 404. */
export class DiscountNotFoundError extends Error {
  override name = "DiscountNotFoundError";
  constructor(id: string) {
    super(`No segment discount ${id}`);
  }
}

/** The installed shop's settings and currency, or null for an unknown or uninstalled shop. */
export async function loadDiscountShop(db: PrismaClient, domain: string): Promise<DiscountShop | null> {
  const config = await loadInstalledShopConfig(db, { domain });
  const shop = config ? await findShop(db, domain) : null;
  return config && shop ? { config, currency: shop.currency } : null;
}

function formContextOf(shop: DiscountShop): FormContext {
  return {
    currency: shop.currency,
    availableSegments: availableSegmentKeys(shop.config),
    segmentTitles: segmentTitles(shop.config),
  };
}

function nowOf(deps: DiscountDeps): Date {
  return deps.now?.() ?? new Date();
}

async function requireDiscount(deps: DiscountDeps, id: string): Promise<SegmentDiscountRecord> {
  const record = await findSegmentDiscount(deps.db, deps.shop.config.shopId, id);
  if (!record) throw new DiscountNotFoundError(id);
  return record;
}

async function afterChange(deps: DiscountDeps): Promise<void> {
  if (deps.queues) await enqueueShopAct(deps.queues, { shop: deps.shop.config.domain });
}

function configurationErrors(problems: readonly string[]): { ok: false; errors: FieldErrors } {
  return { ok: false, errors: { form: t("discounts.errors.configuration", { problems: problems.join(" ") }) } };
}

/** What the merchant's form sets on the app's record, on creation and on every save (a save clears the notice). */
function editableFields(draft: DiscountDraft, schedule: ReturnType<typeof scheduleOf>, configurationHash: string) {
  return {
    code: draft.code,
    title: draft.title,
    segments: draft.segments,
    reward: draft.reward,
    minimumSubtotal: draft.minimumSubtotal,
    combinesWith: draft.combinesWith,
    holdoutPercentage: draft.holdoutPercentage,
    message: draft.message,
    startsAt: schedule.startsAt,
    endsAt: schedule.endsAt,
    notice: null,
    configurationHash,
  };
}

/** Creates the discount in Shopify, then the app's record; nothing is kept when either step fails. */
export async function createSegmentDiscount(deps: DiscountDeps, values: DiscountFormValues): Promise<SaveResult> {
  const { config } = deps.shop;
  const parsed = parseDiscountForm(values, formContextOf(deps.shop));
  if (!parsed.ok) return parsed;
  const draft = parsed.draft;
  // The app's id exists before Shopify's: it keys the hold-out split written in the configuration.
  const id = randomUUID();
  const built = buildDiscountConfiguration({ id, ...draft }, draft.segments, config);
  if (!built.ok) return configurationErrors(built.problems);
  const schedule = scheduleOf(draft, config.segmentation.timeZone);
  const api = await deps.adminApi();
  const created = await createShopifyDiscount(api, draft.method, {
    title: draft.title,
    ...(draft.code !== null ? { code: draft.code } : {}),
    startsAt: schedule.startsAt.toISOString(),
    endsAt: schedule.endsAt?.toISOString() ?? null,
    discountClasses: built.discountClasses,
    combinesWith: draft.combinesWith,
    metafields: built.metafields,
  });
  if (!created.ok) return { ok: false, errors: created.errors };
  let discount: SegmentDiscountRecord;
  try {
    discount = await insertSegmentDiscount(deps.db, {
      id,
      shopId: config.shopId,
      shopifyId: created.shopifyId,
      method: draft.method,
      ...editableFields(draft, schedule, built.hash),
      status: "active",
      pausedReason: null,
    });
  } catch (error) {
    // Not recorded: the Shopify discount would apply with no record in the app. Take it back.
    await deleteShopifyDiscount(api, draft.method, created.shopifyId).catch(() => undefined);
    throw error;
  }
  await afterChange(deps);
  return { ok: true, discount };
}

/**
 * Saves the merchant's changes. A paused discount stays paused: its dates are
 * kept in the app and sent when it is resumed.
 */
export async function updateSegmentDiscountFromForm(
  deps: DiscountDeps,
  id: string,
  values: DiscountFormValues,
): Promise<SaveResult> {
  const { config } = deps.shop;
  const record = await requireDiscount(deps, id);
  const parsed = parseDiscountForm(values, formContextOf(deps.shop));
  if (!parsed.ok) return parsed;
  const draft = parsed.draft;
  if (draft.method !== record.method) return { ok: false, errors: { method: t("discounts.errors.methodChange") } };
  const built = buildDiscountConfiguration({ id: record.id, ...draft }, draft.segments, config);
  if (!built.ok) return configurationErrors(built.problems);
  const schedule = scheduleOf(draft, config.segmentation.timeZone);
  const paused = record.status === "paused";
  const input: ShopifyDiscountInput = {
    title: draft.title,
    ...(draft.code !== null ? { code: draft.code } : {}),
    ...(paused ? {} : { startsAt: schedule.startsAt.toISOString(), endsAt: schedule.endsAt?.toISOString() ?? null }),
    discountClasses: built.discountClasses,
    combinesWith: draft.combinesWith,
    metafields: built.metafields,
  };
  const updated = await updateShopifyDiscount(await deps.adminApi(), record.method, record.shopifyId!, input);
  if (!updated.ok) return { ok: false, errors: updated.errors };
  await updateSegmentDiscount(deps.db, config.shopId, id, editableFields(draft, schedule, built.hash));
  await afterChange(deps);
  return { ok: true, discount: (await findSegmentDiscount(deps.db, config.shopId, id))! };
}

/** Pauses a running or scheduled discount (Shopify ends it now); its hold-out groups close. */
export async function pauseSegmentDiscount(deps: DiscountDeps, id: string): Promise<ActionResult> {
  const record = await requireDiscount(deps, id);
  if (record.status !== "active") return { ok: false, message: t("discounts.errors.notActive") };
  return pauseDiscount(deps.db, await deps.adminApi(), record, { reason: "merchant", notice: null, at: nowOf(deps) });
}

/**
 * Deactivates the discount in Shopify and records why (the merchant, the app
 * because none of its segments is left, or because the shop's plan lapsed),
 * closing its hold-out groups.
 */
export async function pauseDiscount(
  db: PrismaClient,
  api: AdminApi,
  record: SegmentDiscountRecord,
  pause: { reason: PausedReason; notice: DiscountNotice | null; at: Date },
): Promise<ActionResult> {
  const result = await setShopifyDiscountActive(api, record.method, record.shopifyId!, false);
  if (!result.ok) return { ok: false, message: Object.values(result.errors).join(" ") };
  await db.$transaction(async (tx) => {
    await updateSegmentDiscount(tx, record.shopId, record.id, {
      status: "paused",
      pausedReason: pause.reason,
      notice: pause.notice,
    });
    await closeDiscountGroups(tx, record.shopId, record.id, pause.at);
  });
  return { ok: true };
}

/**
 * Resumes a paused discount over the segments still enabled, with the dates
 * the merchant chose. Refused when none of its segments is left (it would
 * apply to nobody) or when its end date has passed.
 */
export async function resumeSegmentDiscount(deps: DiscountDeps, id: string): Promise<ActionResult> {
  const { config } = deps.shop;
  const record = await requireDiscount(deps, id);
  if (record.status !== "paused") return { ok: false, message: t("discounts.errors.notPaused") };
  const now = nowOf(deps);
  const { available, unavailable } = segmentAvailability(record.segments, config);
  if (available.length === 0) return { ok: false, message: t("discounts.errors.resumeNoSegments") };
  if (record.endsAt !== null && record.endsAt <= now) {
    const date = localDatesOf(record.startsAt, record.endsAt, config.segmentation.timeZone).endDate;
    return { ok: false, message: t("discounts.errors.resumeEnded", { date }) };
  }
  const built = buildDiscountConfiguration(record, available, config);
  if (!built.ok) return { ok: false, message: built.problems.join(" ") };
  const api = await deps.adminApi();
  const activated = await setShopifyDiscountActive(api, record.method, record.shopifyId!, true);
  if (!activated.ok) return { ok: false, message: Object.values(activated.errors).join(" ") };
  // Activating starts the discount now and clears its end: put back the merchant's dates and the configuration.
  const updated = await updateShopifyDiscount(api, record.method, record.shopifyId!, {
    title: record.title,
    ...(record.code !== null ? { code: record.code } : {}),
    startsAt: record.startsAt.toISOString(),
    endsAt: record.endsAt?.toISOString() ?? null,
    discountClasses: built.discountClasses,
    combinesWith: record.combinesWith,
    metafields: built.metafields,
  });
  if (!updated.ok) return { ok: false, message: Object.values(updated.errors).join(" ") };
  await updateSegmentDiscount(deps.db, config.shopId, id, {
    status: "active",
    pausedReason: null,
    notice: unavailable.length > 0 ? { kind: "segments-dropped", segments: unavailable, at: now.toISOString() } : null,
    configurationHash: built.hash,
  });
  await afterChange(deps);
  return { ok: true };
}

/**
 * Deletes the discount in Shopify (one already deleted there counts) and marks
 * the app's record deleted: its hold-out history is kept for measuring lift.
 */
export async function deleteSegmentDiscount(deps: DiscountDeps, id: string): Promise<ActionResult> {
  const record = await requireDiscount(deps, id);
  if (record.shopifyId) {
    const deleted = await deleteShopifyDiscount(await deps.adminApi(), record.method, record.shopifyId);
    if (!deleted.ok) return { ok: false, message: Object.values(deleted.errors).join(" ") };
  }
  const at = nowOf(deps);
  await deps.db.$transaction(async (tx) => {
    await updateSegmentDiscount(tx, record.shopId, id, { status: "deleted", notice: null });
    await closeDiscountGroups(tx, record.shopId, id, at);
  });
  return { ok: true };
}

/** The merchant has read the app's notice on a discount. */
export async function dismissDiscountNotice(deps: DiscountDeps, id: string): Promise<ActionResult> {
  await requireDiscount(deps, id);
  await updateSegmentDiscount(deps.db, deps.shop.config.shopId, id, { notice: null });
  return { ok: true };
}
