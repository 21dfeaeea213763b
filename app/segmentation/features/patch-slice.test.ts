import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shopArb } from "../testing/arbitraries";
import type { EngineOrder } from "../types";
import { FeatureAccumulator, type FeatureTable } from "./accumulator";
import { patchSlice } from "./patch-slice";
import { customersShopStats, shopStatsOfParts } from "./shop-parts";
import { subsetFeatureTable } from "./transfer";

const TZ = "Europe/Berlin";
const CUSTOMERS = 14;

/** Numeric customer ids, as Shopify's (the arbitraries' "c<k>" become "<1000 + k>"). */
function numericIds(orders: readonly EngineOrder[]): EngineOrder[] {
  return orders.map((o) => ({
    ...o,
    customerId: o.customerId === null ? null : String(1000 + Number(o.customerId.slice(1))),
  }));
}

/** Order k's variant: some cancelled, fully refunded, or without unit price or products. */
function varied(o: EngineOrder, k: number): EngineOrder {
  switch (k % 7) {
    case 1:
      return { ...o, cancelled: true };
    case 2:
      return { ...o, fullyRefunded: true };
    case 3:
      return { ...o, avgUnitPriceMinor: undefined, productIds: undefined };
    default:
      return o;
  }
}

/** A full read: the live customers first (in id order), then every order. */
function read(customers: readonly string[], orders: readonly EngineOrder[]): FeatureTable {
  const acc = new FeatureAccumulator({ timeZone: TZ });
  for (const id of customers) acc.addCustomer(id);
  for (const o of orders) acc.add(o);
  return acc.finish();
}

/** The table's customers in `ranges`, each range's sorted by id (as chunk slices are cut). */
function slicesOf(table: FeatureTable, ranges: readonly { from: string; to: string }[]): FeatureTable[] {
  return ranges.map((r) => {
    const picked = Array.from({ length: table.size }, (_, i) => i)
      .filter((i) => Number(table.customerIds[i]) >= Number(r.from) && Number(table.customerIds[i]) <= Number(r.to))
      .sort((a, b) => Number(table.customerIds[a]) - Number(table.customerIds[b]));
    return subsetFeatureTable(table, picked);
  });
}

const RANGES = [
  { from: "0", to: "1004" },
  { from: "1005", to: "1009" },
  { from: "1010", to: "9223372036854775807" },
];

function expectSameCustomers(actual: FeatureTable, expected: FeatureTable): void {
  expect(actual.customerIds).toEqual(expected.customerIds);
  const a = actual.parts();
  const e = expected.parts();
  for (let i = 0; i < expected.size; i++) {
    expect(actual.customer(i)).toEqual(expected.customer(i));
    expect(a.i32.skippedOrders[i]).toBe(e.i32.skippedOrders[i]);
    expect(a.i32.productOrders[i]).toBe(e.i32.productOrders[i]);
    const bins = (p: typeof a, j: number) =>
      [...p.priceBins.subarray(p.priceBinOffsets[j], p.priceBinOffsets[j + 1])].sort();
    expect(bins(a, i)).toEqual(bins(e, i));
  }
}

describe("a shop's statistics from parts", () => {
  it("the guest part and the customers' parts sum to the statistics the accumulator counted", () => {
    fc.assert(
      fc.property(shopArb(CUSTOMERS, 80), fc.array(fc.integer({ min: 0, max: CUSTOMERS + 3 })), (raw, live) => {
        const orders = numericIds(raw).map(varied);
        const table = read(
          [...new Set(live)].sort((a, b) => a - b).map((k) => String(1000 + k)),
          orders,
        );
        const parts = slicesOf(table, RANGES).map(customersShopStats);
        expect(shopStatsOfParts(table.parts().guestShop, parts)).toEqual(table.shop);
      }),
      { numRuns: 200 },
    );
  });
});

describe("a kept slice patched with its changed customers", () => {
  it("equals the slice a full read of the changed data cuts, and the statistics its parts sum to", () => {
    fc.assert(
      fc.property(
        shopArb(CUSTOMERS, 60),
        shopArb(CUSTOMERS + 4, 30),
        fc.uniqueArray(fc.integer({ min: 0, max: CUSTOMERS + 3 }), { maxLength: 8 }),
        fc.boolean(),
        (rawBefore, rawNew, changedNumbers, guestsChanged) => {
          const before = numericIds(rawBefore).map(varied);
          const changed = new Set(changedNumbers.map((k) => String(1000 + k)));
          // After: the changed customers' orders replaced (some cancelled now,
          // some gone, new ones), guest orders replaced if they changed; a
          // changed customer may be new or gone from the live customers.
          const touched = (o: EngineOrder) => (o.customerId === null ? guestsChanged : changed.has(o.customerId));
          const fresh = numericIds(rawNew)
            .map((o, k) => varied({ ...o, id: `n${k}` }, k + 3))
            .filter(touched);
          const after = [...before.filter((o) => !touched(o)).map((o, k) => (k % 5 === 4 ? o : o)), ...fresh];
          const liveBefore = Array.from({ length: CUSTOMERS }, (_, k) => String(1000 + k));
          const liveAfter = [
            ...liveBefore.filter((id) => !changed.has(id) || Number(id) % 3 !== 0),
            ...[...changed].filter((id) => Number(id) >= 1000 + CUSTOMERS),
          ].sort((a, b) => Number(a) - Number(b));

          const kept = slicesOf(read(liveBefore, before), RANGES);
          const expected = read(liveAfter, after);
          const reread = read(
            liveAfter.filter((id) => changed.has(id)),
            after.filter(touched),
          );
          const patched = kept.map((slice, k) =>
            [...changed].some((id) => Number(id) >= Number(RANGES[k].from) && Number(id) <= Number(RANGES[k].to))
              ? patchSlice(slice, reread, RANGES[k], changed)
              : slice,
          );
          slicesOf(expected, RANGES).forEach((slice, k) => expectSameCustomers(patched[k], slice));
          const guest = guestsChanged ? reread.parts().guestShop : kept[0].parts().guestShop;
          expect(shopStatsOfParts(guest, patched.map(customersShopStats))).toEqual(expected.shop);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a customer read again that is not among the changed", () => {
    const order: EngineOrder = { id: "o1", customerId: "1001", processedAt: Date.UTC(2025, 0, 2), totalMinor: 500 };
    const slice = read(["1001"], []);
    expect(() => patchSlice(slice, read([], [order]), RANGES[0], new Set())).toThrow(
      /customer 1001 was read again but is not among the changed/,
    );
  });
});
