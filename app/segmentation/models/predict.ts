// Turning a customer's purchase days into the models' inputs, fitting both
// models for a shop, and per-customer predictions.
import { SeriesDidNotConvergeError } from "../math/special";
import {
  type BgNbdFit,
  type BgNbdParams,
  bgnbdConditionalExpected,
  bgnbdExpectedDenominator,
  bgnbdExpectedNumerator,
  bgnbdExpectedRate,
  bgnbdHasRatioForm,
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

/** Repeat purchase days below this, and T below 4096 days (11 years), have their series kept in HorizonSeries' arrays. */
const KEPT_X = 64;
const KEPT_T_DAYS = 4096;

/**
 * One horizon's BG/NBD expected orders, E[Y(t) | x, t_x, T], with the series
 * (the cost of a prediction) kept per (x, T): it does not depend on t_x
 * (bgnbdExpectedNumerator), so a million customers, nearly all with a triple
 * of their own, share a few tens of thousands of series. Kept in arrays
 * indexed by x · 4096 + T days (no hashing); other customers are computed
 * directly. A pure memo: each value is what bgnbdConditionalExpected gives.
 */
export class HorizonSeries {
  private numerators: Float64Array | null = null;
  /** Per (x, T): 0 not computed yet, 1 kept in numerators, 2 the series did not converge. */
  private states: Uint8Array | null = null;
  private readonly t: number;
  /** Whether the last expected() found the series not converging (its NaN is that, not arithmetic). */
  lastDidNotConverge = false;

  constructor(
    private readonly bg: BgNbdParams,
    private readonly unitDays: number,
    horizonDays: number,
  ) {
    this.t = horizonDays / unitDays;
  }

  /**
   * E[orders in the horizon] of a customer summarised in days
   * (summarizePurchases); NaN where the series cannot converge. `denominator`:
   * bgnbdExpectedDenominator of this customer, when the caller has it already.
   */
  expected(s: PurchaseSummary, denominator?: number): number {
    const { bg, unitDays, t } = this;
    const x = s.x;
    const Tdays = s.Tdays;
    const tx = s.txDays / unitDays;
    const T = Tdays / unitDays;
    this.lastDidNotConverge = false;
    const kept =
      Number.isInteger(x) && x >= 0 && x < KEPT_X && Number.isInteger(Tdays) && Tdays >= 0 && Tdays < KEPT_T_DAYS;
    if (!kept || !bgnbdHasRatioForm(bg)) {
      try {
        return bgnbdConditionalExpected(bg, t, x, tx, T);
      } catch (e) {
        return this.didNotConverge(e);
      }
    }
    const numerators = (this.numerators ??= new Float64Array(KEPT_X * KEPT_T_DAYS));
    const states = (this.states ??= new Uint8Array(KEPT_X * KEPT_T_DAYS));
    const i = x * KEPT_T_DAYS + Tdays;
    if (states[i] === 0) {
      try {
        numerators[i] = bgnbdExpectedNumerator(bg, t, x, T);
        states[i] = 1;
      } catch (e) {
        states[i] = 2;
        return this.didNotConverge(e);
      }
    }
    if (states[i] === 2) {
      this.lastDidNotConverge = true;
      return NaN;
    }
    // The same division bgnbdConditionalExpected makes, so the value is the same to the last bit.
    return numerators[i] / (denominator ?? bgnbdExpectedDenominator(bg, x, tx, T));
  }

  private didNotConverge(e: unknown): number {
    // A series that cannot converge (z extremely close to 1) gives no number, not a wrong one.
    if (!(e instanceof SeriesDidNotConvergeError)) throw e;
    this.lastDidNotConverge = true;
    return NaN;
  }
}

/** The horizons a prediction needs (90 and 365 days), kept for one fitted parameter set. */
export interface PredictionSeries {
  days90: HorizonSeries;
  days365: HorizonSeries;
}

let shared: { fingerprint: string; params: BgNbdParams; unitDays: number; series: PredictionSeries } | null = null;

/**
 * One set of series per fitted parameter set, shared between fitShop
 * (spend tier edges) and the assignment that follows with the same cut-offs
 * (a chunk job's process keeps it from chunk to chunk).
 */
export function seriesFor(bg: BgNbdParams, unitDays: number): PredictionSeries {
  // Same parameter object as last time (the common case): skip the fingerprint.
  if (shared && shared.params === bg && shared.unitDays === unitDays) return shared.series;
  const fingerprint = `${bg.r}|${bg.alpha}|${bg.a}|${bg.b}|${unitDays}`;
  if (!shared || shared.fingerprint !== fingerprint) {
    shared = {
      fingerprint,
      params: bg,
      unitDays,
      series: { days90: new HorizonSeries(bg, unitDays, 90), days365: new HorizonSeries(bg, unitDays, 365) },
    };
  } else {
    shared.params = bg;
    shared.unitDays = unitDays;
  }
  return shared.series;
}

/**
 * predictCustomer's clv12m alone, by the same arithmetic: what the fit's
 * spend-tier edges need of a million customers, without P(alive), the
 * 90-day expectation, the next order date and an object per customer.
 * Where the 90-day series cannot converge, predictCustomer gives no 365-day
 * value either; alone, that series (its argument t / (alpha + T + t) closer
 * to 1) fails first, so the two agree.
 */
export function predictedYearValue(
  gg: GammaGammaParams,
  s: PurchaseSummary,
  series: Pick<PredictionSeries, "days365">,
): number {
  return series.days365.expected(s) * gammaGammaExpectedValue(gg, s.x, s.repeatMean);
}

export function predictCustomer(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  unitDays: number,
  s: PurchaseSummary,
  series: PredictionSeries = seriesFor(bg, unitDays),
): CustomerPrediction {
  const T = s.Tdays / unitDays;
  // P(alive) is 1 / this (bgnbdProbabilityAlive), and both horizons divide by it: computed once.
  const denominator = bgnbdExpectedDenominator(bg, s.x, s.txDays / unitDays, T);
  const pAlive = 1 / denominator;
  let e90 = series.days90.expected(s, denominator);
  let e365 = series.days365.expected(s, denominator);
  if (series.days90.lastDidNotConverge || series.days365.lastDidNotConverge) {
    // Either series failing leaves the customer without expectations, as one computation of both did.
    e90 = NaN;
    e365 = NaN;
  }
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
