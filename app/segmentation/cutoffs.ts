// fitShop: the shop-level "cut-offs" every membership is computed against:
// RFM quintile edges, usage-rate edges, the unit-price distribution, the
// fitted BG/NBD and Gamma-Gamma parameters (or why they are not usable) and
// the predicted-spend tier edges. Plain JSON, stored by the app; a full
// recompute produces new cut-offs, incremental updates reuse them. The
// family-specific parts are fitted by their family modules (families/*.ts).
import type { FeatureTable, ShopStats } from "./features/accumulator";
import { isoOfDay, ShopClock } from "./features/clock";
import { columnsOf, type ShopColumns } from "./features/columns";
import type { CustomerFeatures } from "./features/customer";
import { histogramQuantiles } from "./features/price-histogram";
import type { QuantileEdges } from "./math/quantiles";
import { fitPredictive, type PredictiveCutoffs } from "./families/predictive";
import { fitRfm, type RfmCutoffs } from "./families/rfm";
import { fitUsage } from "./families/usage";
import type { Settings } from "./settings";

export type { PredictiveCutoffs } from "./families/predictive";

export interface DataAvailability {
  lineItems: boolean;
  discounts: boolean;
  unitPrices: boolean;
  shipping: boolean;
  journey: boolean;
  products: boolean;
}

export interface ShopCutoffs {
  version: 1;
  asOf: string;
  asOfDay: number;
  timeZone: string;
  customers: number;
  customersWithOrders: number;
  availability: DataAvailability;
  /** Edges on the last-order day (recency), order count and total spent; empty without buyers. */
  rfm: RfmCutoffs;
  /** Edges of the annualized order rate: [moderate tier, heavy tier]. */
  usage: { rateEdges: QuantileEdges };
  /** Unit-price percentiles p0..p100 (minor units), or null when orders carry no unit price. */
  priceQuantiles: number[] | null;
  predictive: PredictiveCutoffs;
}

function availabilityOf(shop: ShopStats): DataAvailability {
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
  features: FeatureTable | readonly CustomerFeatures[] | ShopColumns,
  settings: Settings,
  asOf: Date | number,
  timings?: FitTimings,
): ShopCutoffs {
  const asOfMs = toEpochMs(asOf);
  const clock = new ShopClock(settings.timeZone);
  const asOfDay = clock.day(asOfMs);
  const c = columnsOf(features);
  const t0 = performance.now();
  // Each family with a fit step fits its part (families/*.ts); the price distribution is shared.
  const rfm = fitRfm(c);
  const usage = fitUsage(c, settings, asOfDay);
  const availability = availabilityOf(c.shop);
  const priceQuantiles = availability.unitPrices
    ? histogramQuantiles(
        c.shop.unitPriceHistogram,
        Array.from({ length: 101 }, (_, k) => k / 100),
      )
    : null;
  const t1 = performance.now();
  const predictive = fitPredictive(c, settings, asOfDay, timings);
  const t2 = performance.now();
  if (timings) {
    timings.ms.rfm = t1 - t0;
    timings.ms.models = t2 - t1;
  }
  return {
    version: 1,
    asOf: isoOfDay(asOfDay),
    asOfDay,
    timeZone: settings.timeZone,
    customers: c.n,
    customersWithOrders: rfm.buyers,
    availability,
    rfm: rfm.edges,
    usage,
    priceQuantiles,
    predictive,
  };
}
