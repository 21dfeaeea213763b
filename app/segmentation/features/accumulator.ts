// Streaming, columnar feature accumulator. Orders arrive one at a time, in
// any order, grouped by customer or not; per-customer aggregates live in
// typed-array columns and the few order-level facts that need sorting
// (purchase days, products, product types) are buffered as flat arrays and
// grouped by counting sort at the end. No per-customer objects are created
// until a caller asks for one customer (`FeatureTable.customer(i)`).
import type { EngineOrder } from "../types";
import { ShopClock } from "./clock";
import { type AcquisitionTouch, type CustomerFeatures, emptyCustomerFeatures } from "./customer";
import { Growable } from "./growable";
import { newOrderFacts, type OrderFacts, readOrderFacts } from "./order-facts";
import { PRICE_BINS, priceBin } from "./price-histogram";
import { StringIndex } from "./string-index";

export interface ShopStats {
  /** Counted orders (not cancelled, not fully refunded), guests included. */
  orders: number;
  guestOrders: number;
  /**
   * Orders not counted (cancelled, fully refunded) of guests and of the
   * customers in the table: a customer's own are in its skippedOrders
   * column, so the statistics can be summed from parts (shop-parts.ts).
   */
  skippedOrders: number;
  revenueMinor: number;
  guestRevenueMinor: number;
  /** Log-spaced histogram of order average unit prices (see priceHistogram.ts). */
  unitPriceHistogram: number[];
  /** How many counted orders carried each kind of optional data. */
  ordersWithItems: number;
  ordersWithDiscountData: number;
  ordersWithUnitPrice: number;
  ordersWithShippingData: number;
  ordersWithJourneyData: number;
  ordersWithProducts: number;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

/** A shop with no orders yet (the accumulator's start, and columnsFromFeatures'). */
export function emptyShopStats(): ShopStats {
  return {
    orders: 0,
    guestOrders: 0,
    skippedOrders: 0,
    revenueMinor: 0,
    guestRevenueMinor: 0,
    unitPriceHistogram: new Array(PRICE_BINS).fill(0),
    ordersWithItems: 0,
    ordersWithDiscountData: 0,
    ordersWithUnitPrice: 0,
    ordersWithShippingData: 0,
    ordersWithJourneyData: 0,
    ordersWithProducts: 0,
    firstOrderAt: null,
    lastOrderAt: null,
  };
}

/**
 * What the features computed from a shop's orders mean: bump it with any
 * change to what the accumulator (or readOrderFacts, the shop clock) makes of
 * an order, so that no recompute fits from features an older version read
 * and kept (the app's FeatureRead, docs/decisions/051-reuse-of-an-unchanged-read.md).
 * feature-version.test.ts fails when the features change under the same version.
 */
export const FEATURE_VERSION = 2;

export const TIME_SLOTS = 7 + 24 + 12;
const U16_MAX = 65535;

export interface AccumulatorOptions {
  timeZone: string;
  /** Capacity hints (avoid regrowing for big shops). */
  expectedCustomers?: number;
  expectedOrders?: number;
}

export class FeatureAccumulator {
  private readonly clock: ShopClock;
  private readonly facts = newOrderFacts();
  /** Customer ids and their indices. */
  private readonly customers: StringIndex;
  private readonly strings = new Map<string, number>();
  private readonly stringList: string[] = [];
  private readonly productIndex = new Map<string, number>();
  private readonly productNames: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly typeNames: string[] = [];

  // Per-customer aggregates, one record of STRIDE numbers per customer
  // (transposed into columns by finish()). Real stores' orders arrive in time
  // order, i.e. customers in random order: with a column per aggregate each
  // order would touch some twenty cache lines, with a record it touches three.
  private readonly rec: Growable<Float64Array>;
  private readonly acqOrderId: string[] = [];
  private readonly time: Growable<Uint16Array>;

  // Per-order buffers.
  private readonly orderCustomer: Growable<Int32Array>;
  private readonly orderDay: Growable<Int32Array>;
  private readonly orderAmount: Growable<Float64Array>;
  private readonly productCustomer = new Growable(Int32Array);
  private readonly productId = new Growable(Int32Array);
  private readonly typeCustomer = new Growable(Int32Array);
  private readonly typeId = new Growable(Int32Array);
  private readonly priceCustomer: Growable<Int32Array>;
  private readonly priceBin: Growable<Uint16Array>;
  /** Not counted orders of customers not (yet) in the table, by id: attributed at finish() if they are by then. */
  private readonly skippedOfUnknown = new Map<string, number>();

  private readonly shop: ShopStats = emptyShopStats();
  /** The guest orders' part of the shop's statistics. */
  private readonly guest: ShopStats = emptyShopStats();
  private finished = false;

  constructor(readonly options: AccumulatorOptions) {
    this.clock = new ShopClock(options.timeZone);
    const c = options.expectedCustomers ?? 1024;
    this.customers = new StringIndex(c);
    const o = options.expectedOrders ?? 4096;
    // Written out (not Object.fromEntries) so the column records are fast-mode
    // objects with a fixed shape: the hot path reads them millions of times.
    this.rec = new Growable(Float64Array, c * STRIDE);
    this.time = new Growable(Uint16Array, c * TIME_SLOTS);
    this.orderCustomer = new Growable(Int32Array, o);
    this.orderDay = new Growable(Int32Array, o);
    this.orderAmount = new Growable(Float64Array, o);
    this.priceCustomer = new Growable(Int32Array, o);
    this.priceBin = new Growable(Uint16Array, o);
  }

  /** Registers a customer without orders (an RFM "prospect"). */
  addCustomer(customerId: string): number {
    const known = this.customers.size;
    const i = this.customers.add(customerId);
    if (i < known) return i;
    this.rec.ensure((i + 1) * STRIDE);
    const r = this.rec.data;
    const b = i * STRIDE;
    r[b + R.acqAt] = Infinity;
    r[b + R.firstAt] = Infinity;
    r[b + R.lastAt] = -Infinity;
    r[b + R.acqUtmSource] = -1;
    r[b + R.acqUtmMedium] = -1;
    r[b + R.acqUtmCampaign] = -1;
    r[b + R.acqReferrer] = -1;
    r[b + R.acqSourceName] = -1;
    this.acqOrderId.push("");
    this.time.ensure((i + 1) * TIME_SLOTS);
    return i;
  }

  /**
   * Adds one order. `customerIndex`, when given, must be what addCustomer
   * returned for order.customerId: callers that read millions of orders can
   * resolve ids faster than a Map of a million strings (see the app's
   * NumericIdTable), and the lookup is most of the cost of an order.
   * Returns the customer's index, or -1 for an order that is not counted or
   * a guest's (callers that learn indices as they go can pass it next time).
   * Copies what it needs and keeps no reference to the order or its lists:
   * a caller may refill one order object for every row (the recompute's read
   * does, app/recompute/read-features.server.ts).
   */
  add(order: EngineOrder, customerIndex?: number): number {
    if (this.finished) throw new Error("FeatureAccumulator: add() after finish()");
    const f = readOrderFacts(order, this.clock, this.facts);
    if (!f.counted) {
      this.skip(order.customerId, customerIndex);
      return -1;
    }
    const bin = f.hasUnitPrice ? priceBin(f.unitPriceMinor) : -1;
    countOrder(this.shop, f, order, bin);
    if (order.customerId === null) {
      countOrder(this.guest, f, order, bin);
      this.shop.guestOrders++;
      this.shop.guestRevenueMinor += f.totalMinor;
      this.guest.guestOrders++;
      this.guest.guestRevenueMinor += f.totalMinor;
      return -1;
    }
    const known = customerIndex ?? this.customers.get(order.customerId);
    const c = known >= 0 ? known : this.addCustomer(order.customerId);
    const r = this.rec.data;
    const b = c * STRIDE;
    r[b + R.orders]++;
    if (order.processedAt < r[b + R.firstAt]) r[b + R.firstAt] = order.processedAt;
    if (order.processedAt > r[b + R.lastAt]) r[b + R.lastAt] = order.processedAt;
    r[b + R.totalSpent] += f.totalMinor;
    if (f.hasItems) {
      r[b + R.itemOrders]++;
      r[b + R.itemQuantity] += f.itemQuantity;
    }
    if (f.hasDiscount) {
      r[b + R.discountDataOrders]++;
      if (f.discounted) {
        r[b + R.discountedOrders]++;
        r[b + R.discountBpSum] += f.discountBp;
      }
    }
    if (f.hasUnitPrice) {
      r[b + R.unitPriceOrders]++;
      r[b + R.unitPriceSum] += f.unitPriceMinor;
      this.priceCustomer.push(c);
      this.priceBin.push(bin);
    }
    if (order.productIds != null) r[b + R.productOrders]++;
    if (f.hasShipping) {
      r[b + R.shippingDataOrders]++;
      if (f.paidShipping) r[b + R.paidShippingOrders]++;
      if (f.express) r[b + R.expressShippingOrders]++;
    }
    if (f.hasJourney) r[b + R.journeyOrders]++;
    if (f.campaign) r[b + R.campaignOrders]++;
    if (isEarlierThan(order, r[b + R.acqAt], this.acqOrderId, c)) {
      r[b + R.acqAt] = order.processedAt;
      this.acqOrderId[c] = order.id;
      r[b + R.acqKnown] = f.hasJourney ? 1 : 0;
      r[b + R.acqCampaign] = f.campaign ? 1 : 0;
      r[b + R.acqUtmSource] = this.intern(order.utmSource);
      r[b + R.acqUtmMedium] = this.intern(order.utmMedium);
      r[b + R.acqUtmCampaign] = this.intern(order.utmCampaign);
      r[b + R.acqReferrer] = this.intern(order.referrerDomain);
      r[b + R.acqSourceName] = this.intern(order.sourceName);
      r[b + R.acqVisit] = order.visitRecorded === true ? 1 : 0;
    }
    const t = this.time.data;
    const base = c * TIME_SLOTS;
    if (t[base + f.weekday] < U16_MAX) t[base + f.weekday]++;
    if (t[base + 7 + f.hour] < U16_MAX) t[base + 7 + f.hour]++;
    if (t[base + 31 + f.month - 1] < U16_MAX) t[base + 31 + f.month - 1]++;
    this.orderCustomer.push(c);
    this.orderDay.push(f.day);
    this.orderAmount.push(f.totalMinor);
    const products = order.productIds;
    if (products && products.length > 0) {
      for (let k = 0; k < products.length; k++) {
        const p = products[k];
        if (p && !seenBefore(products, k)) {
          this.productCustomer.push(c);
          this.productId.push(internInto(this.productIndex, this.productNames, p));
        }
      }
    }
    const types = order.productTypes;
    if (types && types.length > 0) {
      for (let k = 0; k < types.length; k++) {
        const p = types[k];
        if (p && !seenBefore(types, k)) {
          this.typeCustomer.push(c);
          this.typeId.push(internInto(this.typeIndex, this.typeNames, p));
        }
      }
    }
    return c;
  }

  /** A not counted order: its customer's (or the guests') skippedOrders. */
  private skip(customerId: string | null, customerIndex: number | undefined): void {
    if (customerId === null) {
      this.shop.skippedOrders++;
      this.guest.skippedOrders++;
      return;
    }
    const c = customerIndex ?? this.customers.get(customerId);
    if (c >= 0) {
      this.rec.data[c * STRIDE + R.skippedOrders]++;
      this.shop.skippedOrders++;
    } else {
      this.skippedOfUnknown.set(customerId, (this.skippedOfUnknown.get(customerId) ?? 0) + 1);
    }
  }

  private intern(v: string | null | undefined): number {
    if (v == null) return -1;
    return internInto(this.strings, this.stringList, v);
  }

  /** Groups the buffered facts per customer and returns the table. The accumulator cannot be reused. */
  finish(): FeatureTable {
    this.finished = true;
    // A customer's orders may come before it is known (an id missing from the
    // Customer table, known once a counted order adds it); the not counted
    // orders of ids never known are nobody's (not in the shop's count either).
    for (const [id, skipped] of this.skippedOfUnknown) {
      const c = this.customers.get(id);
      if (c < 0) continue;
      this.rec.data[c * STRIDE + R.skippedOrders] += skipped;
      this.shop.skippedOrders += skipped;
    }
    const n = this.customers.size;
    const days = groupDays(n, this.orderCustomer.view(), this.orderDay.view(), this.orderAmount.view());
    const products = groupProducts(n, this.productCustomer.view(), this.productId.view(), true);
    const types = groupProducts(n, this.typeCustomer.view(), this.typeId.view(), false);
    const prices = groupBins(n, this.priceCustomer.view(), this.priceBin.view());
    const { i32, f64 } = transpose(this.rec.data, n);
    return new FeatureTable({
      timeZone: this.options.timeZone,
      customerIds: this.customers.keys,
      index: this.customers,
      i32,
      f64,
      acqOrderId: this.acqOrderId,
      strings: this.stringList,
      time: this.time.view(),
      dayOffsets: days.offsets,
      days: days.days,
      dayTotals: days.totals,
      productOffsets: products.offsets,
      productIds: products.ids,
      productRepeated: products.repeated,
      productNames: this.productNames,
      typeOffsets: types.offsets,
      typeIds: types.ids,
      typeNames: this.typeNames,
      priceBinOffsets: prices.offsets,
      priceBins: prices.bins,
      shop: this.shop,
      guestShop: this.guest,
    });
  }
}

/** The shop-level counts of one counted order (its unit-price bin, or -1). */
function countOrder(stats: ShopStats, f: OrderFacts, order: EngineOrder, bin: number): void {
  stats.orders++;
  stats.revenueMinor += f.totalMinor;
  if (stats.firstOrderAt === null || order.processedAt < stats.firstOrderAt) stats.firstOrderAt = order.processedAt;
  if (stats.lastOrderAt === null || order.processedAt > stats.lastOrderAt) stats.lastOrderAt = order.processedAt;
  if (f.hasItems) stats.ordersWithItems++;
  if (f.hasDiscount) stats.ordersWithDiscountData++;
  if (f.hasShipping) stats.ordersWithShippingData++;
  if (f.hasJourney) stats.ordersWithJourneyData++;
  if (bin >= 0) {
    stats.ordersWithUnitPrice++;
    stats.unitPriceHistogram[bin]++;
  }
  if (order.productIds != null) stats.ordersWithProducts++;
}

export const I32_COLUMNS = [
  "orders",
  "itemOrders",
  "discountDataOrders",
  "discountedOrders",
  "unitPriceOrders",
  "shippingDataOrders",
  "paidShippingOrders",
  "expressShippingOrders",
  "journeyOrders",
  "campaignOrders",
  "acqKnown",
  "acqCampaign",
  "acqUtmSource",
  "acqUtmMedium",
  "acqUtmCampaign",
  "acqReferrer",
  "acqSourceName",
  "acqVisit",
  "skippedOrders",
  "productOrders",
] as const;
export const F64_COLUMNS = [
  "firstAt",
  "lastAt",
  "totalSpent",
  "itemQuantity",
  "discountBpSum",
  "unitPriceSum",
  "acqAt",
] as const;

/** Offsets of the aggregates in a customer's record. */
const R = Object.fromEntries([...I32_COLUMNS, ...F64_COLUMNS].map((k, i) => [k, i])) as Record<
  (typeof I32_COLUMNS)[number] | (typeof F64_COLUMNS)[number],
  number
>;
const STRIDE = I32_COLUMNS.length + F64_COLUMNS.length;

/** Customers per block of the transposition: their records (200 bytes each) stay in the L2 cache. */
const TRANSPOSE_BLOCK = 1024;

/**
 * The records as columns, block by block: each column's pass over a block
 * reads records the previous column's pass brought into the cache. (A pass
 * over every record per column read the whole record array once per column,
 * 25 times.)
 */
function transpose(rec: Float64Array, n: number): Pick<TableParts, "i32" | "f64"> {
  const i32 = {} as TableParts["i32"];
  for (const k of I32_COLUMNS) i32[k] = new Int32Array(n);
  const f64 = {} as TableParts["f64"];
  for (const k of F64_COLUMNS) f64[k] = new Float64Array(n);
  const i32Columns = I32_COLUMNS.map((k) => i32[k]);
  const f64Columns = F64_COLUMNS.map((k) => f64[k]);
  const i32Offsets = I32_COLUMNS.map((k) => R[k]);
  const f64Offsets = F64_COLUMNS.map((k) => R[k]);
  for (let from = 0; from < n; from += TRANSPOSE_BLOCK) {
    const to = Math.min(n, from + TRANSPOSE_BLOCK);
    for (let c = 0; c < i32Columns.length; c++) copyI32(rec, i32Columns[c], i32Offsets[c], from, to);
    for (let c = 0; c < f64Columns.length; c++) copyF64(rec, f64Columns[c], f64Offsets[c], from, to);
  }
  return { i32, f64 };
}

// One function per column type, so that each stays monomorphic.
function copyI32(rec: Float64Array, out: Int32Array, offset: number, from: number, to: number): void {
  for (let i = from, k = from * STRIDE + offset; i < to; i++, k += STRIDE) out[i] = rec[k];
}

function copyF64(rec: Float64Array, out: Float64Array, offset: number, from: number, to: number): void {
  for (let i = from, k = from * STRIDE + offset; i < to; i++, k += STRIDE) out[i] = rec[k];
}

function stringAt(strings: readonly string[], k: number): string | null {
  return k < 0 ? null : strings[k];
}

/**
 * Same order as isEarlier, without allocating a touch object per order:
 * whether the order comes before customer c's acquisition order so far (the
 * earlier time, on a tie the smaller id). Both ids are read only on a tie:
 * the current one cost a cache miss per order, and the order's may be made
 * from bytes when asked (app/recompute/read-features.server.ts).
 */
function isEarlierThan(order: EngineOrder, currentAt: number, currentIds: readonly string[], c: number): boolean {
  return order.processedAt < currentAt || (order.processedAt === currentAt && order.id < currentIds[c]);
}

/** True when list[k] already appeared earlier in the list (lists are a few items long). */
function seenBefore(list: readonly string[], k: number): boolean {
  for (let j = 0; j < k; j++) if (list[j] === list[k]) return true;
  return false;
}

function internInto(index: Map<string, number>, list: string[], v: string): number {
  let i = index.get(v);
  if (i === undefined) {
    i = list.length;
    index.set(v, i);
    list.push(v);
  }
  return i;
}

/** CSR offsets of per-order rows grouped by customer (a counting sort's counts, summed). */
function offsetsByCustomer(n: number, customer: Int32Array): Int32Array {
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < customer.length; i++) offsets[customer[i] + 1]++;
  for (let c = 0; c < n; c++) offsets[c + 1] += offsets[c];
  return offsets;
}

function sortSegment(keys: Int32Array, vals: Float64Array | null, from: number, to: number): void {
  // Insertion sort: segments are a customer's orders, almost always short.
  if (to - from > 64) {
    const idx = Array.from({ length: to - from }, (_, k) => from + k).sort((p, q) => keys[p] - keys[q]);
    const k2 = idx.map((p) => keys[p]);
    const v2 = vals ? idx.map((p) => vals[p]) : null;
    for (let k = 0; k < idx.length; k++) {
      keys[from + k] = k2[k];
      if (vals && v2) vals[from + k] = v2[k];
    }
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const k = keys[i];
    const v = vals ? vals[i] : 0;
    let j = i - 1;
    while (j >= from && keys[j] > k) {
      keys[j + 1] = keys[j];
      if (vals) vals[j + 1] = vals[j];
      j--;
    }
    keys[j + 1] = k;
    if (vals) vals[j + 1] = v;
  }
}

function groupDays(n: number, customer: Int32Array, day: Int32Array, amount: Float64Array) {
  const offsets = offsetsByCustomer(n, customer);
  // The counting sort's scatter writes the values themselves (stable: rows keep their order
  // within a customer), not a permutation to gather them through afterwards.
  const cursor = offsets.slice(0, n);
  const keys = new Int32Array(customer.length);
  const vals = new Float64Array(customer.length);
  for (let i = 0; i < customer.length; i++) {
    const k = cursor[customer[i]]++;
    keys[k] = day[i];
    vals[k] = amount[i];
  }
  const outOffsets = new Int32Array(n + 1);
  let w = 0;
  for (let c = 0; c < n; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    sortSegment(keys, vals, from, to);
    outOffsets[c] = w;
    for (let k = from; k < to; k++) {
      if (k > from && keys[k] === keys[w - 1]) {
        vals[w - 1] += vals[k];
      } else {
        keys[w] = keys[k];
        vals[w] = vals[k];
        w++;
      }
    }
  }
  outOffsets[n] = w;
  return {
    offsets: outOffsets,
    days: keys.slice(0, w),
    totals: vals.slice(0, w),
  };
}

/** Each customer's unit-price bins, one per order with a unit price (in no particular order). */
function groupBins(n: number, customer: Int32Array, bin: Uint16Array) {
  const offsets = offsetsByCustomer(n, customer);
  const cursor = offsets.slice(0, n);
  const bins = new Uint16Array(customer.length);
  for (let i = 0; i < customer.length; i++) bins[cursor[customer[i]]++] = bin[i];
  return { offsets, bins };
}

function groupProducts(n: number, customer: Int32Array, id: Int32Array, trackRepeats: boolean) {
  const offsets = offsetsByCustomer(n, customer);
  const cursor = offsets.slice(0, n);
  const keys = new Int32Array(customer.length);
  for (let i = 0; i < customer.length; i++) keys[cursor[customer[i]]++] = id[i];
  const outOffsets = new Int32Array(n + 1);
  const repeated = new Uint8Array(trackRepeats ? customer.length : 0);
  let w = 0;
  for (let c = 0; c < n; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    sortSegment(keys, null, from, to);
    outOffsets[c] = w;
    for (let k = from; k < to; k++) {
      if (k > from && keys[k] === keys[w - 1]) {
        if (trackRepeats) repeated[w - 1] = 1;
      } else {
        keys[w] = keys[k];
        w++;
      }
    }
  }
  outOffsets[n] = w;
  return {
    offsets: outOffsets,
    ids: keys.slice(0, w),
    repeated: repeated.slice(0, w),
  };
}

/** The columns behind a FeatureTable (see transfer.ts for subsets and encoding). */
export interface TableParts {
  timeZone: string;
  customerIds: string[];
  /** customerIds' positions; built on the first indexOf when absent (decoded and subset tables). */
  index?: StringIndex;
  i32: Record<(typeof I32_COLUMNS)[number], Int32Array>;
  f64: Record<(typeof F64_COLUMNS)[number], Float64Array>;
  acqOrderId: string[];
  strings: string[];
  time: Uint16Array;
  dayOffsets: Int32Array;
  days: Int32Array;
  dayTotals: Float64Array;
  productOffsets: Int32Array;
  productIds: Int32Array;
  productRepeated: Uint8Array;
  productNames: string[];
  typeOffsets: Int32Array;
  typeIds: Int32Array;
  typeNames: string[];
  /** Customer i's orders with a unit price, as unit-price bins: priceBins[priceBinOffsets[i]..[i + 1]). */
  priceBinOffsets: Int32Array;
  priceBins: Uint16Array;
  shop: ShopStats;
  /** The guest orders' part of `shop` (the rest is the customers' columns, shop-parts.ts). */
  guestShop: ShopStats;
}

/** Features of all customers of a shop, columnar. Read one customer with `customer(i)`. */
export class FeatureTable {
  readonly size: number;
  readonly timeZone: string;
  readonly customerIds: readonly string[];
  readonly shop: ShopStats;
  /** Columns used directly by the shop-level fit (read-only by convention). */
  readonly orders: Int32Array;
  readonly totalSpentMinor: Float64Array;
  readonly firstOrderAt: Float64Array;
  readonly lastOrderAt: Float64Array;
  readonly dayOffsets: Int32Array;
  readonly days: Int32Array;
  readonly dayTotalsMinor: Float64Array;
  readonly unitPriceOrders: Int32Array;
  readonly unitPriceSumMinor: Float64Array;

  private index: StringIndex | undefined;
  private productOrder: NameOrder | undefined;
  private typeOrder: NameOrder | undefined;

  constructor(private readonly p: TableParts) {
    this.index = p.index;
    this.size = p.customerIds.length;
    this.timeZone = p.timeZone;
    this.customerIds = p.customerIds;
    this.shop = p.shop;
    this.orders = p.i32.orders;
    this.totalSpentMinor = p.f64.totalSpent;
    this.firstOrderAt = p.f64.firstAt;
    this.lastOrderAt = p.f64.lastAt;
    this.dayOffsets = p.dayOffsets;
    this.days = p.days;
    this.dayTotalsMinor = p.dayTotals;
    this.unitPriceOrders = p.i32.unitPriceOrders;
    this.unitPriceSumMinor = p.f64.unitPriceSum;
  }

  /** The raw columns, for transfer.ts (subsets and binary encoding); read-only by convention. */
  parts(): Readonly<TableParts> {
    return this.p;
  }

  indexOf(customerId: string): number {
    // Built on demand: a recompute's tables are decoded, merged and sliced
    // without ever looking a customer up by id.
    if (!this.index) {
      const index = new StringIndex(this.size);
      for (const id of this.p.customerIds) index.add(id);
      this.index = index;
    }
    return this.index.get(customerId);
  }

  /** One customer's features as a plain object (the same shape updateCustomerFeatures works on). */
  customer(i: number): CustomerFeatures {
    return this.customerInto(i, emptyCustomerFeatures("", this.timeZone));
  }

  /**
   * Fills `target` with customer i's features, reusing its arrays and
   * acquisition object: the bulk assignment reads one customer at a time
   * and need not allocate a fresh object graph per customer.
   */
  customerInto(i: number, target: CustomerFeatures): CustomerFeatures {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`no customer at index ${i}`);
    const p = this.p;
    const I = p.i32;
    const F = p.f64;
    const hasOrders = I.orders[i] > 0;
    const strings = p.strings;
    if (hasOrders) {
      const acq = target.acquisition ?? ({} as AcquisitionTouch);
      acq.orderId = p.acqOrderId[i];
      acq.at = F.acqAt[i];
      acq.known = I.acqKnown[i] === 1;
      acq.utmSource = stringAt(strings, I.acqUtmSource[i]);
      acq.utmMedium = stringAt(strings, I.acqUtmMedium[i]);
      acq.utmCampaign = stringAt(strings, I.acqUtmCampaign[i]);
      acq.referrerDomain = stringAt(strings, I.acqReferrer[i]);
      acq.sourceName = stringAt(strings, I.acqSourceName[i]);
      acq.visitRecorded = I.acqVisit[i] === 1;
      acq.campaign = I.acqCampaign[i] === 1;
      target.acquisition = acq;
    } else {
      target.acquisition = null;
    }
    const t = i * TIME_SLOTS;
    fillU16(target.weekdayCounts, p.time, t, t + 7);
    fillU16(target.hourCounts, p.time, t + 7, t + 31);
    fillU16(target.monthCounts, p.time, t + 31, t + 43);
    const d0 = p.dayOffsets[i];
    const d1 = p.dayOffsets[i + 1];
    fillI32(target.purchaseDays, p.days, d0, d1);
    fillF64(target.dayTotalsMinor, p.dayTotals, d0, d1);
    // Names in sorted order without sorting strings per customer (that was
    // most of the bulk assignment's reading): each run's ids are sorted by
    // their name's rank in the table's name list, ranked once per table.
    const products = target.products;
    const repeated = target.repeatedProducts;
    truncate(products, 0);
    truncate(repeated, 0);
    const pr = (this.productOrder ??= new NameOrder(p.productNames));
    const np = pr.sortRun(p.productIds, p.productRepeated, p.productOffsets[i], p.productOffsets[i + 1]);
    for (let k = 0; k < np; k++) {
      const key = pr.keys[k];
      const name = pr.sorted[key >> 1];
      products.push(name);
      if (key & 1) repeated.push(name);
    }
    const types = target.productTypes;
    truncate(types, 0);
    const tr = (this.typeOrder ??= new NameOrder(p.typeNames));
    const nt = tr.sortRun(p.typeIds, null, p.typeOffsets[i], p.typeOffsets[i + 1]);
    for (let k = 0; k < nt; k++) types.push(tr.sorted[tr.keys[k] >> 1]);
    target.customerId = p.customerIds[i];
    target.timeZone = p.timeZone;
    target.orders = I.orders[i];
    target.firstOrderAt = hasOrders ? F.firstAt[i] : null;
    target.lastOrderAt = hasOrders ? F.lastAt[i] : null;
    target.totalSpentMinor = F.totalSpent[i];
    target.itemOrders = I.itemOrders[i];
    target.itemQuantity = F.itemQuantity[i];
    target.discountDataOrders = I.discountDataOrders[i];
    target.discountedOrders = I.discountedOrders[i];
    target.discountBpSum = F.discountBpSum[i];
    target.unitPriceOrders = I.unitPriceOrders[i];
    target.unitPriceSumMinor = F.unitPriceSum[i];
    target.shippingDataOrders = I.shippingDataOrders[i];
    target.paidShippingOrders = I.paidShippingOrders[i];
    target.expressShippingOrders = I.expressShippingOrders[i];
    target.journeyOrders = I.journeyOrders[i];
    target.campaignOrders = I.campaignOrders[i];
    return target;
  }
}

/**
 * A name list (productNames, typeNames) in sorted order, for reading a
 * customer's run of ids as sorted names: Array.prototype.sort's default
 * order (UTF-16 code units, as `<` compares strings), computed once per table.
 */
class NameOrder {
  /** The names, sorted. */
  readonly sorted: string[];
  /** rank[id]: position of names[id] in `sorted`. */
  private readonly rank: Int32Array;
  /** The last run sorted: rank * 2 + (1 when repeated). */
  keys = new Int32Array(64);

  constructor(names: readonly string[]) {
    const ids = Array.from(names.keys()).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    this.sorted = ids.map((id) => names[id]);
    this.rank = new Int32Array(names.length);
    for (let k = 0; k < ids.length; k++) this.rank[ids[k]] = k;
  }

  /** Sorts ids[from..to) (with their repeated flags) into `keys` by name; returns how many. */
  sortRun(ids: Int32Array, repeated: Uint8Array | null, from: number, to: number): number {
    const n = to - from;
    if (n > this.keys.length) this.keys = new Int32Array(Math.max(n, 2 * this.keys.length));
    const keys = this.keys;
    const rank = this.rank;
    for (let k = 0; k < n; k++) keys[k] = rank[ids[from + k]] * 2 + (repeated !== null && repeated[from + k] ? 1 : 0);
    if (n > 32) {
      keys.subarray(0, n).sort();
      return n;
    }
    for (let a = 1; a < n; a++) {
      const v = keys[a];
      let b = a - 1;
      while (b >= 0 && keys[b] > v) {
        keys[b + 1] = keys[b];
        b--;
      }
      keys[b + 1] = v;
    }
    return n;
  }
}

/**
 * out = a[from..to). Without assigning `length` (a runtime call every time,
 * even to the same value, and most of customerInto's time): elements are
 * overwritten, pushed, or popped, which the compiler inlines. One function
 * per array type, so that each stays monomorphic.
 */
function fillU16(out: number[], a: Uint16Array, from: number, to: number): void {
  const n = to - from;
  const m = Math.min(out.length, n);
  for (let k = 0; k < m; k++) out[k] = a[from + k];
  for (let k = m; k < n; k++) out.push(a[from + k]);
  truncate(out, n);
}

function fillI32(out: number[], a: Int32Array, from: number, to: number): void {
  const n = to - from;
  const m = Math.min(out.length, n);
  for (let k = 0; k < m; k++) out[k] = a[from + k];
  for (let k = m; k < n; k++) out.push(a[from + k]);
  truncate(out, n);
}

function fillF64(out: number[], a: Float64Array, from: number, to: number): void {
  const n = to - from;
  const m = Math.min(out.length, n);
  for (let k = 0; k < m; k++) out[k] = a[from + k];
  for (let k = m; k < n; k++) out.push(a[from + k]);
  truncate(out, n);
}

function truncate(out: unknown[], n: number): void {
  while (out.length > n) out.pop();
}

/** Convenience: features of every customer from an array of orders. */
export function computeFeatureTable(orders: Iterable<EngineOrder>, options: AccumulatorOptions): FeatureTable {
  const acc = new FeatureAccumulator(options);
  for (const o of orders) acc.add(o);
  return acc.finish();
}
