// Turning a customer's purchase days into the models' inputs, fitting both
// models for a shop, and per-customer predictions.
import { SeriesDidNotConvergeError } from "../math/special";
import {
  type BgNbdFit,
  type BgNbdParams,
  bgnbdConditionalExpected,
  bgnbdExpectedRate,
  bgnbdProbabilityAlive,
  bgnbdWarmStart,
  fitBgNbd,
  type WarmStart,
} from "./bgnbd";
import { type CustomerBaseSummary, compressCustomerBase, hashTriple, sampleTriples } from "./customer-base";
import {
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaParams,
  gammaGammaExpectedValue,
  gammaGammaWarmStart,
} from "./gamma-gamma";

/** Above this many distinct triples (or spend records) the fit starts from a subsample fit. */
const WARM_START_ABOVE = 40_000;

export interface PurchaseSummary {
  /** Repeat purchase days up to the as-of day. */
  x: number;
  txDays: number;
  Tdays: number;
  /** Mean value of the repeat purchase days (0 when x = 0)... */
  repeatMean: number;
  /** ...and their total (exact: a sum of integer minor units). */
  repeatTotal: number;
}

/** A summary to pass as `into` of summarizePurchases, reused across customers. */
export function emptyPurchaseSummary(): PurchaseSummary {
  return { x: 0, txDays: 0, Tdays: 0, repeatMean: 0, repeatTotal: 0 };
}

/**
 * Summary of one customer at `asOfDay` from their sorted distinct purchase
 * days and the merged totals of those days; null when the first purchase is
 * after the as-of day.
 */
export function summarizePurchases(
  days: ArrayLike<number>,
  totals: ArrayLike<number>,
  from: number,
  to: number,
  asOfDay: number,
  into?: PurchaseSummary,
): PurchaseSummary | null {
  if (to <= from || days[from] > asOfDay) return null;
  let end = from;
  let repeatSum = 0;
  while (end < to && days[end] <= asOfDay) {
    if (end > from) repeatSum += totals[end];
    end++;
  }
  const x = end - from - 1;
  // `into` lets bulk loops reuse one object instead of allocating per customer.
  const out = into ?? {
    x: 0,
    txDays: 0,
    Tdays: 0,
    repeatMean: 0,
    repeatTotal: 0,
  };
  out.x = x;
  out.txDays = days[end - 1] - days[from];
  out.Tdays = asOfDay - days[from];
  out.repeatMean = x > 0 ? repeatSum / x : 0;
  out.repeatTotal = repeatSum;
  return out;
}

export interface ShopModelInput {
  customers: number;
  dayOffsets: ArrayLike<number>;
  days: ArrayLike<number>;
  dayTotals: ArrayLike<number>;
}

export interface ShopModelFits {
  customers: number;
  repeatCustomers: number;
  distinctTriples: number;
  bgnbd: BgNbdFit;
  /** null when no customer has a repeat purchase with a positive value. */
  gammaGamma: GammaGammaFit | null;
  bgnbdMs: number;
  gammaGammaMs: number;
}

/** Fits BG/NBD and Gamma-Gamma at `asOfDay`; `valueScale` converts day totals to the unit wanted for gamma. */
export function fitShopModels(
  input: ShopModelInput,
  asOfDay: number,
  unitDays: number,
  valueScale = 1,
  warmStartAbove = WARM_START_ABOVE,
): ShopModelFits {
  const n = input.customers;
  const xs = new Int32Array(n);
  const txs = new Int32Array(n);
  const Ts = new Int32Array(n);
  const ggX: number[] = [];
  const ggSum: number[] = [];
  let m = 0;
  const reuse = emptyPurchaseSummary();
  for (let i = 0; i < n; i++) {
    const s = summarizePurchases(
      input.days,
      input.dayTotals,
      input.dayOffsets[i],
      input.dayOffsets[i + 1],
      asOfDay,
      reuse,
    );
    if (!s) continue;
    xs[m] = s.x;
    txs[m] = s.txDays;
    Ts[m] = s.Tdays;
    m++;
    if (s.x > 0 && s.repeatMean > 0) {
      ggX.push(s.x);
      ggSum.push(s.repeatTotal);
    }
  }
  if (m === 0) throw new RangeError("no customer has a purchase on or before the as-of date");
  return fitSummaryModels(
    { frequency: xs.subarray(0, m), recencyDays: txs.subarray(0, m), ageDays: Ts.subarray(0, m), length: m },
    { frequency: ggX, repeatTotals: ggSum },
    unitDays,
    valueScale,
    warmStartAbove,
  );
}

/** Repeat customers for the spend model: x and the total of their repeat purchase days (minor units). */
export interface RepeatSpend {
  frequency: readonly number[];
  repeatTotals: readonly number[];
}

/**
 * The fits of fitShopModels from customer summaries (whole days): what the
 * timings cover, and what scripts/compare-lifetimes runs on the summaries it
 * also hands to lifetimes. `clock` (milliseconds) times the two fits
 * (default: wall-clock; the comparison script also passes CPU time).
 */
export function fitSummaryModels(
  summary: CustomerBaseSummary,
  spend: RepeatSpend,
  unitDays: number,
  valueScale = 1,
  warmStartAbove = WARM_START_ABOVE,
  clock: () => number = () => performance.now(),
): ShopModelFits {
  const ggX = spend.frequency;
  const ggSum = spend.repeatTotals;
  const t0 = clock();
  const triples = compressCustomerBase(summary, unitDays);
  // Big shops: a warm start from a deterministic subsample, then the full
  // likelihood only has to polish (a few iterations instead of dozens).
  const bgStart =
    triples.length > warmStartAbove
      ? bgnbdWarmStart(sampleTriples(triples, warmStartAbove / 2 / triples.length))
      : undefined;
  const bgnbd = fitBgNbd(triples, bgStart);
  const t1 = clock();
  let gammaGamma: GammaGammaFit | null = null;
  if (ggX.length > 0) {
    const records = compressSpend(ggX, ggSum, valueScale);
    let ggStart: WarmStart<GammaGammaParams> | undefined;
    if (records.length > warmStartAbove) {
      const fraction = warmStartAbove / 2 / records.length;
      const threshold = fraction * 2 ** 32;
      const sx: number[] = [];
      const sm: number[] = [];
      const sc: number[] = [];
      for (let i = 0; i < records.length; i++) {
        const c = records.count[i];
        if (c >= 8 || hashTriple(records.frequency[i], records.meanValue[i], 1) < threshold) {
          sx.push(records.frequency[i]);
          sm.push(records.meanValue[i]);
          sc.push(c >= 8 ? c : c / fraction);
        }
      }
      if (sx.length > 100) {
        ggStart = gammaGammaWarmStart({
          frequency: sx,
          meanValue: sm,
          count: sc,
          length: sx.length,
        });
      }
    }
    gammaGamma = fitGammaGamma(records, ggStart);
  }
  const t2 = clock();
  return {
    customers: triples.customers,
    repeatCustomers: triples.repeatCustomers,
    distinctTriples: triples.length,
    bgnbd,
    gammaGamma,
    bgnbdMs: t1 - t0,
    gammaGammaMs: t2 - t1,
  };
}

/**
 * Repeat customers' (x, total of repeat purchases) in a canonical order
 * (ascending x, then total) with identical records merged into counts, so
 * the Gamma-Gamma likelihood is summed in the same order whatever the order
 * of the input (and sums over equal records are exact).
 */
export function compressSpend(
  frequency: readonly number[],
  repeatTotals: readonly number[],
  valueScale: number,
): {
  frequency: Float64Array;
  meanValue: Float64Array;
  count: Float64Array;
  length: number;
} {
  const n = frequency.length;
  let packable = true;
  for (let i = 0; i < n && packable; i++) {
    const t = repeatTotals[i];
    packable = Number.isInteger(t) && t >= 0 && t < 2 ** 32 && frequency[i] < 2 ** 20;
  }
  let order: ArrayLike<number>;
  let sortedX: Uint32Array | null = null;
  let sortedT: Uint32Array | null = null;
  if (packable) {
    // Radix sort of (x, total) pairs: the total's three 11-bit digits, then x's (linear time).
    let maxX = 0;
    let maxT = 0;
    for (let i = 0; i < n; i++) {
      if (frequency[i] > maxX) maxX = frequency[i];
      if (repeatTotals[i] > maxT) maxT = repeatTotals[i];
    }
    [sortedX, sortedT] = radixSortPairs(Uint32Array.from(frequency), Uint32Array.from(repeatTotals), maxX, maxT);
    order = sortedX;
  } else {
    order = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => frequency[a] - frequency[b] || repeatTotals[a] - repeatTotals[b],
    );
  }
  const fx = new Float64Array(n);
  const fm = new Float64Array(n);
  const fc = new Float64Array(n);
  let len = 0;
  let lastX = NaN;
  let lastT = NaN;
  for (let k = 0; k < n; k++) {
    let x: number;
    let t: number;
    if (sortedX && sortedT) {
      x = sortedX[k];
      t = sortedT[k];
    } else {
      x = frequency[order[k]];
      t = repeatTotals[order[k]];
    }
    if (x === lastX && t === lastT) {
      fc[len - 1]++;
    } else {
      fx[len] = x;
      fm[len] = (t / x) * valueScale;
      fc[len] = 1;
      len++;
      lastX = x;
      lastT = t;
    }
  }
  return {
    frequency: fx.subarray(0, len),
    meanValue: fm.subarray(0, len),
    count: fc.subarray(0, len),
    length: len,
  };
}

/** Sorts the pairs (hi[k], lo[k]) ascending by hi, then lo: stable 11-bit counting passes, lo's digits first. */
function radixSortPairs(hi: Uint32Array, lo: Uint32Array, maxHi: number, maxLo: number): [Uint32Array, Uint32Array] {
  let srcHi = hi;
  let srcLo = lo;
  let dstHi: Uint32Array = new Uint32Array(hi.length);
  let dstLo: Uint32Array = new Uint32Array(lo.length);
  const start = new Int32Array(2048);
  const passes: [boolean, number][] = [];
  for (let shift = 0; shift < 32 && maxLo >>> shift > 0; shift += 11) passes.push([false, shift]);
  for (let shift = 0; shift < 32 && maxHi >>> shift > 0; shift += 11) passes.push([true, shift]);
  for (const [onHi, shift] of passes) {
    const key = onHi ? srcHi : srcLo;
    start.fill(0);
    for (let k = 0; k < key.length; k++) start[(key[k] >>> shift) & 2047]++;
    let sum = 0;
    for (let v = 0; v < 2048; v++) {
      const c = start[v];
      start[v] = sum;
      sum += c;
    }
    for (let k = 0; k < key.length; k++) {
      const at = start[(key[k] >>> shift) & 2047]++;
      dstHi[at] = srcHi[k];
      dstLo[at] = srcLo[k];
    }
    [srcHi, dstHi] = [dstHi, srcHi];
    [srcLo, dstLo] = [dstLo, srcLo];
  }
  return [srcHi, srcLo];
}

export interface CustomerPrediction {
  pAlive: number;
  expectedOrders90d: number;
  expectedOrders365d: number;
  expectedOrderValue: number;
  clv12m: number;
  /** Expected days until the next order if the customer is alive. */
  daysToNextOrder: number;
}

/**
 * BG/NBD quantities depend only on the (x, t_x, T) triple, which many
 * customers share: a cache turns a million customers into far fewer series
 * evaluations. Values live in one flat array (no tuple per entry).
 */
export class TripleCache {
  // Open addressing on typed arrays: a Map keyed by numbers cost most of a
  // cached prediction (a hash lookup; keys above 2^30 are heap numbers).
  private keys = new Float64Array(8192).fill(Number.NaN);
  /** Per slot: position of the entry's three values in `values`. */
  private slots = new Int32Array(8192);
  private mask = 8191;
  private size = 0;
  private values = new Float64Array(3 * 4096);
  get(key: number, out: Float64Array): boolean {
    const keys = this.keys;
    for (let slot = hashKey(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) {
        const i = this.slots[slot];
        out[0] = this.values[i];
        out[1] = this.values[i + 1];
        out[2] = this.values[i + 2];
        return true;
      }
      if (k !== k) return false; // NaN: empty slot
    }
  }
  set(key: number, v: Float64Array): void {
    if (this.size >= 4_000_000) this.reset();
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const i = this.size * 3;
    if (i + 3 > this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    const keys = this.keys;
    let slot = hashKey(key) & this.mask;
    while (keys[slot] === keys[slot] && keys[slot] !== key) slot = (slot + 1) & this.mask;
    if (keys[slot] === key) {
      this.values.set(v.subarray(0, 3), this.slots[slot]);
      return;
    }
    this.values.set(v.subarray(0, 3), i);
    keys[slot] = key;
    this.slots[slot] = i;
    this.size++;
  }
  private reset(): void {
    this.keys.fill(Number.NaN);
    this.size = 0;
  }
  private grow(): void {
    const oldKeys = this.keys;
    const oldSlots = this.slots;
    this.keys = new Float64Array(oldKeys.length * 2).fill(Number.NaN);
    this.slots = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let k = 0; k < oldKeys.length; k++) {
      const key = oldKeys[k];
      if (key !== key) continue;
      let slot = hashKey(key) & this.mask;
      while (this.keys[slot] === this.keys[slot]) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.slots[slot] = oldSlots[k];
    }
  }
}

/** A hash of an integer-valued key (|key| < 2^53): its two 32-bit halves mixed. */
function hashKey(key: number): number {
  const lo = key | 0;
  const hi = Math.floor(key / 4294967296) | 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

let shared: {
  fingerprint: string;
  params: BgNbdParams;
  unitDays: number;
  cache: TripleCache;
} | null = null;

/**
 * One cache per fitted parameter set, shared between fitShop (spend tier
 * edges) and the assignment that follows with the same cut-offs. A pure
 * memo: values depend only on the key and the parameters.
 */
export function cacheFor(bg: BgNbdParams, unitDays: number): TripleCache {
  // Same parameter object as last time (the common case): skip the fingerprint.
  if (shared && shared.params === bg && shared.unitDays === unitDays) return shared.cache;
  const fingerprint = `${bg.r}|${bg.alpha}|${bg.a}|${bg.b}|${unitDays}`;
  if (!shared || shared.fingerprint !== fingerprint) {
    shared = { fingerprint, params: bg, unitDays, cache: new TripleCache() };
  } else {
    shared.params = bg;
    shared.unitDays = unitDays;
  }
  return shared.cache;
}

const scratch = new Float64Array(3);

/** A customer's (x, t_x, T) triple as one cache key. */
function tripleKey(s: PurchaseSummary): number {
  // Small integer keys (x < 64, days < 4096) hash much faster than doubles.
  return s.x < 64 && s.Tdays < 4096
    ? (s.x * 4096 + s.txDays) * 4096 + s.Tdays
    : -((s.x * 131072 + s.txDays) * 131072 + s.Tdays) - 1;
}

/** The BG/NBD expected orders in the next `days`, or NaN where its series cannot converge. */
function expectedOrdersIn(bg: BgNbdParams, days: number, unitDays: number, s: PurchaseSummary): number {
  try {
    return bgnbdConditionalExpected(bg, days / unitDays, s.x, s.txDays / unitDays, s.Tdays / unitDays);
  } catch (e) {
    // A series that cannot converge (z extremely close to 1) gives no number, not a wrong one.
    if (!(e instanceof SeriesDidNotConvergeError)) throw e;
    return NaN;
  }
}

const yearScratch = new Float64Array(3);

/**
 * predictCustomer's clv12m alone, by the same arithmetic: what the fit's
 * spend-tier edges need of a million customers, without P(alive), the
 * 90-day expectation, the next order date and an object per customer.
 * `cache` holds the 365-day expectation per triple (its first value): one
 * of the fit's own, not cacheFor's, whose entries hold all three. Where the
 * 90-day series cannot converge, predictCustomer gives no 365-day value
 * either; alone, that series (its argument t / (alpha + T + t) closer to 1)
 * fails first, so the two agree.
 */
export function predictedYearValue(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  unitDays: number,
  s: PurchaseSummary,
  cache: TripleCache,
): number {
  const key = tripleKey(s);
  if (!cache.get(key, yearScratch)) {
    yearScratch[0] = expectedOrdersIn(bg, 365, unitDays, s);
    cache.set(key, yearScratch);
  }
  return yearScratch[0] * gammaGammaExpectedValue(gg, s.x, s.repeatMean);
}

export function predictCustomer(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  unitDays: number,
  s: PurchaseSummary,
  cache?: TripleCache,
): CustomerPrediction {
  const tx = s.txDays / unitDays;
  const T = s.Tdays / unitDays;
  const key = tripleKey(s);
  if (!cache || !cache.get(key, scratch)) {
    scratch[0] = bgnbdProbabilityAlive(bg, s.x, tx, T);
    try {
      scratch[1] = bgnbdConditionalExpected(bg, 90 / unitDays, s.x, tx, T);
      scratch[2] = bgnbdConditionalExpected(bg, 365 / unitDays, s.x, tx, T);
    } catch (e) {
      // A series that cannot converge (z extremely close to 1) gives no number, not a wrong one.
      if (!(e instanceof SeriesDidNotConvergeError)) throw e;
      scratch[1] = NaN;
      scratch[2] = NaN;
    }
    cache?.set(key, scratch);
  }
  const pAlive = scratch[0];
  const e90 = scratch[1];
  const e365 = scratch[2];
  const value = gammaGammaExpectedValue(gg, s.x, s.repeatMean);
  return {
    pAlive,
    expectedOrders90d: e90,
    expectedOrders365d: e365,
    expectedOrderValue: value,
    clv12m: e365 * value,
    daysToNextOrder: unitDays / bgnbdExpectedRate(bg, s.x, T),
  };
}
