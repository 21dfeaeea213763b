// A shop's statistics (ShopStats) as the sum of parts: the guest orders'
// part, kept as the accumulator counted it, and the customers' part, summed
// from the customers' own columns. A recompute that patches a kept read
// (app/recompute/kept-read.server.ts) re-reads the orders of the customers
// that changed only, so it cannot count the shop's orders again: it sums the
// parts of the patched slices instead, exactly (integer counts and minor-unit
// sums, min/max of times). Pure.
import { emptyShopStats, type FeatureTable, type ShopStats } from "./accumulator";
import { mergeShopStats } from "./transfer";

/** What the table's customers' orders add to the shop's statistics (no guest order's). */
export function customersShopStats(table: FeatureTable): ShopStats {
  const p = table.parts();
  const I = p.i32;
  const F = p.f64;
  const out = emptyShopStats();
  const hist = out.unitPriceHistogram;
  for (let i = 0; i < table.size; i++) {
    out.skippedOrders += I.skippedOrders[i];
    const orders = I.orders[i];
    if (orders === 0) continue;
    out.orders += orders;
    out.revenueMinor += F.totalSpent[i];
    out.ordersWithItems += I.itemOrders[i];
    out.ordersWithDiscountData += I.discountDataOrders[i];
    out.ordersWithUnitPrice += I.unitPriceOrders[i];
    out.ordersWithShippingData += I.shippingDataOrders[i];
    out.ordersWithJourneyData += I.journeyOrders[i];
    out.ordersWithProducts += I.productOrders[i];
    if (out.firstOrderAt === null || F.firstAt[i] < out.firstOrderAt) out.firstOrderAt = F.firstAt[i];
    if (out.lastOrderAt === null || F.lastAt[i] > out.lastOrderAt) out.lastOrderAt = F.lastAt[i];
  }
  const to = p.priceBinOffsets[table.size];
  for (let k = p.priceBinOffsets[0]; k < to; k++) hist[p.priceBins[k]]++;
  return out;
}

/**
 * The shop's statistics from its guest part and the parts of disjoint sets
 * of its customers that together hold all of them (a kept read's slices).
 */
export function shopStatsOfParts(guest: ShopStats, customerParts: readonly ShopStats[]): ShopStats {
  return mergeShopStats([guest, ...customerParts]);
}
