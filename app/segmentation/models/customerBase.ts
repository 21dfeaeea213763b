// The per-customer summary both models work on, and its compression to
// distinct (x, t_x, T) triples: a shop with a million customers has far
// fewer distinct triples (whole days, bounded history), and the likelihood
// only has to be evaluated once per triple, weighted by its count.

export interface CustomerBaseSummary {
  /** Repeat purchases (distinct purchase days after the first) in the period. */
  frequency: ArrayLike<number>;
  /** Whole days from the first purchase to the last one (t_x). */
  recencyDays: ArrayLike<number>;
  /** Whole days from the first purchase to the end of the period (T). */
  ageDays: ArrayLike<number>;
  length: number;
}

export interface CompressedTriples {
  /** Distinct triples, in model time units (days / unitDays). */
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  length: number;
  /** Number of customers represented (sum of counts). */
  customers: number;
  /** Customers with x > 0. */
  repeatCustomers: number;
  /** Index structures so per-evaluation work is done once per distinct value. */
  xValues: Float64Array;
  xIndex: Int32Array;
  txValues: Float64Array;
  txIndex: Int32Array;
  TValues: Float64Array;
  TIndex: Int32Array;
}

const TX_BITS = 2 ** 17; // whole days < 131072 (359 years)

/**
 * Groups customers by (frequency, recency, age) in whole days and converts the
 * times to model units. Throws on negative or non-integer inputs rather than
 * silently mis-binning them.
 */
export function compressCustomerBase(summary: CustomerBaseSummary, unitDays: number): CompressedTriples {
  if (!(unitDays > 0)) throw new RangeError("unitDays must be positive");
  const n = summary.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = summary.frequency[i];
    const tx = summary.recencyDays[i];
    const T = summary.ageDays[i];
    if (!(Number.isInteger(x) && Number.isInteger(tx) && Number.isInteger(T)) || x < 0 || tx < 0 || T < tx) {
      throw new RangeError(`customer ${i}: invalid (x=${x}, t_x=${tx}, T=${T}); need integers 0 <= t_x <= T`);
    }
    if (T >= TX_BITS) throw new RangeError(`customer ${i}: history of ${T} days is too long`);
    keys[i] = (x * TX_BITS + tx) * TX_BITS + T;
  }
  keys.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) distinct++;
  const x = new Float64Array(distinct);
  const tx = new Float64Array(distinct);
  const T = new Float64Array(distinct);
  const count = new Float64Array(distinct);
  let j = -1;
  let repeat = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (i === 0 || key !== keys[i - 1]) {
      j++;
      const Tdays = key % TX_BITS;
      const rest = (key - Tdays) / TX_BITS;
      const txDays = rest % TX_BITS;
      x[j] = (rest - txDays) / TX_BITS;
      tx[j] = txDays / unitDays;
      T[j] = Tdays / unitDays;
    }
    count[j]++;
    if (x[j] > 0) repeat++;
  }
  const xi = indexValues(x);
  const txi = indexValues(tx);
  const Ti = indexValues(T);
  return {
    x,
    tx,
    T,
    count,
    length: distinct,
    customers: n,
    repeatCustomers: repeat,
    xValues: xi.values,
    xIndex: xi.index,
    txValues: txi.values,
    txIndex: txi.index,
    TValues: Ti.values,
    TIndex: Ti.index,
  };
}

function indexValues(column: Float64Array): {
  values: Float64Array;
  index: Int32Array;
} {
  const sorted = Float64Array.from(column).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[k++] = sorted[i];
  const values = sorted.slice(0, k);
  const index = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) index[i] = binarySearch(values, column[i]);
  return { values, index };
}

function binarySearch(values: Float64Array, v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A deterministic, order-independent subsample of the triples for a warm
 * start: triples shared by many customers are always kept; the others are
 * kept when a hash of the triple falls under `fraction`, with their counts
 * scaled by 1 / fraction so the sample stands for the whole shop.
 */
export function sampleTriples(data: CompressedTriples, fraction: number, keepCountAtLeast = 8): CompressedTriples {
  const keep: number[] = [];
  const threshold = Math.floor(fraction * 2 ** 32);
  for (let i = 0; i < data.length; i++) {
    if (data.count[i] >= keepCountAtLeast || hashTriple(data.x[i], data.tx[i], data.T[i]) < threshold) keep.push(i);
  }
  const n = keep.length;
  const pick = (col: Float64Array) => Float64Array.from(keep, (i) => col[i]);
  const pickI = (col: Int32Array) => Int32Array.from(keep, (i) => col[i]);
  const count = Float64Array.from(keep, (i) =>
    data.count[i] >= keepCountAtLeast ? data.count[i] : data.count[i] / fraction,
  );
  let customers = 0;
  let repeat = 0;
  for (let j = 0; j < n; j++) {
    customers += count[j];
    if (data.x[keep[j]] > 0) repeat += count[j];
  }
  return {
    ...data,
    x: pick(data.x),
    tx: pick(data.tx),
    T: pick(data.T),
    count,
    length: n,
    customers,
    repeatCustomers: repeat,
    xIndex: pickI(data.xIndex),
    txIndex: pickI(data.txIndex),
    TIndex: pickI(data.TIndex),
  };
}

/** 32-bit hash of a triple (FNV-1a over the three numbers' bits). */
export function hashTriple(a: number, b: number, c: number): number {
  let h = 0x811c9dc5;
  h = mix(h, Math.round(a * 7 * 1024));
  h = mix(h, Math.round(b * 7 * 1024));
  h = mix(h, Math.round(c * 7 * 1024));
  return h >>> 0;
}

function mix(h: number, bits: number): number {
  h = Math.imul(h ^ (bits & 0xffff), 16777619);
  return Math.imul(h ^ ((bits >>> 16) & 0xffff), 16777619);
}
