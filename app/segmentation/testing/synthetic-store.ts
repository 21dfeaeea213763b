// A deterministic synthetic store for example-based tests: 300 customers with
// varied histories over two years (discounts, unit prices, shipping, products,
// UTM journeys), enough for the predictive models to fit.
import { seededRandom } from "../../utils/seeded-random";
import type { EngineOrder } from "../types";

const DAY = 86_400_000;

/** As-of date the store is built for: its last orders are before it. */
export const SYNTHETIC_AS_OF = Date.UTC(2025, 5, 30, 23);

export function syntheticStore(): EngineOrder[] {
  // 300 customers with deterministic, varied histories over two years.
  const orders: EngineOrder[] = [];
  const start = Date.UTC(2023, 6, 1);
  const rnd = seededRandom(7);
  for (let c = 0; c < 300; c++) {
    const n = 1 + Math.floor(-Math.log(1 - rnd()) * 2);
    let t = start + Math.floor(rnd() * 500) * DAY;
    for (let k = 0; k < n && t < Date.UTC(2025, 5, 30); k++) {
      orders.push({
        id: `o${c}-${k}`,
        customerId: `c${c}`,
        processedAt: t + 14 * 3600_000,
        totalMinor: 2000 + Math.floor(rnd() * 8000),
        discountMinor: rnd() < 0.3 ? 500 : 0,
        subtotalMinor: 2000,
        avgUnitPriceMinor: 500 + Math.floor(rnd() * 3000),
        shippingMinor: rnd() < 0.5 ? 0 : 500,
        expressShipping: rnd() < 0.2,
        productIds: [`p${Math.floor(rnd() * 5)}`],
        productTypes: [`t${Math.floor(rnd() * 6)}`],
        utmSource: k === 0 && rnd() < 0.3 ? "google" : null,
        utmMedium: k === 0 && rnd() < 0.3 ? "cpc" : rnd() < 0.2 ? "email" : null,
        utmCampaign: null,
        referrerDomain: null,
        sourceName: "web",
      });
      t += Math.floor(10 + rnd() * 120) * DAY;
    }
  }
  return orders;
}
