// Moving features between processes: a full recompute computes the features
// of every customer once (the fit needs them all), then hands each chunk job
// the subset of its customers as bytes, so the chunks (possibly on other
// machines) assign without reading the orders again. Pure: bytes in, bytes out.
import { F64_COLUMNS, FeatureTable, I32_COLUMNS, type ShopStats, TIME_SLOTS, type TableParts } from "./accumulator";
import { align8, Slab } from "./slab";
import { StringIndex } from "./string-index";

/** The customers at `indices` (in that order) as a table of their own; shop stats (and their guest part) are kept whole. */
export function subsetFeatureTable(table: FeatureTable, indices: ArrayLike<number>): FeatureTable {
  const p = table.parts();
  const n = indices.length;
  const i32 = {} as TableParts["i32"];
  for (const k of I32_COLUMNS) i32[k] = gather(p.i32[k], indices, Int32Array);
  const f64 = {} as TableParts["f64"];
  for (const k of F64_COLUMNS) f64[k] = gather(p.f64[k], indices, Float64Array);
  const time = new Uint16Array(n * TIME_SLOTS);
  for (let j = 0, w = 0; j < n; j++) {
    const from = indices[j] * TIME_SLOTS;
    for (let k = from; k < from + TIME_SLOTS; k++) time[w++] = p.time[k];
  }
  const days = gatherRuns(p.dayOffsets, indices, [p.days, p.dayTotals]);
  const products = gatherRuns(p.productOffsets, indices, [p.productIds, p.productRepeated]);
  const productNames = renumber(products.columns[0] as Int32Array, p.productNames);
  const types = gatherRuns(p.typeOffsets, indices, [p.typeIds]);
  const typeNames = renumber(types.columns[0] as Int32Array, p.typeNames);
  const prices = gatherRuns(p.priceBinOffsets, indices, [p.priceBins]);
  const customerIds = new Array<string>(n);
  const acqOrderId = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    customerIds[j] = p.customerIds[indices[j]];
    acqOrderId[j] = p.acqOrderId[indices[j]];
  }
  return new FeatureTable({
    timeZone: p.timeZone,
    customerIds,
    i32,
    f64,
    acqOrderId,
    strings: p.strings,
    time,
    dayOffsets: days.offsets,
    days: days.columns[0] as Int32Array,
    dayTotals: days.columns[1] as Float64Array,
    productOffsets: products.offsets,
    productIds: products.columns[0] as Int32Array,
    productRepeated: products.columns[1] as Uint8Array,
    productNames,
    typeOffsets: types.offsets,
    typeIds: types.columns[0] as Int32Array,
    typeNames,
    priceBinOffsets: prices.offsets,
    priceBins: prices.columns[0] as Uint16Array,
    shop: p.shop,
    guestShop: p.guestShop,
  });
}

/**
 * The I32 columns that hold an index into `strings` (-1 for null). Every
 * other I32 column is a count or a 0/1 flag; product and type ids live in
 * the CSR runs (`productIds`, `typeIds`), indices into productNames/typeNames.
 */
const STRING_INDEX_COLUMNS: ReadonlySet<(typeof I32_COLUMNS)[number]> = new Set([
  "acqUtmSource",
  "acqUtmMedium",
  "acqUtmCampaign",
  "acqReferrer",
  "acqSourceName",
] as const);

/**
 * One table of the customers of all `tables`, in the order of the tables,
 * as if one FeatureAccumulator had received all their customers and orders.
 *
 * Contract: the tables are of the same shop (same time zone) and were each
 * accumulated from a disjoint part of the shop's orders, every order (guest
 * orders included) in exactly one part and all of a customer's orders in the
 * same part: e.g. the finished accumulators of a recompute's workers, each
 * reading one customer-id range, or their decodeFeatureTable copies. Not
 * subsetFeatureTable slices of one table (each slice keeps the whole shop's
 * stats, which would be counted once per slice).
 *
 * Per customer the result equals the single accumulator's (`customer(i)`, by
 * id; the row order differs). Shop stats are summed (counts, integer minor
 * unit sums, the unit-price histogram bin by bin), first/last order times
 * are the min/max: all exact. The interned name tables (`strings`,
 * productNames, typeNames) are merged and the ids in the columns rewritten;
 * their numbering differs from a single accumulator's, which is invisible
 * through customer(i).
 *
 * Throws on no tables, on different time zones, and on a customer id found
 * in two tables (the parts were not disjoint: a programming error). One
 * table is returned as is. The inputs are not modified.
 */
export function concatFeatureTables(
  tables: readonly FeatureTable[],
  options: {
    /**
     * Neither checks the ids for repeats nor indexes them: for a
     * concatenation that subsetFeatureTable then picks rows of, where a
     * customer may be in two tables (patchSlice: a kept row and its fresh one).
     */
    unchecked?: boolean;
  } = {},
): FeatureTable {
  if (tables.length === 0) throw new Error("concatFeatureTables: no tables to concatenate");
  if (tables.length === 1) return tables[0];
  const parts = tables.map((t) => t.parts());
  const timeZone = parts[0].timeZone;
  parts.forEach((p, t) => {
    if (p.timeZone !== timeZone)
      throw new Error(`concatFeatureTables: table ${t} is in time zone ${p.timeZone}, table 0 in ${timeZone}`);
  });
  const sizes = parts.map((p) => p.customerIds.length);
  const customerIds = ([] as string[]).concat(...parts.map((p) => p.customerIds));
  const acqOrderId = ([] as string[]).concat(...parts.map((p) => p.acqOrderId));
  const n = customerIds.length;
  const index = options.unchecked ? undefined : new StringIndex(n);
  if (index)
    for (let j = 0; j < n; j++) if (index.add(customerIds[j]) !== j) throw duplicateCustomer(tables, customerIds[j]);

  const dayRuns = parts.map((p) => p.dayOffsets);
  const productRuns = parts.map((p) => p.productOffsets);
  const typeRuns = parts.map((p) => p.typeOffsets);
  const priceRuns = parts.map((p) => p.priceBinOffsets);
  const d = runsTotal(dayRuns);
  const pr = runsTotal(productRuns);
  const ty = runsTotal(typeRuns);
  const pb = runsTotal(priceRuns);
  const slab = new Slab(
    F64_COLUMNS.length * Slab.bytes(n, 8) +
      I32_COLUMNS.length * Slab.bytes(n, 4) +
      Slab.bytes(n * TIME_SLOTS, 2) +
      4 * Slab.bytes(n + 1, 4) +
      Slab.bytes(d, 8) +
      Slab.bytes(d, 4) +
      Slab.bytes(pr, 4) +
      Slab.bytes(pr, 1) +
      Slab.bytes(ty, 4) +
      Slab.bytes(pb, 2),
    "concatFeatureTables",
  );

  const strings = unionNames(parts.map((p) => p.strings));
  const productNames = unionNames(parts.map((p) => p.productNames));
  const typeNames = unionNames(parts.map((p) => p.typeNames));
  const f64 = {} as TableParts["f64"];
  for (const k of F64_COLUMNS)
    f64[k] = concatTyped(
      parts.map((p) => p.f64[k]),
      slab.float64(n),
    );
  const i32 = {} as TableParts["i32"];
  for (const k of I32_COLUMNS) {
    const columns = parts.map((p) => p.i32[k]);
    i32[k] = STRING_INDEX_COLUMNS.has(k)
      ? concatIds(columns, strings.maps, slab.int32(n))
      : concatTyped(columns, slab.int32(n));
  }
  const time = concatTyped(
    parts.map((p, t) => p.time.subarray(0, sizes[t] * TIME_SLOTS)),
    slab.uint16(n * TIME_SLOTS),
  );
  const dayOffsets = concatOffsets(dayRuns, slab.int32(n + 1));
  const productOffsets = concatOffsets(productRuns, slab.int32(n + 1));
  const typeOffsets = concatOffsets(typeRuns, slab.int32(n + 1));
  const priceBinOffsets = concatOffsets(priceRuns, slab.int32(n + 1));
  const dayTotals = concatTyped(
    runsOf(dayRuns, parts, (p) => p.dayTotals),
    slab.float64(d),
  );
  const days = concatTyped(
    runsOf(dayRuns, parts, (p) => p.days),
    slab.int32(d),
  );
  const productIds = concatIds(
    runsOf(productRuns, parts, (p) => p.productIds),
    productNames.maps,
    slab.int32(pr),
  );
  const productRepeated = concatTyped(
    runsOf(productRuns, parts, (p) => p.productRepeated),
    slab.uint8(pr),
  );
  const typeIds = concatIds(
    runsOf(typeRuns, parts, (p) => p.typeIds),
    typeNames.maps,
    slab.int32(ty),
  );
  const priceBins = concatTyped(
    runsOf(priceRuns, parts, (p) => p.priceBins),
    slab.uint16(pb),
  );
  slab.assertFull();

  return new FeatureTable({
    timeZone,
    customerIds,
    ...(index ? { index } : {}),
    i32,
    f64,
    acqOrderId,
    strings: strings.names,
    time,
    dayOffsets,
    days,
    dayTotals,
    productOffsets,
    productIds,
    productRepeated,
    productNames: productNames.names,
    typeOffsets,
    typeIds,
    typeNames: typeNames.names,
    priceBinOffsets,
    priceBins,
    shop: mergeShopStats(parts.map((p) => p.shop)),
    guestShop: mergeShopStats(parts.map((p) => p.guestShop)),
  });
}

function duplicateCustomer(tables: readonly FeatureTable[], id: string): Error {
  const where = tables.flatMap((t, k) => (t.indexOf(id) >= 0 ? [k] : []));
  return new Error(
    `concatFeatureTables: customer ${id} is in tables ${where.join(" and ")}; the parts must hold disjoint sets of customers`,
  );
}

/** Copies `sources` one after the other into `out`. */
export function concatTyped<T extends Typed>(sources: readonly Typed[], out: T): T {
  let at = 0;
  for (const src of sources) {
    out.set(src, at);
    at += src.length;
  }
  return out;
}

/**
 * Ids of several tables one after the other, source t's rewritten through
 * maps[t] (a null map: unchanged); negative ids (null) are kept.
 */
function concatIds(sources: readonly Int32Array[], maps: readonly (Int32Array | null)[], out: Int32Array): Int32Array {
  let at = 0;
  for (let t = 0; t < sources.length; t++) {
    const map = maps[t];
    if (map === null) out.set(sources[t], at);
    else remapInto(sources[t], map, out, at);
    at += sources[t].length;
  }
  return out;
}

// Int32Array-only and apart from the copies of the other array types, so
// that this loop over millions of ids stays monomorphic.
function remapInto(src: Int32Array, map: Int32Array, out: Int32Array, at: number): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[at + i] = v < 0 ? v : map[v];
  }
}

/** Elements in the runs of the tables with these CSR offsets. */
function runsTotal(list: readonly Int32Array[]): number {
  let total = 0;
  for (const offsets of list) total += offsets[offsets.length - 1] - offsets[0];
  return total;
}

/** The tables' CSR offsets one after the other, each shifted past the runs before it. */
export function concatOffsets(list: readonly Int32Array[], out: Int32Array): Int32Array {
  let at = 0;
  let base = 0;
  for (const offsets of list) {
    const m = offsets.length - 1;
    const shift = base - offsets[0];
    for (let i = 0; i < m; i++) out[at + i] = offsets[i] + shift;
    at += m;
    base += offsets[m] - offsets[0];
  }
  out[at] = base;
  return out;
}

/** A run column of each table, cut to its runs (offsets[0] to offsets[last]). */
function runsOf<T extends Typed>(
  offsets: readonly Int32Array[],
  parts: readonly Readonly<TableParts>[],
  column: (p: Readonly<TableParts>) => T,
): T[] {
  return parts.map((p, t) => {
    const runs = offsets[t];
    return column(p).subarray(runs[0], runs[runs.length - 1]) as T;
  });
}

/**
 * One name table for several: the first table's names keep their ids, the
 * others' new names are appended. maps[t][id] is table t's id in the union
 * (null when every id of table t is unchanged).
 */
function unionNames(lists: readonly (readonly string[])[]): {
  names: string[];
  maps: (Int32Array | null)[];
} {
  const names = lists[0].slice();
  const index = new Map<string, number>();
  for (let k = 0; k < names.length; k++) if (!index.has(names[k])) index.set(names[k], k);
  const maps: (Int32Array | null)[] = [null];
  for (let t = 1; t < lists.length; t++) {
    const list = lists[t];
    const map = new Int32Array(list.length);
    let identity = true;
    for (let k = 0; k < list.length; k++) {
      let id = index.get(list[k]);
      if (id === undefined) {
        id = names.length;
        index.set(list[k], id);
        names.push(list[k]);
      }
      map[k] = id;
      if (id !== k) identity = false;
    }
    maps.push(identity ? null : map);
  }
  return { names, maps };
}

/** Shop stats of disjoint parts of a shop's orders: sums, bin-by-bin sums, min/max. */
export function mergeShopStats(list: readonly ShopStats[]): ShopStats {
  const bins = list[0].unitPriceHistogram.length;
  const out: ShopStats = {
    orders: 0,
    guestOrders: 0,
    skippedOrders: 0,
    revenueMinor: 0,
    guestRevenueMinor: 0,
    unitPriceHistogram: new Array<number>(bins).fill(0),
    ordersWithItems: 0,
    ordersWithDiscountData: 0,
    ordersWithUnitPrice: 0,
    ordersWithShippingData: 0,
    ordersWithJourneyData: 0,
    ordersWithProducts: 0,
    firstOrderAt: null,
    lastOrderAt: null,
  };
  for (const s of list) {
    out.orders += s.orders;
    out.guestOrders += s.guestOrders;
    out.skippedOrders += s.skippedOrders;
    out.revenueMinor += s.revenueMinor;
    out.guestRevenueMinor += s.guestRevenueMinor;
    if (s.unitPriceHistogram.length !== bins)
      throw new Error("concatFeatureTables: unit-price histograms of different sizes");
    for (let b = 0; b < bins; b++) out.unitPriceHistogram[b] += s.unitPriceHistogram[b];
    out.ordersWithItems += s.ordersWithItems;
    out.ordersWithDiscountData += s.ordersWithDiscountData;
    out.ordersWithUnitPrice += s.ordersWithUnitPrice;
    out.ordersWithShippingData += s.ordersWithShippingData;
    out.ordersWithJourneyData += s.ordersWithJourneyData;
    out.ordersWithProducts += s.ordersWithProducts;
    if (s.firstOrderAt !== null && (out.firstOrderAt === null || s.firstOrderAt < out.firstOrderAt))
      out.firstOrderAt = s.firstOrderAt;
    if (s.lastOrderAt !== null && (out.lastOrderAt === null || s.lastOrderAt > out.lastOrderAt))
      out.lastOrderAt = s.lastOrderAt;
  }
  return out;
}

type Typed = Int32Array | Float64Array | Uint16Array | Uint8Array;
type TypedCtor = { new (n: number): Typed; BYTES_PER_ELEMENT: number };

function gather<T extends Typed>(column: T, indices: ArrayLike<number>, Ctor: { new (n: number): T }): T {
  const out = new Ctor(indices.length);
  for (let j = 0; j < indices.length; j++) out[j] = column[indices[j]];
  return out;
}

/** CSR runs (offsets + parallel columns) of the customers at `indices`. */
function gatherRuns(
  offsets: Int32Array,
  indices: ArrayLike<number>,
  columns: Typed[],
): { offsets: Int32Array; columns: Typed[] } {
  const n = indices.length;
  const out = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) out[j + 1] = out[j] + offsets[indices[j] + 1] - offsets[indices[j]];
  const gathered: Typed[] = [];
  for (const column of columns) {
    const target = new (column.constructor as TypedCtor)(out[n]);
    // Plain loops: runs are a few elements; a subarray per run would allocate.
    for (let j = 0, w = 0; j < n; j++) {
      const to = offsets[indices[j] + 1];
      for (let k = offsets[indices[j]]; k < to; k++) target[w++] = column[k];
    }
    gathered.push(target);
  }
  return { offsets: out, columns: gathered };
}

/** Rewrites ids (in place) to a compact numbering of the names they use; returns those names. */
function renumber(ids: Int32Array, names: readonly string[]): string[] {
  const local = new Map<number, number>();
  const used: string[] = [];
  for (let k = 0; k < ids.length; k++) {
    let id = local.get(ids[k]);
    if (id === undefined) {
      id = used.length;
      local.set(ids[k], id);
      used.push(names[ids[k]]);
    }
    ids[k] = id;
  }
  return used;
}

// Encoding: [u32 header length][header JSON][padding to 8][typed arrays].
/** The header's `v`: 2 since the slices carry the shop statistics' per-customer parts (ADR 065). */
const ENCODING_VERSION = 2;

/**
 * Bytes encoded by another version of encodeFeatureTable (a slice written
 * before a deploy changed the encoding): a reader reads the orders instead.
 */
export class UnknownEncodingError extends Error {}

const ARRAYS = [
  ...I32_COLUMNS.map((k) => ["i32", k] as const),
  ...F64_COLUMNS.map((k) => ["f64", k] as const),
  ["", "time"],
  ["", "dayOffsets"],
  ["", "days"],
  ["", "dayTotals"],
  ["", "productOffsets"],
  ["", "productIds"],
  ["", "productRepeated"],
  ["", "typeOffsets"],
  ["", "typeIds"],
  ["", "priceBinOffsets"],
  ["", "priceBins"],
] as const;

const CTORS: Record<string, TypedCtor> = {
  Int32Array,
  Float64Array,
  Uint16Array,
  Uint8Array,
};

function arrayOf(p: Readonly<TableParts>, group: string, key: string): Typed {
  if (group === "i32") return p.i32[key as keyof TableParts["i32"]];
  if (group === "f64") return p.f64[key as keyof TableParts["f64"]];
  return p[key as keyof TableParts] as Typed;
}

/** A feature table as bytes (decodeFeatureTable gives it back, equal column by column). */
export function encodeFeatureTable(table: FeatureTable): Uint8Array {
  const p = table.parts();
  const arrays = ARRAYS.map(([group, key]) => arrayOf(p, group, key));
  const header = new TextEncoder().encode(
    JSON.stringify({
      v: ENCODING_VERSION,
      timeZone: p.timeZone,
      customerIds: p.customerIds,
      acqOrderId: p.acqOrderId,
      strings: p.strings,
      productNames: p.productNames,
      typeNames: p.typeNames,
      shop: p.shop,
      guestShop: p.guestShop,
      arrays: arrays.map((a) => [a.constructor.name, a.length]),
    }),
  );
  let size = align8(4 + header.length);
  for (const a of arrays) size = align8(size + a.byteLength);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let at = align8(4 + header.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at = align8(at + a.byteLength);
  }
  return out;
}

/**
 * The table encodeFeatureTable encoded. With `view`, bytes that are a whole
 * buffer of their own (one transferred from a worker thread) are not copied:
 * the table's columns view them, so they must not be changed afterwards.
 * (Not the default: a chunk process that viewed the slices it read from the
 * database peaked 120 MB higher than one that copied them.)
 */
export function decodeFeatureTable(bytes: Uint8Array, options: { view?: boolean } = {}): FeatureTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as {
    v: number;
    timeZone: string;
    customerIds: string[];
    acqOrderId: string[];
    strings: string[];
    productNames: string[];
    typeNames: string[];
    shop: TableParts["shop"];
    guestShop: TableParts["guestShop"];
    arrays: Array<[string, number]>;
  };
  if (header.v !== ENCODING_VERSION || header.arrays.length !== ARRAYS.length)
    throw new UnknownEncodingError(
      `decodeFeatureTable: unknown encoding (version ${header.v}, ${ENCODING_VERSION} expected)`,
    );
  // The columns view an aligned copy, as the input may sit at any offset; or,
  // asked to, the bytes themselves when they are a whole buffer (aligned, and
  // nothing else in it).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const copy = options.view && whole ? bytes : Uint8Array.from(bytes);
  let at = align8(4 + headerLength);
  const arrays = header.arrays.map(([type, length]) => {
    const Ctor = CTORS[type];
    if (!Ctor) throw new Error(`decodeFeatureTable: unknown array type ${type}`);
    const a = new (
      Ctor as unknown as {
        new (b: ArrayBuffer, o: number, n: number): Typed;
      }
    )(copy.buffer as ArrayBuffer, at, length);
    at = align8(at + a.byteLength);
    return a;
  });
  const i32 = {} as TableParts["i32"];
  const f64 = {} as TableParts["f64"];
  const rest: Record<string, Typed> = {};
  ARRAYS.forEach(([group, key], k) => {
    if (group === "i32") i32[key as keyof TableParts["i32"]] = arrays[k] as Int32Array;
    else if (group === "f64") f64[key as keyof TableParts["f64"]] = arrays[k] as Float64Array;
    else rest[key] = arrays[k];
  });
  return new FeatureTable({
    timeZone: header.timeZone,
    customerIds: header.customerIds,
    i32,
    f64,
    acqOrderId: header.acqOrderId,
    strings: header.strings,
    time: rest.time as Uint16Array,
    dayOffsets: rest.dayOffsets as Int32Array,
    days: rest.days as Int32Array,
    dayTotals: rest.dayTotals as Float64Array,
    productOffsets: rest.productOffsets as Int32Array,
    productIds: rest.productIds as Int32Array,
    productRepeated: rest.productRepeated as Uint8Array,
    productNames: header.productNames,
    typeOffsets: rest.typeOffsets as Int32Array,
    typeIds: rest.typeIds as Int32Array,
    typeNames: header.typeNames,
    priceBinOffsets: rest.priceBinOffsets as Int32Array,
    priceBins: rest.priceBins as Uint16Array,
    shop: header.shop,
    guestShop: header.guestShop,
  });
}
