// Turning a customer's purchase days into the models' inputs, fitting both
// models for a shop, and per-customer predictions.
import { type BgNbdFit, type BgNbdParams, bgnbdConditionalExpected, bgnbdExpectedRate, bgnbdProbabilityAlive, fitBgNbd } from "./bgnbd";
import { compressCustomerBase } from "./customerBase";
import { fitGammaGamma, type GammaGammaFit, type GammaGammaParams, gammaGammaExpectedValue } from "./gammaGamma";

export interface PurchaseSummary {
  /** Repeat purchase days up to the as-of day. */
  x: number;
  txDays: number;
  Tdays: number;
  /** Mean value of the repeat purchase days (0 when x = 0). */
  repeatMean: number;
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
): PurchaseSummary | null {
  if (to <= from || days[from] > asOfDay) return null;
  let end = from;
  let repeatSum = 0;
  while (end < to && days[end] <= asOfDay) {
    if (end > from) repeatSum += totals[end];
    end++;
  }
  const x = end - from - 1;
  return { x, txDays: days[end - 1] - days[from], Tdays: asOfDay - days[from], repeatMean: x > 0 ? repeatSum / x : 0 };
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
export function fitShopModels(input: ShopModelInput, asOfDay: number, unitDays: number, valueScale = 1): ShopModelFits {
  const n = input.customers;
  const xs = new Int32Array(n);
  const txs = new Int32Array(n);
  const Ts = new Int32Array(n);
  const ggX: number[] = [];
  const ggM: number[] = [];
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = summarizePurchases(input.days, input.dayTotals, input.dayOffsets[i], input.dayOffsets[i + 1], asOfDay);
    if (!s) continue;
    xs[m] = s.x;
    txs[m] = s.txDays;
    Ts[m] = s.Tdays;
    m++;
    if (s.x > 0 && s.repeatMean > 0) {
      ggX.push(s.x);
      ggM.push(s.repeatMean * valueScale);
    }
  }
  if (m === 0) throw new RangeError("no customer has a purchase on or before the as-of date");
  const t0 = performance.now();
  const triples = compressCustomerBase(
    { frequency: xs.subarray(0, m), recencyDays: txs.subarray(0, m), ageDays: Ts.subarray(0, m), length: m },
    unitDays,
  );
  const bgnbd = fitBgNbd(triples);
  const t1 = performance.now();
  const gammaGamma = ggX.length > 0 ? fitGammaGamma({ frequency: ggX, meanValue: ggM, length: ggX.length }) : null;
  const t2 = performance.now();
  return {
    customers: m,
    repeatCustomers: triples.repeatCustomers,
    distinctTriples: triples.length,
    bgnbd,
    gammaGamma,
    bgnbdMs: t1 - t0,
    gammaGammaMs: t2 - t1,
  };
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
 * customers share: a cache turns a million customers into a few thousand
 * series evaluations.
 */
export class TripleCache {
  private readonly map = new Map<number, [number, number, number]>();
  get(key: number): [number, number, number] | undefined {
    return this.map.get(key);
  }
  set(key: number, v: [number, number, number]): void {
    if (this.map.size > 2_000_000) this.map.clear();
    this.map.set(key, v);
  }
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
  const key = (s.x * 131072 + s.txDays) * 131072 + s.Tdays;
  let hit = cache?.get(key);
  if (!hit) {
    hit = [
      bgnbdProbabilityAlive(bg, s.x, tx, T),
      bgnbdConditionalExpected(bg, 90 / unitDays, s.x, tx, T),
      bgnbdConditionalExpected(bg, 365 / unitDays, s.x, tx, T),
    ];
    cache?.set(key, hit);
  }
  const [pAlive, e90, e365] = hit;
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
