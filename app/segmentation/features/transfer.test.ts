import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitShop } from "../cutoffs";
import { parseSettings } from "../settings";
import { SHOP_AS_OF, shopArb } from "../testing/arbitraries";
import type { EngineOrder } from "../types";
import { computeFeatureTable, FeatureAccumulator, type FeatureTable } from "./accumulator";
import { concatFitColumns, decodeFitColumns, encodeFitColumns, fitColumnsOf } from "./fit-columns";
import { concatFeatureTables, decodeFeatureTable, encodeFeatureTable, subsetFeatureTable } from "./transfer";

describe("feature transfer", () => {
  it("a subset, encoded and decoded, gives each chosen customer the same features as the whole table", () => {
    fc.assert(
      fc.property(shopArb(15, 80), fc.nat(), (orders, seed) => {
        const table = computeFeatureTable(orders, { timeZone: "Europe/London" });
        // A deterministic pick of about half the customers, in a shuffled order.
        const picked = Array.from({ length: table.size }, (_, i) => i)
          .filter((i) => (i * 7 + seed) % 2 === 0)
          .sort((a, b) => ((a * 31 + seed) % 17) - ((b * 31 + seed) % 17));
        const decoded = decodeFeatureTable(encodeFeatureTable(subsetFeatureTable(table, picked)));
        expect(decoded.size).toBe(picked.length);
        picked.forEach((i, j) => {
          expect(decoded.customer(j)).toEqual(table.customer(i));
          expect(decoded.indexOf(table.customerIds[i])).toBe(j);
        });
        expect(decoded.shop).toEqual(table.shop);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses bytes it did not write", () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 2, true);
    bytes.set(new TextEncoder().encode("{}"), 4);
    expect(() => decodeFeatureTable(bytes)).toThrow(/unknown encoding/);
  });
});

const TZ = "America/New_York";

/** Customer "c<k>"'s number (the arbitraries' ids). */
const idNumber = (id: string) => Number(id.slice(1));

/**
 * The shop accumulated in `cuts.length + 1` parts by customer-id range, as
 * the recompute's workers do: part p holds the customers whose number is in
 * [cuts[p-1], cuts[p]) and their orders; guest orders all go to part 0.
 * `prospects` are registered (addCustomer) before the orders, in the single
 * accumulator and in their part.
 */
function accumulate(
  orders: readonly EngineOrder[],
  prospects: readonly number[],
  cuts: readonly number[],
): { single: FeatureTable; parts: FeatureTable[] } {
  const partOf = (k: number) => cuts.filter((c) => c <= k).length;
  const single = new FeatureAccumulator({ timeZone: TZ });
  const accs = Array.from({ length: cuts.length + 1 }, () => new FeatureAccumulator({ timeZone: TZ }));
  for (const k of prospects) {
    single.addCustomer(`c${k}`);
    accs[partOf(k)].addCustomer(`c${k}`);
  }
  for (const o of orders) {
    single.add(o);
    accs[o.customerId === null ? 0 : partOf(idNumber(o.customerId))].add(o);
  }
  return { single: single.finish(), parts: accs.map((a) => a.finish()) };
}

/** Same customers with the same features (compared by id) and the same shop stats. */
function expectSameTable(actual: FeatureTable, expected: FeatureTable): void {
  expect(actual.size).toBe(expected.size);
  expect(actual.timeZone).toBe(expected.timeZone);
  for (let i = 0; i < expected.size; i++) {
    const j = actual.indexOf(expected.customerIds[i]);
    expect(j).toBeGreaterThanOrEqual(0);
    expect(actual.customerIds[j]).toBe(expected.customerIds[i]);
    expect(actual.customer(j)).toEqual(expected.customer(i));
  }
  expect(actual.shop).toEqual(expected.shop);
}

const CUSTOMERS = 15;

/**
 * shopArb's orders with some cancelled or fully refunded (skipped) and some
 * without each kind of optional data, so every ShopStats count varies.
 */
const variedShopArb = fc.tuple(shopArb(CUSTOMERS, 80), fc.nat()).map(([orders, seed]) => {
  let h = seed >>> 0 || 1;
  return orders.map((o): EngineOrder => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    const bit = (k: number) => ((h >>> (8 + k)) & 1) === 1;
    const out: EngineOrder = { ...o };
    if (h % 16 === 0) out.cancelled = true;
    if (h % 16 === 1) out.fullyRefunded = true;
    if (bit(0)) out.productIds = out.productTypes = undefined;
    if (bit(1)) out.discountMinor = out.discountCodes = undefined;
    if (bit(2)) out.avgUnitPriceMinor = undefined;
    if (bit(3)) out.utmSource = out.utmMedium = out.utmCampaign = out.referrerDomain = out.sourceName = undefined;
    if (bit(4)) out.shippingMinor = out.expressShipping = undefined;
    if (bit(5)) out.itemQuantity = undefined;
    return out;
  });
});
const cutsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: CUSTOMERS }), { maxLength: 3 })
  .map((c) => c.sort((a, b) => a - b));
const prospectsArb = fc.uniqueArray(fc.integer({ min: 0, max: CUSTOMERS + 4 }), { maxLength: 6 });

describe("concatFeatureTables", () => {
  it("of parts accumulated by customer-id range (guests in part 0) equals one accumulator of the whole shop, encoded parts included", () => {
    fc.assert(
      fc.property(variedShopArb, prospectsArb, cutsArb, (orders, prospects, cuts) => {
        const { single, parts } = accumulate(orders, prospects, cuts);
        const merged = concatFeatureTables(parts);
        // Rows in the order of the parts.
        expect(merged.customerIds).toEqual(parts.flatMap((p) => [...p.customerIds]));
        merged.customerIds.forEach((id, j) => expect(merged.indexOf(id)).toBe(j));
        expectSameTable(merged, single);
        // The parts as the workers send them: bytes.
        const fromBytes = concatFeatureTables(parts.map((p) => decodeFeatureTable(encodeFeatureTable(p))));
        expectSameTable(fromBytes, single);
        // The concatenation itself survives encoding and per-chunk slicing.
        expectSameTable(decodeFeatureTable(encodeFeatureTable(merged)), single);
        const half = merged.customerIds
          .map((_, j) => j)
          .filter((j) => j % 2 === 1)
          .reverse();
        const slice = decodeFeatureTable(encodeFeatureTable(subsetFeatureTable(merged, half)));
        half.forEach((j, k) =>
          expect(slice.customer(k)).toEqual(single.customer(single.indexOf(merged.customerIds[j]))),
        );
        expect(slice.shop).toEqual(single.shop);
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order of the parts, except for the row order", () => {
    fc.assert(
      fc.property(variedShopArb, prospectsArb, cutsArb, (orders, prospects, cuts) => {
        const { single, parts } = accumulate(orders, prospects, cuts);
        const reversed = concatFeatureTables(parts.slice().reverse());
        expectSameTable(reversed, single);
        // Concatenation is associative: ((a b) c) == (a b c).
        if (parts.length >= 3) {
          const nested = concatFeatureTables([concatFeatureTables(parts.slice(0, 2)), ...parts.slice(2)]);
          expectSameTable(nested, single);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("gives fitShop exactly the cut-offs of the single table, predictive models included", () => {
    const settings = parseSettings({
      timeZone: TZ,
      predictive: { minCustomers: 10, minRepeatCustomers: 10 },
    });
    let fitted = 0;
    fc.assert(
      fc.property(
        shopArb(40, 300, 150),
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 3 }),
        (orders, cuts) => {
          cuts.sort((a, b) => a - b);
          const { single, parts } = accumulate(orders, [], cuts);
          const expected = fitShop(single, settings, SHOP_AS_OF);
          if (expected.predictive.status === "ok") fitted++;
          // Exact: fitShop sorts its inputs (quantiles, compressed triples
          // and spend records) before any floating-point sum, so the row
          // order does not reach the results.
          expect(fitShop(concatFeatureTables(parts), settings, SHOP_AS_OF)).toEqual(expected);
          expect(
            fitShop(
              concatFeatureTables(parts.map((p) => decodeFeatureTable(encodeFeatureTable(p)))),
              settings,
              SHOP_AS_OF,
            ),
          ).toEqual(expected);
          // What the recompute's threads send (ADR 044): the fit columns alone.
          expect(
            fitShop(concatFitColumns(parts.map((p) => decodeFitColumns(encodeFitColumns(p)))), settings, SHOP_AS_OF),
          ).toEqual(expected);
        },
      ),
      { numRuns: 25, endOnFailure: true },
    );
    // The property must have exercised the models, not only the not-enough-data path. About
    // half the generated shops fit them (12-19 of 25 in ten runs, 229 of 400 sampled): more
    // than 10 failed about one run in twenty; more than 4 is as far below the mean as it is safe.
    expect(fitted).toBeGreaterThan(4);
  });

  it("returns a single table as is and refuses no tables", () => {
    const table = computeFeatureTable([], { timeZone: TZ });
    expect(concatFeatureTables([table])).toBe(table);
    expect(() => concatFeatureTables([])).toThrow(/no tables/);
  });

  it("merges shops without orders and parts without customers", () => {
    const empty = () => new FeatureAccumulator({ timeZone: TZ }).finish();
    const merged = concatFeatureTables([empty(), empty(), empty()]);
    expectSameTable(merged, empty());
    expect(merged.shop.firstOrderAt).toBeNull();
  });

  it("throws on a customer found in two tables, naming the customer and the tables", () => {
    const a = new FeatureAccumulator({ timeZone: TZ });
    a.addCustomer("c1");
    a.addCustomer("c2");
    const b = new FeatureAccumulator({ timeZone: TZ });
    b.addCustomer("c3");
    const c = new FeatureAccumulator({ timeZone: TZ });
    c.addCustomer("c2");
    expect(() => concatFeatureTables([a.finish(), b.finish(), c.finish()])).toThrow("customer c2 is in tables 0 and 2");
  });

  it("throws on tables of different time zones", () => {
    expect(() =>
      concatFeatureTables([
        computeFeatureTable([], { timeZone: TZ }),
        computeFeatureTable([], { timeZone: "Europe/London" }),
      ]),
    ).toThrow(/time zone/);
  });
});

describe("fit columns", () => {
  it("of parts, encoded and concatenated, equal the merged table's, array by array", () => {
    fc.assert(
      fc.property(variedShopArb, prospectsArb, cutsArb, (orders, prospects, cuts) => {
        const { parts } = accumulate(orders, prospects, cuts);
        const merged = fitColumnsOf(concatFeatureTables(parts));
        expect(concatFitColumns(parts.map((p) => decodeFitColumns(encodeFitColumns(p))))).toEqual(merged);
        // A part that is itself a slice of a bigger table's runs (offsets not starting at 0) is rebased.
        const tail = subsetFeatureTable(concatFeatureTables(parts), [merged.n - 1]);
        expect(decodeFitColumns(encodeFitColumns(tail))).toEqual(fitColumnsOf(tail));
      }),
      { numRuns: 200 },
    );
  });

  it("returns one part as is, refuses no parts, other time zones and bytes it did not write", () => {
    const part = fitColumnsOf(computeFeatureTable([], { timeZone: TZ }));
    expect(concatFitColumns([part])).toBe(part);
    expect(() => concatFitColumns([])).toThrow(/no parts/);
    const london = fitColumnsOf(computeFeatureTable([], { timeZone: "Europe/London" }));
    expect(() => concatFitColumns([part, london])).toThrow(/time zone/);
    expect(() => decodeFitColumns(encodeFeatureTable(computeFeatureTable([], { timeZone: TZ })))).toThrow(
      /unknown encoding/,
    );
    const bytes = encodeFitColumns(computeFeatureTable([], { timeZone: TZ }));
    expect(() => decodeFitColumns(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
