// CustomerFeatures (stored state) -> DerivedFeatures (what rules and
// families read) for an "as of" day. Pure arithmetic, shared by the bulk and
// the single-customer paths so both give identical results.
import type { CustomerFeatures } from "../features/customer";
import type { DerivedFeatures } from "../rules/features";
import { channelGroup, UNKNOWN_CHANNEL } from "./channels";

export interface DeriveContext {
  asOfDay: number;
  minTenureDays: number;
  hemisphere: "north" | "south";
  /** Shop unit-price percentiles p0..p100 (101 values), or null without unit prices. */
  priceQuantiles: readonly number[] | null;
}

export const SEASONS = ["winter", "spring", "summer", "autumn"] as const;
// Month index (0 = January) -> season index, northern hemisphere.
const NORTH_SEASON = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0];

export function seasonOfMonth(monthIndex: number, hemisphere: "north" | "south"): number {
  const s = NORTH_SEASON[monthIndex];
  return hemisphere === "north" ? s : (s + 2) % 4;
}

export function emptyDerived(): DerivedFeatures {
  return {
    orders: 0,
    purchaseDays: 0,
    firstOrderDate: null,
    lastOrderDate: null,
    recencyDays: null,
    tenureDays: null,
    totalSpentMinor: 0,
    avgOrderValueMinor: null,
    itemsPerOrder: null,
    meanDaysBetweenOrders: null,
    lastDaysBetweenOrders: null,
    longestGapDays: null,
    annualOrderRate: 0,
    discountedOrderShare: null,
    avgDiscountPct: null,
    avgUnitPriceMinor: null,
    relativeUnitPrice: null,
    paidShippingShare: null,
    expressShippingShare: null,
    repeatProductCount: null,
    distinctProducts: null,
    distinctProductTypes: null,
    preferredWeekday: null,
    preferredHour: null,
    topSeason: null,
    topSeasonShare: null,
    acquisitionChannel: null,
    acquisitionSource: null,
    acquisitionMedium: null,
    acquisitionCampaign: null,
    acquisitionReferrer: null,
    laterCampaignOrders: null,
    recencyScore: null,
    frequencyScore: null,
    monetaryScore: null,
    pAlive: null,
    expectedOrders90d: null,
    expectedOrders365d: null,
    clv12mMinor: null,
  };
}

/** Annualized order rate with a tenure floor (same formula in fitShop and assignment). */
export function annualOrderRate(orders: number, firstDay: number, asOfDay: number, minTenureDays: number): number {
  if (orders === 0) return 0;
  return (orders * 365) / Math.max(asOfDay - firstDay, minTenureDays);
}

/** Percentile (0..1) of a price in the shop's distribution, by interpolation between percentiles. */
function pricePercentile(price: number, q: readonly number[]): number {
  if (price <= q[0]) return 0;
  if (price >= q[q.length - 1]) return 1;
  let lo = 0;
  let hi = q.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid] <= price) lo = mid;
    else hi = mid;
  }
  // Several percentiles can share one price (a bin); take the highest below it.
  const span = q[hi] - q[lo];
  const frac = span > 0 ? (price - q[lo]) / span : 0;
  return (lo + frac) / (q.length - 1);
}

export function deriveFeatures(
  cf: CustomerFeatures,
  ctx: DeriveContext,
  out: DerivedFeatures = emptyDerived(),
): DerivedFeatures {
  const d = out;
  const n = cf.orders;
  const days = cf.purchaseDays;
  const k = days.length;
  d.orders = n;
  d.purchaseDays = k;
  d.totalSpentMinor = cf.totalSpentMinor;
  if (n === 0 || k === 0) {
    Object.assign(d, emptyDerived());
    return d;
  }
  const first = days[0];
  const last = days[k - 1];
  d.firstOrderDate = first;
  d.lastOrderDate = last;
  d.recencyDays = Math.max(0, ctx.asOfDay - last);
  d.tenureDays = Math.max(0, ctx.asOfDay - first);
  d.avgOrderValueMinor = cf.totalSpentMinor / n;
  d.itemsPerOrder = cf.itemOrders > 0 ? cf.itemQuantity / cf.itemOrders : null;
  if (k >= 2) {
    d.meanDaysBetweenOrders = (last - first) / (k - 1);
    d.lastDaysBetweenOrders = last - days[k - 2];
    let longest = 0;
    for (let i = 1; i < k; i++) longest = Math.max(longest, days[i] - days[i - 1]);
    d.longestGapDays = longest;
  } else {
    d.meanDaysBetweenOrders = null;
    d.lastDaysBetweenOrders = null;
    d.longestGapDays = null;
  }
  d.annualOrderRate = annualOrderRate(n, first, ctx.asOfDay, ctx.minTenureDays);
  d.discountedOrderShare = cf.discountDataOrders > 0 ? cf.discountedOrders / cf.discountDataOrders : null;
  d.avgDiscountPct =
    cf.discountedOrders > 0 ? cf.discountBpSum / cf.discountedOrders / 100 : cf.discountDataOrders > 0 ? 0 : null;
  d.avgUnitPriceMinor = cf.unitPriceOrders > 0 ? cf.unitPriceSumMinor / cf.unitPriceOrders : null;
  d.relativeUnitPrice =
    d.avgUnitPriceMinor !== null && ctx.priceQuantiles && ctx.priceQuantiles.length > 1
      ? pricePercentile(d.avgUnitPriceMinor, ctx.priceQuantiles)
      : null;
  d.paidShippingShare = cf.shippingDataOrders > 0 ? cf.paidShippingOrders / cf.shippingDataOrders : null;
  d.expressShippingShare = cf.shippingDataOrders > 0 ? cf.expressShippingOrders / cf.shippingDataOrders : null;
  const hasProducts = cf.products.length > 0 || cf.productTypes.length > 0;
  d.repeatProductCount = hasProducts ? cf.repeatedProducts.length : null;
  d.distinctProducts = hasProducts ? cf.products.length : null;
  d.distinctProductTypes = hasProducts ? cf.productTypes.length : null;
  d.preferredWeekday = argmax(cf.weekdayCounts);
  d.preferredHour = argmax(cf.hourCounts);
  const seasonCounts = [0, 0, 0, 0];
  let monthTotal = 0;
  for (let m = 0; m < 12; m++) {
    seasonCounts[seasonOfMonth(m, ctx.hemisphere)] += cf.monthCounts[m];
    monthTotal += cf.monthCounts[m];
  }
  const topSeason = argmax(seasonCounts);
  d.topSeason = SEASONS[topSeason];
  d.topSeasonShare = monthTotal > 0 ? seasonCounts[topSeason] / monthTotal : null;
  const acq = cf.acquisition;
  if (acq && acq.known) {
    d.acquisitionChannel = channelGroup(acq);
    d.acquisitionSource = acq.utmSource;
    d.acquisitionMedium = acq.utmMedium;
    d.acquisitionCampaign = acq.utmCampaign;
    d.acquisitionReferrer = acq.referrerDomain;
    d.laterCampaignOrders = cf.campaignOrders - (acq.campaign ? 1 : 0);
  } else {
    // A first order without journey data: the customer came, nobody knows how.
    d.acquisitionChannel = acq ? UNKNOWN_CHANNEL : null;
    d.acquisitionSource = null;
    d.acquisitionMedium = null;
    d.acquisitionCampaign = null;
    d.acquisitionReferrer = null;
    d.laterCampaignOrders = cf.journeyOrders > 0 ? cf.campaignOrders : null;
  }
  d.recencyScore = null;
  d.frequencyScore = null;
  d.monetaryScore = null;
  d.pAlive = null;
  d.expectedOrders90d = null;
  d.expectedOrders365d = null;
  d.clv12mMinor = null;
  return d;
}

/** Index of the largest count; ties go to the smallest index (deterministic). */
function argmax(counts: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
  return best;
}
