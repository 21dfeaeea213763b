// fitShop: the shop-level "cut-offs" every membership is computed against:
// RFM quintile edges, usage-rate edges, the unit-price distribution, the
// fitted BG/NBD and Gamma-Gamma parameters (or why they are not usable) and
// the predicted-spend tier edges. Plain JSON, stored by the app; a full
// recompute produces new cut-offs, incremental updates reuse them.
import { FeatureTable, type ShopStats } from "./features/accumulator";
import { isoOfDay, ShopClock } from "./features/clock";
import type { CustomerFeatures } from "./features/customer";
import { PRICE_BINS, histogramQuantiles, priceBin } from "./features/priceHistogram";
import { type QuantileEdges, QUINTILES, quantileEdges } from "./math/quantiles";
import type { BgNbdLimit, BgNbdParamName } from "./models/bgnbd";
import { fitShopModels, predictCustomer, emptyPurchaseSummary, summarizePurchases, cacheFor } from "./models/predict";
import type { Settings } from "./settings";
import { annualOrderRate } from "./segments/derive";

export interface DataAvailability {
  lineItems: boolean;
  discounts: boolean;
  unitPrices: boolean;
  shipping: boolean;
  journey: boolean;
  products: boolean;
}

export type PredictiveCutoffs =
  | {
      status: "ok";
      timeUnit: "day" | "week";
      unitDays: number;
      bgnbd: {
        r: number;
        alpha: number;
        a: number;
        b: number;
        logLik: number;
        /**
         * Parameters the data do not pin down: ["a", "b"] when the fit is the
         * no-dropout limit (a = 0, b has no effect). Absent in cut-offs stored
         * before this field existed, which means none.
         */
        notIdentified?: BgNbdParamName[];
        /**
         * "no-dropout": the data show hardly any customers leaving, so the
         * model is the limit where every customer stays active (P(alive) = 1
         * for everyone; expected orders follow each customer's own rate).
         * "homogeneous-dropout": every customer has the same chance a/(a+b)
         * of leaving after a purchase. See BgNbdFit.
         */
        limit?: BgNbdLimit | null;
      };
      gammaGamma: {
        p: number;
        q: number;
        gamma: number;
        logLik: number;
        /** ["q", "gamma"] in the homogeneous-spend limit (see GammaGammaFit); absent in older cut-offs. */
        notIdentified?: ("p" | "q" | "gamma")[];
        limit?: "homogeneous-spend" | null;
      };
      customers: number;
      repeatCustomers: number;
      /** Edges of clv12m (minor units): [medium tier, high tier]. */
      clvEdges: QuantileEdges;
    }
  | { status: "not-enough-data"; reason: string };

export interface ShopCutoffs {
  version: 1;
  asOf: string;
  asOfDay: number;
  timeZone: string;
  customers: number;
  customersWithOrders: number;
  availability: DataAvailability;
  /** Edges on the last-order day (recency), order count and total spent; empty without buyers. */
  rfm: {
    recency: QuantileEdges;
    frequency: QuantileEdges;
    monetary: QuantileEdges;
  };
  /** Edges of the annualized order rate: [moderate tier, heavy tier]. */
  usage: { rateEdges: QuantileEdges };
  /** Unit-price percentiles p0..p100 (minor units), or null when orders carry no unit price. */
  priceQuantiles: number[] | null;
  predictive: PredictiveCutoffs;
}

interface Columns {
  n: number;
  orders: ArrayLike<number>;
  totalSpent: ArrayLike<number>;
  dayOffsets: ArrayLike<number>;
  days: ArrayLike<number>;
  dayTotals: ArrayLike<number>;
  shop: ShopStats;
}

function columnsOf(features: FeatureTable | readonly CustomerFeatures[]): Columns {
  if (features instanceof FeatureTable) {
    return {
      n: features.size,
      orders: features.orders,
      totalSpent: features.totalSpentMinor,
      dayOffsets: features.dayOffsets,
      days: features.days,
      dayTotals: features.dayTotalsMinor,
      shop: features.shop,
    };
  }
  const n = features.length;
  const orders = new Int32Array(n);
  const totalSpent = new Float64Array(n);
  const dayOffsets = new Int32Array(n + 1);
  const days: number[] = [];
  const dayTotals: number[] = [];
  const hist = new Array(PRICE_BINS).fill(0);
  const shop: ShopStats = {
    orders: 0,
    guestOrders: 0,
    skippedOrders: 0,
    revenueMinor: 0,
    guestRevenueMinor: 0,
    unitPriceHistogram: hist,
    ordersWithItems: 0,
    ordersWithDiscountData: 0,
    ordersWithUnitPrice: 0,
    ordersWithShippingData: 0,
    ordersWithJourneyData: 0,
    ordersWithProducts: 0,
    firstOrderAt: null,
    lastOrderAt: null,
  };
  features.forEach((c, i) => {
    orders[i] = c.orders;
    totalSpent[i] = c.totalSpentMinor;
    dayOffsets[i] = days.length;
    days.push(...c.purchaseDays);
    dayTotals.push(...c.dayTotalsMinor);
    shop.orders += c.orders;
    shop.revenueMinor += c.totalSpentMinor;
    shop.ordersWithItems += c.itemOrders;
    shop.ordersWithDiscountData += c.discountDataOrders;
    shop.ordersWithUnitPrice += c.unitPriceOrders;
    shop.ordersWithShippingData += c.shippingDataOrders;
    shop.ordersWithJourneyData += c.journeyOrders;
    shop.ordersWithProducts += c.products.length > 0 ? 1 : 0;
    // Without order-level prices, each customer's average stands for their orders.
    if (c.unitPriceOrders > 0) hist[priceBin(c.unitPriceSumMinor / c.unitPriceOrders)] += c.unitPriceOrders;
  });
  dayOffsets[n] = days.length;
  return { n, orders, totalSpent, dayOffsets, days, dayTotals, shop };
}

export function availabilityOf(shop: ShopStats): DataAvailability {
  return {
    lineItems: shop.ordersWithItems > 0,
    discounts: shop.ordersWithDiscountData > 0,
    unitPrices: shop.ordersWithUnitPrice > 0,
    shipping: shop.ordersWithShippingData > 0,
    journey: shop.ordersWithJourneyData > 0,
    products: shop.ordersWithProducts > 0,
  };
}

export function toEpochMs(asOf: Date | number): number {
  const ms = typeof asOf === "number" ? asOf : asOf.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("asOf is not a valid date");
  return ms;
}

export interface FitTimings {
  ms: {
    rfm: number;
    models: number;
    bgnbd: number;
    gammaGamma: number;
    spendTiers: number;
  };
}

/** Fits the shop's cut-offs as of `asOf` (a Date or epoch ms; the clock is always an argument). */
export function fitShop(
  features: FeatureTable | readonly CustomerFeatures[],
  settings: Settings,
  asOf: Date | number,
  timings?: FitTimings,
): ShopCutoffs {
  const asOfMs = toEpochMs(asOf);
  const clock = new ShopClock(settings.timeZone);
  const asOfDay = clock.day(asOfMs);
  const c = columnsOf(features);
  const t0 = performance.now();

  // RFM and usage over customers with at least one order up to the as-of day.
  const lastDays = new Float64Array(c.n);
  const freq = new Float64Array(c.n);
  const money = new Float64Array(c.n);
  const rates = new Float64Array(c.n);
  let buyers = 0;
  for (let i = 0; i < c.n; i++) {
    const from = c.dayOffsets[i];
    const to = c.dayOffsets[i + 1];
    if (c.orders[i] === 0 || to === from) continue;
    lastDays[buyers] = c.days[to - 1];
    freq[buyers] = c.orders[i];
    money[buyers] = c.totalSpent[i];
    rates[buyers++] = annualOrderRate(c.orders[i], c.days[from], asOfDay, settings.usage.minTenureDays);
  }
  const asc = (a: Float64Array) => a.subarray(0, buyers).sort();
  const sortedRates = asc(rates);
  const rateEdges = quantileEdges(sortedRates, [
    1 - settings.usage.heavyTopShare - settings.usage.moderateNextShare,
    1 - settings.usage.heavyTopShare,
  ]);
  const availability = availabilityOf(c.shop);
  const priceQuantiles = availability.unitPrices
    ? histogramQuantiles(
        c.shop.unitPriceHistogram,
        Array.from({ length: 101 }, (_, k) => k / 100),
      )
    : null;
  const t1 = performance.now();

  const predictive = fitPredictive(c, settings, asOfDay, timings);
  const t3 = performance.now();
  if (timings) {
    timings.ms.rfm = t1 - t0;
    timings.ms.models = t3 - t1;
  }
  return {
    version: 1,
    asOf: isoOfDay(asOfDay),
    asOfDay,
    timeZone: settings.timeZone,
    customers: c.n,
    customersWithOrders: buyers,
    availability,
    rfm: {
      recency: quantileEdges(asc(lastDays), QUINTILES),
      frequency: quantileEdges(asc(freq), QUINTILES),
      monetary: quantileEdges(asc(money), QUINTILES),
    },
    usage: { rateEdges },
    priceQuantiles,
    predictive,
  };
}

function fitPredictive(c: Columns, settings: Settings, asOfDay: number, timings?: FitTimings): PredictiveCutoffs {
  const ps = settings.predictive;
  const unitDays = ps.timeUnit === "week" ? 7 : 1;
  let buyers = 0;
  for (let i = 0; i < c.n; i++)
    if (c.dayOffsets[i + 1] > c.dayOffsets[i] && c.days[c.dayOffsets[i]] <= asOfDay) buyers++;
  if (buyers < ps.minCustomers) {
    return {
      status: "not-enough-data",
      reason: `${buyers} customers with orders; the models need at least ${ps.minCustomers}`,
    };
  }
  const fits = fitShopModels(
    {
      customers: c.n,
      dayOffsets: c.dayOffsets,
      days: c.days,
      dayTotals: c.dayTotals,
    },
    asOfDay,
    unitDays,
  );
  if (timings) {
    timings.ms.bgnbd = fits.bgnbdMs;
    timings.ms.gammaGamma = fits.gammaGammaMs;
  }
  if (fits.repeatCustomers < ps.minRepeatCustomers) {
    return {
      status: "not-enough-data",
      reason: `${fits.repeatCustomers} customers with a repeat purchase; the models need at least ${ps.minRepeatCustomers}`,
    };
  }
  const bg = fits.bgnbd;
  if (!bg.converged || bg.atBound || !Number.isFinite(bg.logLik)) {
    return {
      status: "not-enough-data",
      reason: `the BG/NBD fit is not reliable (${bg.atBound ? "a parameter hit its bound" : bg.message})`,
    };
  }
  const gg = fits.gammaGamma;
  if (!gg || !gg.converged || gg.atBound || !(gg.params.q > 1)) {
    return {
      status: "not-enough-data",
      reason: !gg
        ? "no repeat purchases with a positive value for the spend model"
        : gg.params.q <= 1
          ? `the Gamma-Gamma fit has q = ${gg.params.q.toFixed(3)} <= 1, so expected order values are undefined`
          : `the Gamma-Gamma fit is not reliable (${gg.atBound ? "a parameter hit its bound" : gg.message})`,
    };
  }
  // Spend tier edges from the distribution of predicted 12-month value.
  const t0 = performance.now();
  const clv: number[] = [];
  const reuse = emptyPurchaseSummary();
  const cache = cacheFor(bg.params, unitDays);
  for (let i = 0; i < c.n; i++) {
    const s = summarizePurchases(c.days, c.dayTotals, c.dayOffsets[i], c.dayOffsets[i + 1], asOfDay, reuse);
    if (!s) continue;
    const p = predictCustomer(bg.params, gg.params, unitDays, s, cache);
    if (Number.isFinite(p.clv12m)) clv.push(p.clv12m);
  }
  if (clv.length === 0) {
    return {
      status: "not-enough-data",
      reason: "the fitted models give no finite 12-month value for any customer",
    };
  }
  const sorted = Float64Array.from(clv).sort();
  const clvEdges = quantileEdges(sorted, [
    1 - ps.highValueTopShare - ps.mediumValueNextShare,
    1 - ps.highValueTopShare,
  ]);
  if (timings) timings.ms.spendTiers = performance.now() - t0;
  return {
    status: "ok",
    timeUnit: ps.timeUnit,
    unitDays,
    bgnbd: { ...bg.params, logLik: bg.logLik, notIdentified: bg.notIdentified, limit: bg.limit },
    gammaGamma: { ...gg.params, logLik: gg.logLik, notIdentified: gg.notIdentified, limit: gg.limit },
    customers: fits.customers,
    repeatCustomers: fits.repeatCustomers,
    clvEdges,
  };
}
