// The columns fitShop reads (ShopColumns), apart from the rest of a feature
// table: what a recompute's read threads send the thread that fits
// (docs/decisions/044-fit-columns-instead-of-the-merged-table.md). The fit
// needs each customer's order count, spend and purchase days, and the shop's
// statistics; not the ids, the acquisition, the time slots or the products.
// Each thread keeps its whole table for its own chunks, so the fitting
// thread need not decode and concatenate the whole of every part.
import type { FeatureTable, ShopStats } from "./accumulator";
import type { ShopColumns } from "./columns";
import { align8, Slab } from "./slab";
import { concatOffsets, concatTyped, mergeShopStats } from "./transfer";

/** ShopColumns as typed arrays, with the time zone the table was accumulated in. */
export interface FitColumns extends ShopColumns {
  timeZone: string;
  orders: Int32Array;
  totalSpent: Float64Array;
  dayOffsets: Int32Array;
  days: Int32Array;
  dayTotals: Float64Array;
}

/** A table's fit columns (its own arrays, not copies). */
export function fitColumnsOf(table: FeatureTable): FitColumns {
  return {
    timeZone: table.timeZone,
    n: table.size,
    orders: table.orders,
    totalSpent: table.totalSpentMinor,
    dayOffsets: table.dayOffsets,
    days: table.days,
    dayTotals: table.dayTotalsMinor,
    shop: table.shop,
  };
}

// Encoding: [u32 header length][header JSON][padding to 8][orders][totalSpent][dayOffsets][days][dayTotals],
// each array 8-aligned; the day runs rebased to start at 0.
interface Header {
  v: number;
  kind: "fit-columns";
  timeZone: string;
  n: number;
  days: number;
  shop: ShopStats;
}

/** A table's fit columns as bytes (decodeFitColumns gives them back). */
export function encodeFitColumns(table: FeatureTable): Uint8Array {
  const c = fitColumnsOf(table);
  const n = c.n;
  const first = c.dayOffsets[0];
  const d = c.dayOffsets[n] - first;
  const header = new TextEncoder().encode(
    JSON.stringify({ v: 1, kind: "fit-columns", timeZone: c.timeZone, n, days: d, shop: c.shop } satisfies Header),
  );
  const start = align8(4 + header.length);
  const out = new Uint8Array(start + arraysBytes(n, d));
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  const a = arraysIn(out.buffer, start, n, d);
  a.orders.set(c.orders.subarray(0, n));
  a.totalSpent.set(c.totalSpent.subarray(0, n));
  for (let i = 0; i <= n; i++) a.dayOffsets[i] = c.dayOffsets[i] - first;
  a.days.set(c.days.subarray(first, first + d));
  a.dayTotals.set(c.dayTotals.subarray(first, first + d));
  return out;
}

/**
 * The fit columns encodeFitColumns encoded. With `view`, bytes that are a
 * whole buffer of their own (transferred from a worker thread) are not
 * copied: the columns view them.
 */
export function decodeFitColumns(bytes: Uint8Array, options: { view?: boolean } = {}): FitColumns {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as Header;
  if (header.v !== 1 || header.kind !== "fit-columns") throw new Error("decodeFitColumns: unknown encoding");
  const start = align8(4 + headerLength);
  if (bytes.byteLength !== start + arraysBytes(header.n, header.days)) throw new Error("decodeFitColumns: truncated");
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const own = options.view && whole ? bytes : Uint8Array.from(bytes);
  return {
    timeZone: header.timeZone,
    n: header.n,
    shop: header.shop,
    ...arraysIn(own.buffer as ArrayBuffer, start, header.n, header.days),
  };
}

/**
 * The fit columns of the concatenation of tables (concatFeatureTables'
 * contract: same shop, disjoint parts of its orders and customers), equal
 * array by array to fitColumnsOf(concatFeatureTables(tables)): rows in the
 * order of the parts, shop statistics merged the same way. Throws on no parts
 * and on different time zones. One part is returned as is.
 */
export function concatFitColumns(parts: readonly FitColumns[]): FitColumns {
  if (parts.length === 0) throw new Error("concatFitColumns: no parts to concatenate");
  if (parts.length === 1) return parts[0];
  const timeZone = parts[0].timeZone;
  parts.forEach((p, t) => {
    if (p.timeZone !== timeZone)
      throw new Error(`concatFitColumns: part ${t} is in time zone ${p.timeZone}, part 0 in ${timeZone}`);
  });
  let n = 0;
  let d = 0;
  for (const p of parts) {
    n += p.n;
    d += p.dayOffsets[p.n] - p.dayOffsets[0];
  }
  const slab = new Slab(arraysBytes(n, d), "concatFitColumns");
  const runs = (p: FitColumns, column: Int32Array | Float64Array) =>
    column.subarray(p.dayOffsets[0], p.dayOffsets[p.n]);
  const out: FitColumns = {
    timeZone,
    n,
    orders: concatTyped(
      parts.map((p) => p.orders.subarray(0, p.n)),
      slab.int32(n),
    ),
    totalSpent: concatTyped(
      parts.map((p) => p.totalSpent.subarray(0, p.n)),
      slab.float64(n),
    ),
    dayOffsets: concatOffsets(
      parts.map((p) => p.dayOffsets.subarray(0, p.n + 1)),
      slab.int32(n + 1),
    ),
    days: concatTyped(
      parts.map((p) => runs(p, p.days)),
      slab.int32(d),
    ),
    dayTotals: concatTyped(
      parts.map((p) => runs(p, p.dayTotals)),
      slab.float64(d),
    ),
    shop: mergeShopStats(parts.map((p) => p.shop)),
  };
  slab.assertFull();
  return out;
}

function arraysBytes(n: number, d: number): number {
  return Slab.bytes(n, 4) + Slab.bytes(n, 8) + Slab.bytes(n + 1, 4) + Slab.bytes(d, 4) + Slab.bytes(d, 8);
}

/** The five arrays laid out from `start` in `buffer`, in the encoding's order. */
function arraysIn(buffer: ArrayBuffer, start: number, n: number, d: number) {
  let at = start;
  const take = (bytes: number) => {
    const from = at;
    at += align8(bytes);
    return from;
  };
  return {
    orders: new Int32Array(buffer, take(n * 4), n),
    totalSpent: new Float64Array(buffer, take(n * 8), n),
    dayOffsets: new Int32Array(buffer, take((n + 1) * 4), n + 1),
    days: new Int32Array(buffer, take(d * 4), d),
    dayTotals: new Float64Array(buffer, take(d * 8), d),
  };
}
