// How a segment discount reads on the Discounts page: its status, reward,
// dates and the notice the app left for the merchant. Pure (messages from
// app/locales/en.json, money and dates with Intl).
import { t } from "../i18n";
import type { RewardChoice } from "./discount-form";
import { localDatesOf } from "./discount-form";

export type DisplayStatus = "active" | "scheduled" | "expired" | "paused";

/** Paused by the merchant or the app; otherwise from the dates, as Shopify derives it. */
export function displayStatus(
  discount: { status: string; startsAt: Date; endsAt: Date | null },
  now: Date,
): DisplayStatus {
  if (discount.status === "paused") return "paused";
  if (discount.startsAt > now) return "scheduled";
  if (discount.endsAt !== null && discount.endsAt <= now) return "expired";
  return "active";
}

function formatMoney(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export function rewardSummary(reward: RewardChoice, minimumSubtotal: string | null, currency: string): string {
  const value = reward.kind === "fixedAmount" ? formatMoney(reward.value ?? "0", currency) : (reward.value ?? "");
  let text: string;
  if (reward.target === "product") {
    text =
      reward.kind === "percentage"
        ? t("discounts.reward.productPercentage", { value })
        : reward.appliesToEachItem
          ? t("discounts.reward.productFixedEach", { value })
          : t("discounts.reward.productFixedOnce", { value });
  } else if (reward.target === "order") {
    text =
      reward.kind === "percentage"
        ? t("discounts.reward.orderPercentage", { value })
        : t("discounts.reward.orderFixed", { value });
  } else {
    text =
      reward.kind === "free"
        ? t("discounts.reward.shippingFree")
        : reward.kind === "percentage"
          ? t("discounts.reward.shippingPercentage", { value })
          : t("discounts.reward.shippingFixed", { value });
  }
  return minimumSubtotal === null
    ? text
    : t("discounts.reward.minimum", { reward: text, minimum: formatMoney(minimumSubtotal, currency) });
}

export function datesSummary(startsAt: Date, endsAt: Date | null, timeZone: string): string {
  const { startDate, endDate } = localDatesOf(startsAt, endsAt, timeZone);
  return endDate === ""
    ? t("discounts.dates.from", { start: startDate })
    : t("discounts.dates.range", { start: startDate, end: endDate });
}

/**
 * What the app did to a discount on its own, stored on the discount
 * (SegmentDiscount.notice) until the merchant dismisses it, edits or resumes
 * the discount.
 */
export interface DiscountNotice {
  kind: "paused-segments-unavailable" | "segments-dropped" | "paused-plan-lapsed";
  /** The segment keys that were disabled or removed (none for a lapsed plan). */
  segments: string[];
  /** ISO time. */
  at: string;
}

export function noticeText(
  notice: DiscountNotice,
  discount: { title: string },
  segmentTitles: ReadonlyMap<string, string>,
  timeZone: string,
): string {
  const segments = notice.segments.map((key) => segmentTitles.get(key) ?? key).join(", ");
  const date = localDatesOf(new Date(notice.at), null, timeZone).startDate;
  if (notice.kind === "paused-plan-lapsed") return t("discounts.notice.planLapsed", { title: discount.title, date });
  return notice.kind === "paused-segments-unavailable"
    ? t("discounts.notice.paused", { title: discount.title, segments, date })
    : t("discounts.notice.segmentsDropped", { title: discount.title, segments, date });
}
