// Features of one customer as a plain JSON-serializable object: the state the
// app stores per customer, from which every derived feature and membership is
// computed, and which one new order updates in microseconds.
import type { EngineOrder } from "../types";
import { ShopClock } from "./clock";
import { distinctNonEmpty, newOrderFacts, readOrderFacts } from "./order-facts";

export interface AcquisitionTouch {
  /** The first order (earliest processedAt, ties by id). */
  orderId: string;
  at: number;
  /** false when the order carried no journey data at all. */
  known: boolean;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrerDomain: string | null;
  sourceName: string | null;
  visitRecorded: boolean;
  campaign: boolean;
}

export interface CustomerFeatures {
  customerId: string;
  /** Shop time zone the day/hour counters were computed in. */
  timeZone: string;
  orders: number;
  /** Epoch ms of the first and last counted order (null without orders). */
  firstOrderAt: number | null;
  lastOrderAt: number | null;
  totalSpentMinor: number;
  /** Orders that carried an item quantity, and the sum of their quantities. */
  itemOrders: number;
  itemQuantity: number;
  discountDataOrders: number;
  discountedOrders: number;
  /** Sum over discounted orders of the discount in basis points of the pre-discount subtotal. */
  discountBpSum: number;
  unitPriceOrders: number;
  unitPriceSumMinor: number;
  shippingDataOrders: number;
  paidShippingOrders: number;
  expressShippingOrders: number;
  journeyOrders: number;
  campaignOrders: number;
  acquisition: AcquisitionTouch | null;
  /** Orders per local weekday (0 = Sunday), hour (0..23) and month (index 0 = January). */
  weekdayCounts: number[];
  hourCounts: number[];
  monthCounts: number[];
  /** Sorted distinct local purchase days (days since 1970-01-01 in the shop's zone)... */
  purchaseDays: number[];
  /** ...and the merged order totals of each of those days. */
  dayTotalsMinor: number[];
  /** Sorted distinct product ids bought, and those bought in two or more orders. */
  products: string[];
  repeatedProducts: string[];
  productTypes: string[];
}

export function emptyCustomerFeatures(customerId: string, timeZone: string): CustomerFeatures {
  return {
    customerId,
    timeZone,
    orders: 0,
    firstOrderAt: null,
    lastOrderAt: null,
    totalSpentMinor: 0,
    itemOrders: 0,
    itemQuantity: 0,
    discountDataOrders: 0,
    discountedOrders: 0,
    discountBpSum: 0,
    unitPriceOrders: 0,
    unitPriceSumMinor: 0,
    shippingDataOrders: 0,
    paidShippingOrders: 0,
    expressShippingOrders: 0,
    journeyOrders: 0,
    campaignOrders: 0,
    acquisition: null,
    weekdayCounts: new Array(7).fill(0),
    hourCounts: new Array(24).fill(0),
    monthCounts: new Array(12).fill(0),
    purchaseDays: [],
    dayTotalsMinor: [],
    products: [],
    repeatedProducts: [],
    productTypes: [],
  };
}

const clocks = new Map<string, ShopClock>();
function clockFor(timeZone: string): ShopClock {
  let c = clocks.get(timeZone);
  if (!c) {
    c = new ShopClock(timeZone);
    clocks.set(timeZone, c);
  }
  return c;
}

function acquisitionOf(o: EngineOrder, known: boolean, campaign: boolean): AcquisitionTouch {
  return {
    orderId: o.id,
    at: o.processedAt,
    known,
    utmSource: o.utmSource ?? null,
    utmMedium: o.utmMedium ?? null,
    utmCampaign: o.utmCampaign ?? null,
    referrerDomain: o.referrerDomain ?? null,
    sourceName: o.sourceName ?? null,
    visitRecorded: o.visitRecorded === true,
    campaign,
  };
}

/** True when order (at, id) comes before the current acquisition touch. */
function isEarlier(at: number, id: string, current: { at: number; orderId: string } | null): boolean {
  if (!current) return true;
  return at < current.at || (at === current.at && id < current.orderId);
}

/**
 * Returns the features after one more order (the input is not modified).
 * Works whatever the order's date (a late, older order is merged in its
 * place). Cancelled and fully refunded orders leave the features unchanged;
 * guest orders and orders of another customer are rejected.
 */
export function updateCustomerFeatures(features: CustomerFeatures, order: EngineOrder): CustomerFeatures {
  if (order.customerId !== features.customerId) {
    throw new RangeError(
      `order ${order.id} belongs to ${order.customerId ?? "a guest"}, not to customer ${features.customerId}`,
    );
  }
  const f = readOrderFacts(order, clockFor(features.timeZone), newOrderFacts());
  if (!f.counted) return features;
  const next: CustomerFeatures = {
    ...features,
    weekdayCounts: features.weekdayCounts.slice(),
    hourCounts: features.hourCounts.slice(),
    monthCounts: features.monthCounts.slice(),
  };
  next.orders++;
  next.firstOrderAt = next.firstOrderAt === null ? order.processedAt : Math.min(next.firstOrderAt, order.processedAt);
  next.lastOrderAt = next.lastOrderAt === null ? order.processedAt : Math.max(next.lastOrderAt, order.processedAt);
  next.totalSpentMinor += f.totalMinor;
  if (f.hasItems) {
    next.itemOrders++;
    next.itemQuantity += f.itemQuantity;
  }
  if (f.hasDiscount) {
    next.discountDataOrders++;
    if (f.discounted) {
      next.discountedOrders++;
      next.discountBpSum += f.discountBp;
    }
  }
  if (f.hasUnitPrice) {
    next.unitPriceOrders++;
    next.unitPriceSumMinor += f.unitPriceMinor;
  }
  if (f.hasShipping) {
    next.shippingDataOrders++;
    if (f.paidShipping) next.paidShippingOrders++;
    if (f.express) next.expressShippingOrders++;
  }
  if (f.hasJourney) next.journeyOrders++;
  if (f.campaign) next.campaignOrders++;
  if (isEarlier(order.processedAt, order.id, next.acquisition)) {
    next.acquisition = acquisitionOf(order, f.hasJourney, f.campaign);
  }
  next.weekdayCounts[f.weekday]++;
  next.hourCounts[f.hour]++;
  next.monthCounts[f.month - 1]++;

  const pos = lowerBound(features.purchaseDays, f.day);
  if (features.purchaseDays[pos] === f.day) {
    next.purchaseDays = features.purchaseDays;
    next.dayTotalsMinor = features.dayTotalsMinor.slice();
    next.dayTotalsMinor[pos] += f.totalMinor;
  } else {
    next.purchaseDays = insertAt(features.purchaseDays, pos, f.day);
    next.dayTotalsMinor = insertAt(features.dayTotalsMinor, pos, f.totalMinor);
  }

  const products = distinctNonEmpty(order.productIds);
  if (products.length > 0) {
    const seen = new Set(features.products);
    const repeated = new Set(features.repeatedProducts);
    for (const p of products) {
      if (seen.has(p)) repeated.add(p);
      else seen.add(p);
    }
    next.products = [...seen].sort();
    next.repeatedProducts = [...repeated].sort();
  }
  const types = distinctNonEmpty(order.productTypes);
  if (types.length > 0) next.productTypes = [...new Set([...features.productTypes, ...types])].sort();
  return next;
}

/** Builds a customer's features from their orders (convenience for tests and small shops). */
export function customerFeaturesFromOrders(
  customerId: string,
  orders: readonly EngineOrder[],
  timeZone: string,
): CustomerFeatures {
  let f = emptyCustomerFeatures(customerId, timeZone);
  for (const o of orders) f = updateCustomerFeatures(f, o);
  return f;
}

function lowerBound(arr: readonly number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertAt(arr: readonly number[], pos: number, v: number): number[] {
  const out = arr.slice(0, pos);
  out.push(v);
  for (let i = pos; i < arr.length; i++) out.push(arr[i]);
  return out;
}
