// fast-check generators of shops (orders with every optional field) for the
// property tests.
import fc from "fast-check";
import type { EngineOrder } from "../types";

const DAY = 86_400_000;
const SHOP_START = Date.UTC(2023, 0, 1);
export const SHOP_AS_OF = Date.UTC(2025, 5, 30, 23, 0, 0);

const PRODUCTS = ["p1", "p2", "p3", "p4", "p5", "p6"];
const TYPES = ["shirts", "shoes", "hats", "bags", "socks"];

function orderArb(customers: number): fc.Arbitrary<Omit<EngineOrder, "id">> {
  return fc.record({
    customerId: fc.oneof(
      {
        weight: 9,
        arbitrary: fc.integer({ min: 0, max: customers - 1 }).map((i) => `c${i}`),
      },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    processedAt: fc.integer({ min: SHOP_START, max: SHOP_AS_OF - DAY }),
    totalMinor: fc.integer({ min: 0, max: 50_000 }),
    subtotalMinor: fc.integer({ min: 0, max: 45_000 }),
    discountMinor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 })),
    discountCodes: fc.constantFrom<string[][]>([], ["SALE"]),
    itemQuantity: fc.integer({ min: 1, max: 6 }),
    productIds: fc.subarray(PRODUCTS, { minLength: 1, maxLength: 3 }),
    productTypes: fc.subarray(TYPES, { minLength: 1, maxLength: 2 }),
    avgUnitPriceMinor: fc.integer({ min: 100, max: 20_000 }),
    shippingMinor: fc.constantFrom(0, 499, 999),
    expressShipping: fc.boolean(),
    utmSource: fc.constantFrom(null, "google", "facebook", "newsletter"),
    utmMedium: fc.constantFrom(null, "cpc", "email", "social"),
    utmCampaign: fc.constantFrom(null, "spring-sale"),
    referrerDomain: fc.constantFrom(null, "www.google.com", "blog.example.com"),
    sourceName: fc.constantFrom("web", "pos"),
  });
}

/** A shop of 1..`maxOrders` orders over `customers` customers, with unique order ids. */
export function shopArb(customers = 12, maxOrders = 60, minOrders = 1): fc.Arbitrary<EngineOrder[]> {
  return fc
    .array(orderArb(customers), {
      minLength: minOrders,
      maxLength: maxOrders,
      size: "max",
    })
    .map((list) => list.map((o, i) => ({ ...o, id: `o${String(i).padStart(4, "0")}` })));
}
