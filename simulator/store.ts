// The in-memory store of one simulated shop. Customers, orders and line items
// live in typed-array columns (struct of arrays) so a benchmark store with
// 1,000,000 customers and 5,000,000 orders costs a few hundred MB outside the
// V8 heap instead of tens of millions of JS objects. Rarely-present data
// (tags, metafields, refunds) is kept sparse in Maps keyed by row index.
import { Interner, hashInt } from "./util";

export const ORDER_ID_BASE = 5_000_000_000;
export const LINE_ITEM_ID_BASE = 13_000_000_000;
const REFUND_ID_BASE = 900_000_000;
const PRODUCT_ID_BASE = 8_000_000_000;
const VARIANT_ID_BASE = 44_000_000_000;
export const GENERATED_CUSTOMER_ID_BASE = 7_000_000_000;
const TRANSACTION_ID_BASE = 60_000_000_000;

export const MARKETING_STATES = ["NOT_SUBSCRIBED", "SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "REDACTED"] as const;
export const CANCEL_REASONS = ["", "CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"] as const;
export const SOURCE_NAMES = ["web", "pos", "shopify_draft_order", "iphone", "android"] as const;

export type CancelReason = Exclude<(typeof CANCEL_REASONS)[number], "">;
export type MarketingState = (typeof MARKETING_STATES)[number];

export interface Product {
  id: number;
  variantId: number;
  title: string;
  sku: string;
  productType: string;
  vendor: string;
}

export interface Visit {
  source: string;
  sourceType: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrerUrl: string | null;
  landingPage: string | null;
}

export interface Journey {
  firstVisit: Visit;
  lastVisit: Visit;
  daysToConversion: number;
}

export interface RefundRecord {
  id: number;
  createdAt: number; // seconds
  note: string | null;
  lines: { lineIndex: number; quantity: number; subtotalMinor: number }[];
  /** Shipping refunded with the lines (the order has one shipping line at most). */
  shippingMinor: number;
  /** Lines plus shipping: the amount of the refund transaction. */
  totalMinor: number;
}

/** Ids derived from other ids, so the same resource keeps the same id everywhere it is shown. */
export const derivedIds = {
  refundLineItem: (refundId: number, position: number) => refundId * 100_000 + position,
  refundShippingLine: (refundId: number) => refundId * 100_000 + 99_999,
  shippingLine: (orderId: number) => orderId + 7,
  /** The order's sale transaction (the parent of its refund transactions). */
  saleTransaction: (orderId: number) => TRANSACTION_ID_BASE + 2 * (orderId - ORDER_ID_BASE),
  refundTransaction: (refundId: number) => TRANSACTION_ID_BASE + 2 * (refundId - REFUND_ID_BASE) + 1,
};

export interface MetafieldRecord {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export interface DiscountCodeInfo {
  code: string;
  type: "percentage" | "fixed_amount";
}

const CUSTOMER_FLAG_REDACTED = 1;
const CUSTOMER_FLAG_DELETED = 2;

type Columns<T> = { [K in keyof T]: T[K] };

function grow<A extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(
  array: A,
  capacity: number,
): A {
  const Ctor = array.constructor as new (length: number) => A;
  const next = new Ctor(capacity);
  next.set(array);
  return next;
}

function growAll<T extends Record<string, Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>>(
  columns: Columns<T>,
  capacity: number,
): void {
  for (const key of Object.keys(columns) as (keyof T)[]) {
    columns[key] = grow(columns[key], capacity) as T[keyof T];
  }
}

function nextCapacity(current: number, needed: number): number {
  // Grow by 1.5x rather than 2x: at 5M rows a doubling copy is the memory peak.
  return Math.max(needed, Math.ceil(current * 1.5), 1024);
}

export interface NewCustomer {
  id: number;
  createdAt: number;
  updatedAt?: number;
  marketingState?: MarketingState;
  country?: string;
}

export interface NewLineItem {
  productIndex: number;
  quantity: number;
  unitPriceMinor: number;
  discountMinor?: number;
}

export interface NewOrder {
  id: number;
  customerIndex: number; // -1 = guest
  createdAt: number;
  processedAt?: number;
  updatedAt?: number;
  lineItems: NewLineItem[];
  shippingMinor?: number;
  shippingTitle?: string | null;
  discountCode?: DiscountCodeInfo | null;
  journeyIndex?: number;
  sourceName?: (typeof SOURCE_NAMES)[number];
  test?: boolean;
}

export class ShopStore {
  readonly strings = new Interner();
  readonly products: Product[] = [];
  readonly productIndexBySku = new Map<string, number>();
  readonly journeys: Journey[] = [];
  private readonly journeyIndex = new Map<string, number>();
  readonly discountCodes: DiscountCodeInfo[] = [];
  private readonly discountCodeIndex = new Map<string, number>();

  // --- customers ---
  customerCount = 0;
  customerCapacity = 0;
  c = {
    id: new Float64Array(0),
    createdAt: new Uint32Array(0),
    updatedAt: new Uint32Array(0),
    marketing: new Uint8Array(0),
    orders: new Int32Array(0),
    spentMinor: new Float64Array(0),
    lastOrder: new Int32Array(0),
    country: new Uint16Array(0),
    flags: new Uint8Array(0),
  };
  /** id -> row, only built once ids stop being ascending (binary search otherwise). */
  private customerIdMap: Map<number, number> | null = null;
  readonly customerTags = new Map<number, string[]>();
  customerIdsAscending = true;

  // --- orders ---
  orderCount = 0;
  orderCapacity = 0;
  o = {
    id: new Float64Array(0),
    customer: new Int32Array(0),
    createdAt: new Uint32Array(0),
    updatedAt: new Uint32Array(0),
    processedAt: new Uint32Array(0),
    cancelledAt: new Uint32Array(0), // 0 = not cancelled
    cancelReason: new Uint8Array(0),
    source: new Uint8Array(0),
    test: new Uint8Array(0),
    subtotalMinor: new Int32Array(0), // sum of original line totals
    discountMinor: new Int32Array(0),
    shippingMinor: new Int32Array(0),
    refundedMinor: new Int32Array(0),
    lineStart: new Int32Array(0),
    lineCount: new Uint16Array(0),
    discountCode: new Int32Array(0), // -1 = none
    journey: new Int32Array(0), // -1 = none
    prevByCustomer: new Int32Array(0), // linked list of a customer's orders, -1 ends
    shippingTitle: new Uint16Array(0), // interned string index + 1, 0 = no shipping line
  };
  private orderIdMap: Map<number, number> | null = null;
  readonly refunds = new Map<number, RefundRecord[]>();
  orderIdsAscending = true;

  // --- line items ---
  lineCount = 0;
  lineCapacity = 0;
  l = {
    product: new Int32Array(0),
    quantity: new Int32Array(0),
    currentQuantity: new Int32Array(0),
    unitPriceMinor: new Int32Array(0),
    discountMinor: new Int32Array(0),
  };

  readonly metafields = new Map<string, Map<string, MetafieldRecord>>();
  /** Bumped when rows or their sort keys change; sorted-index caches are keyed on them. */
  orderVersion = 0;
  customerVersion = 0;
  private nextRefundId = REFUND_ID_BASE;

  reserve(customers: number, orders: number, lines: number): void {
    if (this.customerCount + customers > this.customerCapacity) {
      this.customerCapacity = this.customerCount + customers;
      growAll(this.c, this.customerCapacity);
    }
    if (this.orderCount + orders > this.orderCapacity) {
      this.orderCapacity = this.orderCount + orders;
      growAll(this.o, this.orderCapacity);
    }
    if (this.lineCount + lines > this.lineCapacity) {
      this.lineCapacity = this.lineCount + lines;
      growAll(this.l, this.lineCapacity);
    }
  }

  addProduct(product: Omit<Product, "id" | "variantId">): number {
    const existing = this.productIndexBySku.get(product.sku);
    if (existing !== undefined) return existing;
    const index = this.products.length;
    this.products.push({
      ...product,
      id: PRODUCT_ID_BASE + index + 1,
      variantId: VARIANT_ID_BASE + index + 1,
    });
    this.productIndexBySku.set(product.sku, index);
    return index;
  }

  internJourney(journey: Journey): number {
    const key = JSON.stringify(journey);
    let index = this.journeyIndex.get(key);
    if (index === undefined) {
      index = this.journeys.length;
      this.journeys.push(journey);
      this.journeyIndex.set(key, index);
    }
    return index;
  }

  internDiscountCode(info: DiscountCodeInfo): number {
    const key = `${info.type}:${info.code}`;
    let index = this.discountCodeIndex.get(key);
    if (index === undefined) {
      index = this.discountCodes.length;
      this.discountCodes.push(info);
      this.discountCodeIndex.set(key, index);
    }
    return index;
  }

  findCustomer(id: number): number | undefined {
    if (this.customerIdMap) return this.customerIdMap.get(id);
    return binarySearch(this.c.id, this.customerCount, id);
  }

  findOrder(id: number): number | undefined {
    if (this.orderIdMap) return this.orderIdMap.get(id);
    return binarySearch(this.o.id, this.orderCount, id);
  }

  addCustomer(input: NewCustomer): number {
    if (this.findCustomer(input.id) !== undefined) throw new Error(`Customer ${input.id} already exists`);
    if (this.customerCount === this.customerCapacity) {
      this.customerCapacity = nextCapacity(this.customerCapacity, this.customerCount + 1);
      growAll(this.c, this.customerCapacity);
    }
    const i = this.customerCount++;
    if (i > 0 && input.id < this.c.id[i - 1] && !this.customerIdMap) {
      this.customerIdsAscending = false;
      this.customerIdMap = new Map();
      for (let k = 0; k < i; k++) this.customerIdMap.set(this.c.id[k], k);
    }
    this.c.id[i] = input.id;
    this.c.createdAt[i] = input.createdAt;
    this.c.updatedAt[i] = input.updatedAt ?? input.createdAt;
    this.c.marketing[i] = MARKETING_STATES.indexOf(input.marketingState ?? "NOT_SUBSCRIBED");
    this.c.orders[i] = 0;
    this.c.spentMinor[i] = 0;
    this.c.lastOrder[i] = -1;
    this.c.country[i] = this.strings.intern(input.country ?? "United Kingdom");
    this.c.flags[i] = 0;
    this.customerIdMap?.set(input.id, i);
    this.customerVersion++;
    return i;
  }

  addOrder(input: NewOrder): number {
    if (this.findOrder(input.id) !== undefined) throw new Error(`Order ${input.id} already exists`);
    if (input.lineItems.length > 65535) throw new Error("An order holds at most 65,535 line items");
    if (this.orderCount === this.orderCapacity) {
      this.orderCapacity = nextCapacity(this.orderCapacity, this.orderCount + 1);
      growAll(this.o, this.orderCapacity);
    }
    const i = this.orderCount++;
    if (i > 0 && input.id < this.o.id[i - 1] && !this.orderIdMap) {
      this.orderIdsAscending = false;
      this.orderIdMap = new Map();
      for (let k = 0; k < i; k++) this.orderIdMap.set(this.o.id[k], k);
    }
    const o = this.o;
    o.id[i] = input.id;
    o.customer[i] = input.customerIndex;
    o.createdAt[i] = input.createdAt;
    o.processedAt[i] = input.processedAt ?? input.createdAt;
    o.updatedAt[i] = input.updatedAt ?? input.createdAt;
    o.cancelledAt[i] = 0;
    o.cancelReason[i] = 0;
    o.source[i] = SOURCE_NAMES.indexOf(input.sourceName ?? "web");
    o.test[i] = input.test ? 1 : 0;
    o.shippingMinor[i] = input.shippingMinor ?? 0;
    o.refundedMinor[i] = 0;
    o.discountCode[i] = input.discountCode ? this.internDiscountCode(input.discountCode) : -1;
    o.journey[i] = input.journeyIndex ?? -1;
    o.shippingTitle[i] = input.shippingTitle ? this.strings.intern(input.shippingTitle) + 1 : 0;
    this.writeLineItems(i, input.lineItems);
    if (input.customerIndex >= 0) {
      const c = input.customerIndex;
      o.prevByCustomer[i] = this.c.lastOrder[c];
      this.c.lastOrder[c] = i;
      this.c.orders[c] += 1;
      this.c.spentMinor[c] += this.orderTotalMinor(i);
      this.c.updatedAt[c] = Math.max(this.c.updatedAt[c], o.processedAt[i]);
    } else {
      o.prevByCustomer[i] = -1;
    }
    this.orderIdMap?.set(input.id, i);
    this.orderVersion++;
    this.customerVersion++;
    return i;
  }

  /** Writes a fresh line-item range for an order (used on create and on edit). */
  writeLineItems(orderIndex: number, lineItems: NewLineItem[]): void {
    if (this.lineCount + lineItems.length > this.lineCapacity) {
      this.lineCapacity = nextCapacity(this.lineCapacity, this.lineCount + lineItems.length);
      growAll(this.l, this.lineCapacity);
    }
    const start = this.lineCount;
    let subtotal = 0;
    let discount = 0;
    for (const item of lineItems) {
      const j = this.lineCount++;
      this.l.product[j] = item.productIndex;
      this.l.quantity[j] = item.quantity;
      this.l.currentQuantity[j] = item.quantity;
      this.l.unitPriceMinor[j] = item.unitPriceMinor;
      this.l.discountMinor[j] = item.discountMinor ?? 0;
      subtotal += item.quantity * item.unitPriceMinor;
      discount += item.discountMinor ?? 0;
    }
    this.o.lineStart[orderIndex] = start;
    this.o.lineCount[orderIndex] = lineItems.length;
    this.o.subtotalMinor[orderIndex] = subtotal;
    this.o.discountMinor[orderIndex] = discount;
  }

  /** The order whose current line range holds line row `j`, or -1 (a range an edit replaced). */
  orderOfLine(j: number): number {
    for (let i = 0; i < this.orderCount; i++) {
      const start = this.o.lineStart[i];
      if (j >= start && j < start + this.o.lineCount[i]) return i;
    }
    return -1;
  }

  /** Money refunded for line items (refunds less the shipping they refunded). */
  refundedLinesMinor(orderIndex: number): number {
    const shippingRefunded = this.o.shippingMinor[orderIndex] - this.refundableShippingMinor(orderIndex);
    return this.o.refundedMinor[orderIndex] - shippingRefunded;
  }

  orderTotalMinor(i: number): number {
    return this.o.subtotalMinor[i] - this.o.discountMinor[i] + this.o.shippingMinor[i];
  }

  orderCurrentTotalMinor(i: number): number {
    return this.orderTotalMinor(i) - this.o.refundedMinor[i];
  }

  /** Records a refund; lines give (line index, quantity), plus any shipping refunded. Returns the refund. */
  addRefund(
    orderIndex: number,
    createdAt: number,
    lines: { lineIndex: number; quantity: number }[],
    note: string | null,
    shippingMinor = 0,
  ): RefundRecord {
    const refundLines = lines.map(({ lineIndex, quantity }) => {
      const available = this.l.currentQuantity[lineIndex];
      const qty = Math.min(quantity, available);
      this.l.currentQuantity[lineIndex] = available - qty;
      const perUnit =
        this.l.unitPriceMinor[lineIndex] -
        (this.l.quantity[lineIndex] > 0 ? this.l.discountMinor[lineIndex] / this.l.quantity[lineIndex] : 0);
      return {
        lineIndex,
        quantity: qty,
        subtotalMinor: Math.round(qty * perUnit),
      };
    });
    const totalMinor = refundLines.reduce((sum, line) => sum + line.subtotalMinor, shippingMinor);
    const refund: RefundRecord = {
      id: ++this.nextRefundId,
      createdAt,
      note,
      lines: refundLines,
      shippingMinor,
      totalMinor,
    };
    const list = this.refunds.get(orderIndex) ?? [];
    list.push(refund);
    this.refunds.set(orderIndex, list);
    this.o.refundedMinor[orderIndex] += totalMinor;
    this.o.updatedAt[orderIndex] = Math.max(this.o.updatedAt[orderIndex], createdAt);
    const c = this.o.customer[orderIndex];
    if (c >= 0) this.c.spentMinor[c] -= totalMinor;
    this.orderVersion++;
    return refund;
  }

  /** Shipping not refunded yet. */
  refundableShippingMinor(orderIndex: number): number {
    const refunded = (this.refunds.get(orderIndex) ?? []).reduce((sum, r) => sum + r.shippingMinor, 0);
    return this.o.shippingMinor[orderIndex] - refunded;
  }

  cancelOrder(orderIndex: number, at: number, reason: CancelReason): void {
    this.o.cancelledAt[orderIndex] = at;
    this.o.cancelReason[orderIndex] = CANCEL_REASONS.indexOf(reason);
    this.o.updatedAt[orderIndex] = Math.max(this.o.updatedAt[orderIndex], at);
    this.orderVersion++;
  }

  /** Whether every line of the order has been refunded to zero. */
  fullyRefunded(orderIndex: number): boolean {
    const start = this.o.lineStart[orderIndex];
    const end = start + this.o.lineCount[orderIndex];
    if (end === start) return false;
    for (let j = start; j < end; j++) if (this.l.currentQuantity[j] > 0) return false;
    return true;
  }

  customerOrders(customerIndex: number): number[] {
    const result: number[] = [];
    for (let i = this.c.lastOrder[customerIndex]; i >= 0; i = this.o.prevByCustomer[i]) result.push(i);
    return result.reverse();
  }

  tagsOf(customerIndex: number): string[] {
    return this.customerTags.get(customerIndex) ?? [];
  }

  setTags(customerIndex: number, tags: string[], at: number): void {
    if (tags.length === 0) this.customerTags.delete(customerIndex);
    else this.customerTags.set(customerIndex, tags);
    this.c.updatedAt[customerIndex] = Math.max(this.c.updatedAt[customerIndex], at);
    this.customerVersion++;
  }

  isRedacted(customerIndex: number): boolean {
    return (this.c.flags[customerIndex] & CUSTOMER_FLAG_REDACTED) !== 0;
  }

  isDeleted(customerIndex: number): boolean {
    return (this.c.flags[customerIndex] & CUSTOMER_FLAG_DELETED) !== 0;
  }

  redactCustomer(customerIndex: number, at: number): void {
    this.c.flags[customerIndex] |= CUSTOMER_FLAG_REDACTED | CUSTOMER_FLAG_DELETED;
    this.c.marketing[customerIndex] = MARKETING_STATES.indexOf("REDACTED");
    this.c.updatedAt[customerIndex] = at;
    this.customerTags.delete(customerIndex);
    this.customerVersion++;
  }

  /** Deterministic fake personal data; the app under test must not keep it. */
  personalData(customerIndex: number) {
    const id = this.c.id[customerIndex];
    if (this.isRedacted(customerIndex)) return null;
    const h = hashInt(id);
    const firstName = FIRST_NAMES[h % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(h >>> 8) % LAST_NAMES.length];
    const street = STREETS[(h >>> 16) % STREETS.length];
    return {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${id}@example.com`.toLowerCase(),
      phone: `+4477${String(h % 100000000).padStart(8, "0")}`,
      address1: `${(h % 200) + 1} ${street}`,
      city: CITIES[(h >>> 4) % CITIES.length],
      zip: `SW${(h % 20) + 1} ${(h % 9) + 1}AA`,
      country: this.strings.get(this.c.country[customerIndex]),
    };
  }
}

const FIRST_NAMES = [
  "Olivia",
  "Amelia",
  "Isla",
  "Ava",
  "Mia",
  "Noah",
  "Oliver",
  "George",
  "Arthur",
  "Leo",
  "Freya",
  "Harry",
  "Jack",
  "Sophia",
  "Lily",
  "Oscar",
];
const LAST_NAMES = [
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Patel",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
];
const STREETS = [
  "High Street",
  "Station Road",
  "Main Street",
  "Park Road",
  "Church Lane",
  "Victoria Road",
  "Green Lane",
  "Manor Road",
];
const CITIES = [
  "London",
  "Manchester",
  "Birmingham",
  "Leeds",
  "Glasgow",
  "Bristol",
  "Liverpool",
  "Edinburgh",
  "Cardiff",
];

function binarySearch(ids: Float64Array, count: number, id: number): number | undefined {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = ids[mid];
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
