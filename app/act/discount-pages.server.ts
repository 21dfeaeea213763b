// What the Discounts pages load and do, between the routes (which only
// authenticate and answer HTTP) and the discount service. Everything is read
// for the session's shop only: another shop's discount, a deleted one or a
// malformed id is a 404.
import prisma from "../db.server";
import { hasMessage, t } from "../i18n";
import { queues } from "../queues/registry.server";
import type { AdminContext } from "../shopify/admin-session.server";
import { findSegmentDiscount, listSegmentDiscounts, openGroupCounts } from "../stores/discounts.server";
import { availableSegmentKeys, segmentTitles } from "./discount-configuration";
import { datesSummary, displayStatus, noticeText, rewardSummary, type DisplayStatus } from "./discount-display";
import { defaultFormValues, formValuesFromDiscount, localDate, type DiscountFormValues } from "./discount-form";
import {
  deleteSegmentDiscount,
  dismissDiscountNotice,
  DiscountNotFoundError,
  loadDiscountShop,
  pauseSegmentDiscount,
  resumeSegmentDiscount,
  type ActionResult,
  type DiscountDeps,
} from "./discounts.server";

/** The app's discount ids are UUIDs; anything else is answered 404 without a query. */
const DISCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function notFound(): Response {
  return new Response(t("discounts.errors.notFound"), { status: 404 });
}

/** The discount id of a URL, or a thrown 404. */
export function discountIdParam(id: string | undefined): string {
  if (!id || !DISCOUNT_ID.test(id)) throw notFound();
  return id;
}

/** The discount service for the session's shop; an unknown or uninstalled shop is a 404. */
export async function discountDepsFor(context: Pick<AdminContext, "shop" | "admin">): Promise<DiscountDeps> {
  const shop = await loadDiscountShop(prisma, context.shop);
  if (!shop) throw notFound();
  return { db: prisma, shop, adminApi: async () => context.admin, queues: await queues() };
}

/** Runs a service call, turning "no such discount" into a 404. */
export async function orNotFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DiscountNotFoundError) throw notFound();
    throw error;
  }
}

export interface DiscountRow {
  id: string;
  title: string;
  status: DisplayStatus;
  method: string;
  segments: string[];
  reward: string;
  holdout: string;
  groups: string | null;
  dates: string;
  canPause: boolean;
  canResume: boolean;
}

export interface DiscountsPage {
  rows: DiscountRow[];
  notices: Array<{ id: string; text: string; tone: "warning" | "info" }>;
  /** False when no segment is enabled: nothing can be targeted. */
  canCreate: boolean;
}

export async function loadDiscountsPage(deps: DiscountDeps, now = new Date()): Promise<DiscountsPage> {
  const { config } = deps.shop;
  const timeZone = config.segmentation.timeZone;
  const titles = segmentTitles(config);
  const [discounts, counts] = await Promise.all([
    listSegmentDiscounts(deps.db, config.shopId),
    openGroupCounts(deps.db, config.shopId),
  ]);
  const rows = discounts.map((d): DiscountRow => {
    const status = displayStatus(d, now);
    const group = counts.get(d.id);
    return {
      id: d.id,
      title: d.title,
      status,
      method:
        d.method === "code" ? t("discounts.method.code", { code: d.code ?? "" }) : t("discounts.method.automatic"),
      segments: d.segments.map((key) => titles.get(key) ?? t("discounts.unknownSegment", { key })),
      reward: rewardSummary(d.reward, d.minimumSubtotal, deps.shop.currency),
      holdout: t("discounts.holdoutShare", { percentage: d.holdoutPercentage }),
      groups: group ? t("discounts.groupCounts", { treated: group.treated, holdout: group.holdout }) : null,
      dates: datesSummary(d.startsAt, d.endsAt, timeZone),
      canPause: d.status === "active" && status !== "expired",
      canResume: d.status === "paused",
    };
  });
  const notices = discounts.flatMap((d) =>
    d.notice
      ? [
          {
            id: d.id,
            text: noticeText(d.notice, d, titles, timeZone),
            tone: d.notice.kind === "segments-dropped" ? ("info" as const) : ("warning" as const),
          },
        ]
      : [],
  );
  return { rows, notices, canCreate: availableSegmentKeys(config).length > 0 };
}

export interface SegmentOption {
  key: string;
  /** The family and the segment, e.g. "Loyalty and lifecycle · At risk". */
  label: string;
  /** The form lists segments under their family's title. */
  group: string;
  title: string;
  /** False for a disabled or removed segment the discount still names (the form refuses it). */
  available: boolean;
}

export interface DiscountFormPage {
  values: DiscountFormValues;
  segments: SegmentOption[];
  currency: string;
  timeZone: string;
  /** The discount being edited, or null for a new one. */
  discount: { id: string; title: string; status: DisplayStatus } | null;
}

function familyTitle(family: string): string {
  const key = `families.${family}`;
  return hasMessage(key) ? t(key) : family;
}

/** The form of a new discount (a segment preselected when coming from its page) or of the shop's discount `id`. */
export async function loadDiscountForm(
  deps: DiscountDeps,
  input: { id?: string; segment?: string | null },
  now = new Date(),
): Promise<DiscountFormPage> {
  const { config } = deps.shop;
  const timeZone = config.segmentation.timeZone;
  const available = new Set(availableSegmentKeys(config));
  const segments = config.catalog
    .filter((entry) => available.has(entry.key))
    .map((entry) => {
      const group = familyTitle(entry.family);
      return { key: entry.key, label: `${group} · ${entry.title}`, group, title: entry.title, available: true };
    });
  const common = { segments, currency: deps.shop.currency, timeZone };
  if (input.id === undefined) {
    const segment = input.segment && available.has(input.segment) ? input.segment : undefined;
    return { ...common, values: defaultFormValues(localDate(now, timeZone), segment), discount: null };
  }
  const record = await findSegmentDiscount(deps.db, config.shopId, input.id);
  if (!record) throw notFound();
  // Segments no longer available stay listed, so the merchant sees why the form refuses them.
  const titles = segmentTitles(config);
  for (const key of record.segments) {
    if (!available.has(key)) {
      const label = t("discounts.unknownSegment", { key: titles.get(key) ?? key });
      segments.push({ key, label, group: t("discounts.form.unavailableGroup"), title: label, available: false });
    }
  }
  return {
    ...common,
    values: formValuesFromDiscount(record, timeZone),
    discount: { id: record.id, title: record.title, status: displayStatus(record, now) },
  };
}

export type ListIntent = "pause" | "resume" | "delete" | "dismiss";

/** The list page's buttons: pause, resume, delete, dismiss a notice. */
export async function runListAction(deps: DiscountDeps, form: FormData): Promise<ActionResult & { intent: string }> {
  const intent = String(form.get("intent") ?? "");
  const id = discountIdParam(String(form.get("id") ?? ""));
  const actions: Record<ListIntent, () => Promise<ActionResult>> = {
    pause: () => pauseSegmentDiscount(deps, id),
    resume: () => resumeSegmentDiscount(deps, id),
    delete: () => deleteSegmentDiscount(deps, id),
    dismiss: () => dismissDiscountNotice(deps, id),
  };
  const action = actions[intent as ListIntent];
  if (!action) return { ok: false, message: t("discounts.errors.unknownIntent"), intent };
  return { ...(await orNotFound(action)), intent };
}
