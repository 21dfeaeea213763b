// Seeded synthetic store generator (app/utils/seeded-random): the same options always give
// the same store. Orders are spread over [startDate, endDate] with a yearly
// seasonal curve peaking late November; customers' order counts are heavy
// tailed; a share of orders carry discount codes, shipping lines, UTM
// journeys, refunds and cancellations.
import type { Shop } from "./shop";
import {
  GENERATED_CUSTOMER_ID_BASE,
  ORDER_ID_BASE,
  type DiscountCodeInfo,
  type Journey,
  type NewLineItem,
} from "./store";
import { seededRandom } from "../app/utils/seeded-random";
import { allocateDiscount } from "./money";
import { secondsFromIso } from "./util";

/**
 * Amounts are generated in the shop currency's minor units (product prices
 * 500-12,500, shipping 499/999): 5-125 GBP, 500-12,500 JPY, 0.5-12.5 KWD.
 */
export interface GenerateOptions {
  seed: number;
  customers: number;
  orders: number;
  startDate: string;
  endDate: string;
  /** Share of orders with a discount code, 0..1. */
  discountShare: number;
  /** Amplitude of the yearly seasonal curve, 0 (flat) .. 1 (strong Q4 peak). */
  seasonality: number;
  /** Share of orders placed without a customer account (default 0.1). */
  guestShare?: number;
  /** Share of orders partially refunded (default 0.03). */
  refundShare?: number;
  /** Share of orders cancelled (default 0.01). */
  cancelShare?: number;
  /** Number of products (default 200). */
  products?: number;
}

export interface GenerateSummary {
  customers: number;
  orders: number;
  guestOrders: number;
  discountedOrders: number;
  refunds: number;
  cancelled: number;
  lineItems: number;
  skippedRows: number;
  skippedByReason: Record<string, number>;
  elapsedMs: number;
}

const DISCOUNTS: (DiscountCodeInfo & { value: number })[] = [
  { code: "WELCOME10", type: "percentage", value: 0.1 },
  { code: "SUMMER20", type: "percentage", value: 0.2 },
  { code: "VIP15", type: "percentage", value: 0.15 },
  { code: "FIVEOFF", type: "fixed_amount", value: 500 },
];

const VISITS = [
  {
    source: "google",
    sourceType: "AD",
    utmSource: "google",
    utmMedium: "cpc",
    utmCampaign: "brand",
    referrerUrl: "https://www.google.com/",
    landingPage: "/collections/all?utm_source=google&utm_medium=cpc&utm_campaign=brand",
  },
  {
    source: "google",
    sourceType: "SEO",
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    referrerUrl: "https://www.google.com/",
    landingPage: "/products/best-seller",
  },
  {
    source: "facebook",
    sourceType: "AD",
    utmSource: "facebook",
    utmMedium: "paid_social",
    utmCampaign: "retargeting",
    referrerUrl: "https://l.facebook.com/",
    landingPage: "/?utm_source=facebook&utm_medium=paid_social&utm_campaign=retargeting",
  },
  {
    source: "instagram",
    sourceType: "POST",
    utmSource: "instagram",
    utmMedium: "social",
    utmCampaign: "spring_drop",
    referrerUrl: "https://instagram.com/",
    landingPage: "/collections/new?utm_source=instagram&utm_medium=social&utm_campaign=spring_drop",
  },
  {
    source: "email",
    sourceType: "NEWSLETTER",
    utmSource: "klaviyo",
    utmMedium: "email",
    utmCampaign: "weekly_newsletter",
    referrerUrl: null,
    landingPage: "/?utm_source=klaviyo&utm_medium=email&utm_campaign=weekly_newsletter",
  },
  {
    source: "direct",
    sourceType: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    referrerUrl: null,
    landingPage: "/",
  },
  {
    source: "tiktok",
    sourceType: "AD",
    utmSource: "tiktok",
    utmMedium: "paid_social",
    utmCampaign: "ugc_video",
    referrerUrl: "https://www.tiktok.com/",
    landingPage: "/products/viral?utm_source=tiktok&utm_medium=paid_social&utm_campaign=ugc_video",
  },
];
const VISIT_WEIGHTS = [0.22, 0.18, 0.14, 0.08, 0.12, 0.2, 0.06];

const PRODUCT_TYPES = ["Apparel", "Shoes", "Accessories", "Home", "Beauty", "Gift Card"];
const SHIPPING = [
  { title: "Standard Shipping", cents: 499, weight: 0.65 },
  { title: "Express Shipping", cents: 999, weight: 0.2 },
  { title: "Free Shipping", cents: 0, weight: 0.1 },
];
const PEAK_DAY = 330; // late November

function pickWeighted(random: () => number, weights: number[]): number {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function validateGenerateOptions(o: GenerateOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(o.seed)) problems.push("seed must be an integer");
  if (o.products !== undefined && (!Number.isInteger(o.products) || o.products < 1)) {
    problems.push("products must be a positive integer");
  }
  if (!Number.isInteger(o.customers) || o.customers < 0) problems.push("customers must be a non-negative integer");
  if (!Number.isInteger(o.orders) || o.orders < 0) problems.push("orders must be a non-negative integer");
  if (o.orders > 0 && o.customers === 0 && (o.guestShare ?? 0.1) < 1)
    problems.push("orders need customers unless guestShare is 1");
  const start = Date.parse(o.startDate);
  const end = Date.parse(o.endDate);
  if (Number.isNaN(start) || Number.isNaN(end)) problems.push("startDate and endDate must be ISO dates");
  else if (end <= start) problems.push("endDate must be after startDate");
  for (const key of ["discountShare", "seasonality", "guestShare", "refundShare", "cancelShare"] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || v < 0 || v > 1)) problems.push(`${key} must be between 0 and 1`);
  }
  if (problems.length) throw new Error(`Invalid generator options: ${problems.join("; ")}`);
}

interface Catalog {
  productIndexes: number[];
  productPrices: number[];
  pickProduct: () => number;
}

/** Products with Zipf-like popularity; indexes as addProduct returns them (a rerun reuses the SKUs). */
function createCatalog(shop: Shop, options: GenerateOptions, random: () => number): Catalog {
  const productCount = options.products ?? 200;
  const productIndexes: number[] = [];
  const productPrices: number[] = [];
  const popularity: number[] = [];
  for (let p = 0; p < productCount; p++) {
    const type = PRODUCT_TYPES[p % PRODUCT_TYPES.length];
    const index = shop.store.addProduct({
      sku: `GEN-${options.seed}-${p}`,
      title: `${type} item ${p + 1}`,
      productType: type,
      vendor: "Simulated Goods",
    });
    productIndexes.push(index);
    productPrices.push(Math.round((5 + random() * 120) * 100));
    popularity.push(1 / (p + 1));
  }
  const cumulative = new Float64Array(productCount);
  popularity.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const totalPopularity = cumulative[productCount - 1] ?? 1;
  const pickProduct = () => {
    const r = random() * totalPopularity;
    let lo = 0;
    let hi = productCount - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { productIndexes, productPrices, pickProduct };
}

/** Order times: rejection sampling against 1 + s*cos(distance to the peak), sorted. */
function orderTimes(options: GenerateOptions, random: () => number, start: number, span: number): Float64Array {
  const times = new Float64Array(options.orders);
  const s = options.seasonality;
  for (let k = 0; k < options.orders; k++) {
    for (;;) {
      const t = start + random() * span;
      const day = (t / 86400) % 365.25;
      const weight = 1 + s * Math.cos((2 * Math.PI * (day - PEAK_DAY)) / 365.25);
      if (random() * (1 + s) <= weight) {
        times[k] = Math.floor(t);
        break;
      }
    }
  }
  times.sort();
  return times;
}

/**
 * Who places each order (activity heavy tailed: r^2.5 skews to few buyers,
 * -1 = guest) and when each customer signs up (before or at the first order).
 */
function assignBuyers(
  options: GenerateOptions,
  random: () => number,
  times: Float64Array,
  start: number,
  span: number,
): { owner: Int32Array; signup: Float64Array } {
  const guestShare = options.guestShare ?? 0.1;
  const owner = new Int32Array(options.orders);
  const firstOrder = new Float64Array(options.customers).fill(Number.POSITIVE_INFINITY);
  for (let k = 0; k < options.orders; k++) {
    if (options.customers === 0 || random() < guestShare) {
      owner[k] = -1;
      continue;
    }
    const c = Math.min(options.customers - 1, Math.floor(options.customers * Math.pow(random(), 2.5)));
    owner[k] = c;
    if (times[k] < firstOrder[c]) firstOrder[c] = times[k];
  }
  const signup = new Float64Array(options.customers);
  for (let c = 0; c < options.customers; c++) {
    const before = Math.floor(random() * 30 * 86400);
    signup[c] = Number.isFinite(firstOrder[c])
      ? Math.max(start, firstOrder[c] - before)
      : Math.floor(start + random() * span);
  }
  return { owner, signup };
}

/** Adds the customers in sign-up order (ids follow sign-up); returns generator index -> store row. */
function addCustomers(shop: Shop, options: GenerateOptions, random: () => number, signup: Float64Array): Int32Array {
  const store = shop.store;
  const bySignup = new Int32Array(options.customers);
  for (let c = 0; c < options.customers; c++) bySignup[c] = c;
  bySignup.sort((a, b) => signup[a] - signup[b] || a - b);
  const storeIndexOf = new Int32Array(options.customers);
  const idBase = GENERATED_CUSTOMER_ID_BASE + store.customerCount + 1;
  store.reserve(options.customers, options.orders, Math.ceil(options.orders * 2.2));
  for (let rank = 0; rank < options.customers; rank++) {
    const c = bySignup[rank];
    const r = random();
    storeIndexOf[c] = store.addCustomer({
      id: idBase + rank,
      createdAt: signup[c],
      marketingState: r < 0.45 ? "SUBSCRIBED" : r < 0.55 ? "UNSUBSCRIBED" : "NOT_SUBSCRIBED",
      country: r < 0.7 ? "United Kingdom" : r < 0.85 ? "Germany" : "France",
    });
  }
  return storeIndexOf;
}

/** 1-4 lines of Zipf-popular products, 1-3 units each. */
function orderLines(catalog: Catalog, random: () => number, lineItems: NewLineItem[]): void {
  lineItems.length = 0;
  const lines = 1 + pickWeighted(random, [0.5, 0.3, 0.15, 0.05]);
  for (let li = 0; li < lines; li++) {
    const product = catalog.pickProduct();
    lineItems.push({
      productIndex: catalog.productIndexes[product],
      quantity: 1 + pickWeighted(random, [0.75, 0.18, 0.07]),
      unitPriceMinor: catalog.productPrices[product],
    });
  }
}

/** On discountShare of orders, a discount code allocated across the lines. */
function maybeDiscount(
  options: GenerateOptions,
  random: () => number,
  lineItems: NewLineItem[],
): DiscountCodeInfo | null {
  if (random() >= options.discountShare) return null;
  const d = DISCOUNTS[Math.floor(random() * DISCOUNTS.length)];
  const subtotal = lineItems.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
  allocateDiscount(lineItems, d.type === "percentage" ? Math.round(subtotal * d.value) : d.value);
  return { code: d.code, type: d.type };
}

/** cancelShare of orders are cancelled (fully refunded), refundShare partly refunded. */
function maybeRefund(
  shop: Shop,
  options: GenerateOptions,
  random: () => number,
  order: { index: number; at: number; end: number; lineItems: NewLineItem[] },
): "cancelled" | "refunded" | null {
  const store = shop.store;
  const cancelShare = options.cancelShare ?? 0.01;
  const refundShare = options.refundShare ?? 0.03;
  const roll = random();
  const start = store.o.lineStart[order.index];
  if (roll < cancelShare) {
    const when = Math.min(order.end, order.at + 3600 * (1 + Math.floor(random() * 48)));
    const lines = order.lineItems.map((l, li) => ({ lineIndex: start + li, quantity: l.quantity }));
    // A cancellation refunds everything the customer paid, shipping included (as orderCancel does).
    store.addRefund(order.index, when, lines, "Cancelled by customer", store.o.shippingMinor[order.index]);
    store.cancelOrder(order.index, when, "CUSTOMER");
    return "cancelled";
  }
  if (roll < cancelShare + refundShare) {
    const when = Math.min(order.end, order.at + 86400 * (2 + Math.floor(random() * 20)));
    store.addRefund(order.index, when, [{ lineIndex: start, quantity: 1 }], "Returned item");
    return "refunded";
  }
  return null;
}

export function generateStore(shop: Shop, options: GenerateOptions): GenerateSummary {
  validateGenerateOptions(options);
  const started = Date.now();
  const random = seededRandom(options.seed);
  const store = shop.store;
  const start = secondsFromIso(options.startDate);
  const end = secondsFromIso(options.endDate);
  const catalog = createCatalog(shop, options, random);
  const times = orderTimes(options, random, start, end - start);
  const { owner, signup } = assignBuyers(options, random, times, start, end - start);
  const storeIndexOf = addCustomers(shop, options, random, signup);
  const journeyIndexes = VISITS.flatMap((first, a) =>
    VISITS.map((last, b) =>
      store.internJourney({
        firstVisit: first,
        lastVisit: last,
        daysToConversion: (a * 7 + b * 3) % 15,
      } satisfies Journey),
    ),
  );
  // Order numbers continue after the store's last order (#1001 in an empty store).
  const lastNumber = store.orderCount ? store.o.id[store.orderCount - 1] - ORDER_ID_BASE : 1000;
  const orderIdBase = ORDER_ID_BASE + lastNumber + 1;
  const summary = { guestOrders: 0, discountedOrders: 0, refunds: 0, cancelled: 0, lineItems: 0 };
  const lineItems: NewLineItem[] = [];
  for (let k = 0; k < options.orders; k++) {
    orderLines(catalog, random, lineItems);
    const discountCode = maybeDiscount(options, random, lineItems);
    if (discountCode) summary.discountedOrders++;
    const shipping = SHIPPING[pickWeighted(random, SHIPPING.map((x) => x.weight).concat([0.05]))];
    const c = owner[k];
    if (c < 0) summary.guestOrders++;
    const at = times[k];
    const index = store.addOrder({
      id: orderIdBase + k,
      customerIndex: c < 0 ? -1 : storeIndexOf[c],
      createdAt: at,
      processedAt: at,
      lineItems,
      shippingMinor: shipping?.cents ?? 0,
      shippingTitle: shipping?.title ?? null,
      discountCode,
      journeyIndex:
        random() < 0.85
          ? journeyIndexes[pickWeighted(random, VISIT_WEIGHTS) * VISITS.length + pickWeighted(random, VISIT_WEIGHTS)]
          : -1,
      sourceName: random() < 0.9 ? "web" : "pos",
    });
    summary.lineItems += lineItems.length;
    const outcome = maybeRefund(shop, options, random, { index, at, end, lineItems });
    if (outcome) summary.refunds++;
    if (outcome === "cancelled") summary.cancelled++;
  }
  return {
    customers: options.customers,
    orders: options.orders,
    ...summary,
    skippedRows: 0,
    skippedByReason: {},
    elapsedMs: Date.now() - started,
  };
}
