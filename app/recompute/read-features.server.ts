// Stored customers and orders -> the engine's FeatureAccumulator: the stores
// stream COPY rows (app/stores/customers.server.ts, orders.server.ts), parsed
// here from bytes (no per-field strings from pg, no Prisma objects).
// The engine's modules themselves, not its index: the recompute's read threads
// (ADR 040) load this module and need the accumulator, not the whole engine.
import { FeatureAccumulator, type FeatureTable } from "../segmentation/features/accumulator";
import type { EngineOrder } from "../segmentation/types";
import { countLiveCustomers, streamCustomerIds } from "../stores/customers.server";
import { estimatedOrdersPerCustomer, RECOMPUTE_ORDER_FIELDS, streamRecomputeOrders } from "../stores/orders.server";
import { copyBool, copyInt, copyIsNull, copyString, splitCopyRow } from "../stores/pg/copy.server";
import type { PgClient } from "../stores/pg/pool.server";
import { NumericIdTable } from "../utils/numeric-id-table";

const FIELDS = RECOMPUTE_ORDER_FIELDS.length;
const SEPARATOR = "\x1f";

/**
 * The last value a column gave, as bytes and as its string: most text columns
 * of an order repeat from row to row ("web", one UTM source, one discount
 * code), so comparing the bytes with the last value spares a string (and its
 * garbage) per field per order. Values longer than the kept bytes are decoded.
 */
class RepeatedText {
  private readonly bytes = Buffer.alloc(64);
  private length = -1;
  private text: string | null = null;

  /** The field as copyString gives it (null for \N). */
  read(row: Buffer, start: number, end: number): string | null {
    const n = end - start;
    if (n === this.length) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (row[start + i] !== this.bytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return this.text;
    }
    const text = copyString(row, start, end);
    if (n <= this.bytes.length) {
      row.copy(this.bytes, 0, start, end);
      this.length = n;
      this.text = text;
    }
    return text;
  }
}

/** A text list field (joined by SEPARATOR): the last list is reused while the bytes repeat. */
class RepeatedList {
  private readonly text = new RepeatedText();
  private lastText: string | null | undefined = undefined;
  private list: string[] | undefined = undefined;

  /** undefined for \N or an empty list. */
  read(row: Buffer, start: number, end: number): string[] | undefined {
    const text = this.text.read(row, start, end);
    if (text === null || text === "") return undefined;
    if (text !== this.lastText) {
      this.lastText = text;
      this.list = text.split(SEPARATOR);
    }
    return this.list;
  }
}

/**
 * The order of the row being parsed, one object refilled for every row (see
 * OrderRowParser). Its id stays bytes in the row until asked for: the
 * accumulator reads it for a customer's earliest order so far, about once a
 * customer, so a read of millions of orders makes a string of a million ids
 * rather than of every order's (docs/performance.md, 2026-12-07 from 12:39).
 */
class RowOrder implements EngineOrder {
  customerId: string | null = null;
  processedAt = 0;
  cancelled = false;
  fullyRefunded = false;
  totalMinor = 0;
  subtotalMinor: number | undefined = undefined;
  discountMinor: number | undefined = undefined;
  discountCodes: string[] = [];
  itemQuantity: number | undefined = undefined;
  lineCount: number | undefined = undefined;
  productIds: string[] | undefined = undefined;
  productTypes: string[] | undefined = undefined;
  avgUnitPriceMinor: number | undefined = undefined;
  shippingMinor: number | undefined = undefined;
  expressShipping: boolean | undefined = undefined;
  utmSource: string | null = null;
  utmMedium: string | null = null;
  utmCampaign: string | null = null;
  referrerDomain: string | null = null;
  sourceName: string | null = null;
  visitRecorded: boolean | null = null;
  /** The row and its id field's bytes (valid while the row is being parsed and added). */
  row: Buffer = Buffer.alloc(0);
  idStart = 0;
  idEnd = 0;

  /** A bigint column: digits only, so latin1 (cheaper than utf8 plus the escape check). */
  get id(): string {
    return this.row.toString("latin1", this.idStart, this.idEnd);
  }
}

/**
 * Parses COPY text rows of RECOMPUTE_ORDER_FIELDS (already split into fields)
 * into one EngineOrder object, reused for every row: the accumulator copies
 * what it needs out of an order and keeps no reference to it or its lists,
 * so a read of millions of orders allocates no order object per row. Every
 * field is assigned on every row (absent values are undefined, which the
 * engine reads as "not provided"): one hidden class keeps the engine's hot
 * loop monomorphic.
 */
class OrderRowParser {
  readonly order = new RowOrder();
  private readonly codes = new RepeatedList();
  private readonly utmSource = new RepeatedText();
  private readonly utmMedium = new RepeatedText();
  private readonly utmCampaign = new RepeatedText();
  private readonly referrer = new RepeatedText();
  private readonly sourceName = new RepeatedText();
  private readonly none: string[] = [];

  parse(row: Buffer, s: Int32Array, e: Int32Array, customerId: string | null): EngineOrder {
    const o = this.order;
    const productIds = copyString(row, s[11], e[11]);
    const productTypes = copyString(row, s[12], e[12]);
    o.row = row;
    o.idStart = s[0];
    o.idEnd = e[0];
    o.customerId = customerId;
    o.processedAt = copyInt(row, s[2], e[2])!;
    o.cancelled = copyBool(row, s[3], e[3])!;
    o.fullyRefunded = copyBool(row, s[4], e[4])!;
    o.totalMinor = copyMinor(row, s[5], e[5])!;
    o.subtotalMinor = copyMinor(row, s[6], e[6]) ?? undefined;
    o.discountMinor = copyMinor(row, s[7], e[7]) ?? undefined;
    o.discountCodes = this.codes.read(row, s[8], e[8]) ?? this.none;
    o.itemQuantity = copyInt(row, s[9], e[9]) ?? undefined;
    o.lineCount = copyInt(row, s[10], e[10]) ?? undefined;
    o.productIds = productIds === null || productIds === "" ? undefined : productIds.split(SEPARATOR);
    o.productTypes = productTypes === null || productTypes === "" ? undefined : productTypes.split(SEPARATOR);
    o.avgUnitPriceMinor = copyMinor(row, s[13], e[13]) ?? undefined;
    o.shippingMinor = copyMinor(row, s[14], e[14]) ?? undefined;
    o.expressShipping = copyBool(row, s[15], e[15]) ?? undefined;
    // Absent journey fields are null: the engine decides what counts as journey data.
    o.utmSource = this.utmSource.read(row, s[16], e[16]);
    o.utmMedium = this.utmMedium.read(row, s[17], e[17]);
    o.utmCampaign = this.utmCampaign.read(row, s[18], e[18]);
    o.referrerDomain = this.referrer.read(row, s[19], e[19]);
    o.sourceName = this.sourceName.read(row, s[20], e[20]);
    o.visitRecorded = copyBool(row, s[21], e[21]);
    return o;
  }
}

/** Ids of at most 15 digits are exact as JavaScript numbers (Shopify's are 10-13). */
const MAX_NUMERIC_ID_DIGITS = 15;

/**
 * A BIGINT money column as a number: exact up to 2^53 - 1 minor units, the
 * bound the mappers enforce on the way in; anything larger (written by other
 * means) stops the read with a clear error instead of a rounded amount.
 */
function copyMinor(row: Buffer, start: number, end: number): number | null {
  const value = copyInt(row, start, end);
  if (value !== null && end - start > MAX_NUMERIC_ID_DIGITS && !Number.isSafeInteger(value)) {
    throw new Error(`Order amount ${row.toString("latin1", start, end)} is beyond 2^53 - 1 minor units`);
  }
  return value;
}

/**
 * Feeds the accumulator every (not deleted) customer of the shop and every
 * order, each through one `COPY ... TO STDOUT`: one sequential scan each,
 * streamed (never all rows in memory), parsed from bytes. Customer ids are
 * resolved through a NumericIdTable, so an order costs no string and no Map
 * lookup for its customer. Optionally limited to a customer id range
 * (inclusive) or a list of ids. Returns the number of orders read.
 */
async function accumulateShopFeatures(
  client: PgClient,
  shopId: string,
  acc: FeatureAccumulator,
  options: { range?: CustomerSelection; alsoSee?: (order: EngineOrder) => void; expectedCustomers?: number } = {},
): Promise<number> {
  const { range, alsoSee } = options;
  // Sized for the shop's customers when known: growing it rehashes every id read so far.
  const known = new NumericIdTable(options.expectedCustomers ?? 1024);
  const idStrings: string[] = [];
  function onCustomer(row: Buffer, start: number, end: number) {
    const id = row.toString("latin1", start, end);
    const index = acc.addCustomer(id);
    idStrings[index] = id;
    if (end - start <= MAX_NUMERIC_ID_DIGITS) known.set(copyInt(row, start, end)!, index);
  }
  // In id order (the primary key's order, no sort): the table's customers then
  // come out sorted by id, as the chunk ranges need them.
  await streamCustomerIds(client, shopId, onCustomer, range);

  const s = new Int32Array(FIELDS + 1);
  const e = new Int32Array(FIELDS + 1);
  const parser = new OrderRowParser();
  function onOrder(row: Buffer, start: number, end: number) {
    const n = splitCopyRow(row, s, e, start, end);
    if (n !== FIELDS) throw new Error(`order row with ${n} fields, expected ${FIELDS}`);
    let index = -1;
    let customerId: string | null = null;
    if (!copyIsNull(row, s[1], e[1])) {
      if (e[1] - s[1] <= MAX_NUMERIC_ID_DIGITS) index = known.get(copyInt(row, s[1], e[1])!);
      customerId = index >= 0 ? idStrings[index] : copyString(row, s[1], e[1]);
    }
    const order = parser.parse(row, s, e, customerId);
    alsoSee?.(order);
    // A customer missing from the Customer table takes the accumulator's own (slower) lookup.
    if (index >= 0) acc.add(order, index);
    else acc.add(order);
  }
  return streamRecomputeOrders(client, shopId, onOrder, range);
}

/**
 * How many customers and orders the accumulator should make room for: the
 * shop's customers counted (an index-only scan), its orders estimated from the
 * planner's table statistics. Regrowing columns of a million customers cost
 * about a second of the read (bench/recompute.ts); a wrong estimate only
 * costs a regrowth.
 */
async function capacityHints(
  client: PgClient,
  shopId: string,
): Promise<{ expectedCustomers?: number; expectedOrders?: number }> {
  const customers = await countLiveCustomers(client, shopId);
  if (customers < 10_000) return {};
  const ordersPerCustomer = await estimatedOrdersPerCustomer(client);
  return {
    expectedCustomers: customers,
    ...(ordersPerCustomer ? { expectedOrders: Math.round(customers * Math.min(ordersPerCustomer, 100)) } : {}),
  };
}

/** Customer ids from..to (inclusive); `withGuests`: the shop's guest orders are read with the range's. */
export interface CustomerIdRange {
  from: string;
  to: string;
  withGuests?: boolean;
}

/**
 * The customers a read covers: an id range, or a list of ids (a page of
 * members; the customers a kept read is patched with, ADR 065, and then the
 * guest orders too if `withGuests`).
 */
export type CustomerSelection = CustomerIdRange | { ids: readonly string[]; withGuests?: boolean };

/**
 * The features of the shop's customers (or those in an id range, or listed)
 * from their stored orders. `hints` sizes the accumulator of a range (a whole shop is
 * sized from the shop's counts).
 */
export async function readShopFeatures(
  client: PgClient,
  shopId: string,
  timeZone: string,
  range?: CustomerSelection,
  hints?: { expectedCustomers?: number; expectedOrders?: number },
): Promise<{ table: FeatureTable; orders: number }> {
  hints ??= range ? {} : await capacityHints(client, shopId);
  const acc = new FeatureAccumulator({ timeZone, ...hints });
  const orders = await accumulateShopFeatures(client, shopId, acc, {
    ...(range ? { range } : {}),
    ...(hints.expectedCustomers ? { expectedCustomers: hints.expectedCustomers } : {}),
  });
  return { table: acc.finish(), orders };
}

/**
 * A customer's orders that are not cancelled, as the admin pages count them
 * (app/stores/admin-reads.server.ts, LIVE_ORDER): fully refunded orders
 * included, at their net total.
 */
export interface LiveOrderFigures {
  orders: number;
  spentMinor: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/**
 * The features of the listed customers (a page of members) and, tallied from
 * the same rows, each one's live order figures: one read of their orders for
 * both (an index scan), where the page's figures used to be summed by a
 * second query over the same orders.
 */
export async function readListedCustomers(
  client: PgClient,
  shopId: string,
  timeZone: string,
  ids: readonly string[],
): Promise<{ table: FeatureTable; figures: Map<string, LiveOrderFigures> }> {
  const acc = new FeatureAccumulator({ timeZone });
  const figures = new Map<string, LiveOrderFigures>();
  const tally = (order: EngineOrder) => {
    if (order.cancelled || order.customerId === null) return;
    let f = figures.get(order.customerId);
    if (!f) figures.set(order.customerId, (f = { orders: 0, spentMinor: 0, firstOrderAt: null, lastOrderAt: null }));
    f.orders++;
    f.spentMinor += order.totalMinor;
    if (f.firstOrderAt === null || order.processedAt < f.firstOrderAt.getTime())
      f.firstOrderAt = new Date(order.processedAt);
    if (f.lastOrderAt === null || order.processedAt > f.lastOrderAt.getTime())
      f.lastOrderAt = new Date(order.processedAt);
  };
  await accumulateShopFeatures(client, shopId, acc, { range: { ids }, alsoSee: tally });
  return { table: acc.finish(), figures };
}
