// A columnar view of the shop's customers for the fit steps (fitShop and the
// families' fit functions): a FeatureTable's arrays as they are, or the same
// columns built from a list of CustomerFeatures.
import { emptyShopStats, FeatureTable, type ShopStats } from "./accumulator";
import type { CustomerFeatures } from "./customer";
import { fitColumnsOf } from "./fit-columns";
import { priceBin } from "./price-histogram";

export interface ShopColumns {
  n: number;
  orders: ArrayLike<number>;
  totalSpent: ArrayLike<number>;
  /** Customer i's purchase days are days[dayOffsets[i]] .. days[dayOffsets[i + 1] - 1], ascending. */
  dayOffsets: ArrayLike<number>;
  days: ArrayLike<number>;
  dayTotals: ArrayLike<number>;
  shop: ShopStats;
}

/** Whether customer i counts for the shop's score edges: at least one order and one purchase day. */
export function isBuyer(c: ShopColumns, i: number): boolean {
  return c.orders[i] !== 0 && c.dayOffsets[i + 1] !== c.dayOffsets[i];
}

export function columnsOf(features: FeatureTable | readonly CustomerFeatures[] | ShopColumns): ShopColumns {
  if (features instanceof FeatureTable) return fitColumnsOf(features);
  // Columns as they are: a read thread's fit columns (fit-columns.ts) or their concatenation.
  if (!Array.isArray(features)) return features as ShopColumns;
  const n = features.length;
  const orders = new Int32Array(n);
  const totalSpent = new Float64Array(n);
  const dayOffsets = new Int32Array(n + 1);
  const days: number[] = [];
  const dayTotals: number[] = [];
  const shop: ShopStats = emptyShopStats();
  const hist = shop.unitPriceHistogram;
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
