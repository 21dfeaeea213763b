// What one order contributes to its customer's features. Shared by the
// columnar accumulator and the incremental single-customer update so both
// paths add exactly the same (integer) quantities.
import type { EngineOrder } from "../types";
import { isChannelSourceName } from "../segments/channels";
import { MS_PER_DAY, monthOfDay, type ShopClock, weekdayOfDay } from "./clock";

const CAMPAIGN_MEDIUMS = new Set([
  "email",
  "e-mail",
  "newsletter",
  "sms",
  "cpc",
  "ppc",
  "paid",
  "paidsearch",
  "paid-search",
  "paid_search",
  "paidsocial",
  "paid-social",
  "paid_social",
  "cpm",
  "display",
  "affiliate",
  "push",
]);

export interface OrderFacts {
  counted: boolean;
  day: number;
  weekday: number;
  hour: number;
  month: number;
  totalMinor: number;
  hasItems: boolean;
  itemQuantity: number;
  hasDiscount: boolean;
  discounted: boolean;
  /** Discount as basis points of the pre-discount subtotal (integer, so sums are exact). */
  discountBp: number;
  hasUnitPrice: boolean;
  unitPriceMinor: number;
  hasShipping: boolean;
  paidShipping: boolean;
  express: boolean;
  hasJourney: boolean;
  campaign: boolean;
}

export function newOrderFacts(): OrderFacts {
  return {
    counted: false,
    day: 0,
    weekday: 0,
    hour: 0,
    month: 1,
    totalMinor: 0,
    hasItems: false,
    itemQuantity: 0,
    hasDiscount: false,
    discounted: false,
    discountBp: 0,
    hasUnitPrice: false,
    unitPriceMinor: 0,
    hasShipping: false,
    paidShipping: false,
    express: false,
    hasJourney: false,
    campaign: false,
  };
}

/** Orders that count: not cancelled, not fully refunded, with a valid timestamp. */
function isCountedOrder(o: EngineOrder): boolean {
  return !o.cancelled && !o.fullyRefunded && Number.isFinite(o.processedAt);
}

function isCampaignOrder(o: EngineOrder): boolean {
  if (o.utmCampaign) return true;
  return !!o.utmMedium && CAMPAIGN_MEDIUMS.has(o.utmMedium.trim().toLowerCase());
}

/**
 * Whether the order says anything about how the customer came: UTM
 * parameters, a referrer, a recorded visit, or an order source that names a
 * channel (point of sale). "web" alone (every online order has it) does not.
 */
function hasJourneyData(o: EngineOrder): boolean {
  return (
    !!o.utmSource ||
    !!o.utmMedium ||
    !!o.utmCampaign ||
    !!o.referrerDomain ||
    o.visitRecorded === true ||
    isChannelSourceName(o.sourceName)
  );
}

/** Fills `f` (reused between calls to avoid allocation in the hot path). */
export function readOrderFacts(o: EngineOrder, clock: ShopClock, f: OrderFacts): OrderFacts {
  f.counted = isCountedOrder(o);
  if (!f.counted) return f;
  const local = clock.localMs(o.processedAt);
  const day = Math.floor(local / MS_PER_DAY);
  f.day = day;
  f.weekday = weekdayOfDay(day);
  f.hour = Math.floor((local - day * MS_PER_DAY) / 3_600_000);
  f.month = monthOfDay(day);
  f.totalMinor = Math.max(0, Math.round(o.totalMinor));
  f.hasItems = o.itemQuantity != null;
  f.itemQuantity = f.hasItems ? Math.max(0, Math.round(o.itemQuantity as number)) : 0;
  f.hasDiscount = o.discountMinor !== undefined || o.discountCodes !== undefined;
  const discount = Math.max(0, Math.round(o.discountMinor ?? 0));
  f.discounted = discount > 0 || (o.discountCodes?.length ?? 0) > 0;
  const base = Math.max(0, Math.round(o.subtotalMinor ?? 0)) + discount;
  f.discountBp = discount > 0 && base > 0 ? Math.round((10_000 * discount) / base) : 0;
  f.hasUnitPrice = o.avgUnitPriceMinor != null && o.avgUnitPriceMinor >= 0;
  f.unitPriceMinor = f.hasUnitPrice ? Math.round(o.avgUnitPriceMinor as number) : 0;
  f.hasShipping = o.shippingMinor != null || o.expressShipping != null;
  f.paidShipping = (o.shippingMinor ?? 0) > 0;
  f.express = o.expressShipping === true;
  f.hasJourney = hasJourneyData(o);
  f.campaign = f.hasJourney && isCampaignOrder(o);
  return f;
}

/** Distinct, non-empty values of a list (orders may repeat a product on two lines). */
export function distinctNonEmpty(list: readonly string[] | null | undefined): string[] {
  if (!list || list.length === 0) return [];
  if (list.length === 1) return list[0] ? [list[0]] : [];
  return [...new Set(list.filter((v) => v))];
}
