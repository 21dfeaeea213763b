// Moving features between processes: a full recompute computes the features
// of every customer once (the fit needs them all), then hands each chunk job
// the subset of its customers as bytes, so the chunks (possibly on other
// machines) assign without reading the orders again. Pure: bytes in, bytes out.
import { F64_COLUMNS, FeatureTable, I32_COLUMNS, TIME_SLOTS, type TableParts } from "./accumulator";

/** The customers at `indices` (in that order) as a table of their own; shop stats are kept whole. */
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
  const customerIds = new Array<string>(n);
  const acqOrderId = new Array<string>(n);
  for (let j = 0; j < n; j++) {
    customerIds[j] = p.customerIds[indices[j]];
    acqOrderId[j] = p.acqOrderId[indices[j]];
  }
  return new FeatureTable({
    timeZone: p.timeZone,
    customerIds,
    index: new Map(customerIds.map((id, j) => [id, j])),
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
    shop: p.shop,
  });
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
      v: 1,
      timeZone: p.timeZone,
      customerIds: p.customerIds,
      acqOrderId: p.acqOrderId,
      strings: p.strings,
      productNames: p.productNames,
      typeNames: p.typeNames,
      shop: p.shop,
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

export function decodeFeatureTable(bytes: Uint8Array): FeatureTable {
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
    arrays: Array<[string, number]>;
  };
  if (header.v !== 1 || header.arrays.length !== ARRAYS.length) throw new Error("decodeFeatureTable: unknown encoding");
  // Copied into fresh (aligned) buffers: the input may sit at any offset.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  let at = align8(4 + headerLength);
  const arrays = header.arrays.map(([type, length]) => {
    const Ctor = CTORS[type];
    if (!Ctor) throw new Error(`decodeFeatureTable: unknown array type ${type}`);
    const a = new (
      Ctor as unknown as {
        new (b: ArrayBuffer, o: number, n: number): Typed;
      }
    )(copy.buffer, at, length);
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
    index: new Map(header.customerIds.map((id, j) => [id, j])),
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
    shop: header.shop,
  });
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
