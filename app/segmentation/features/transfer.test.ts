import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shopArb } from "../testing/arbitraries";
import { computeFeatureTable } from "./accumulator";
import { decodeFeatureTable, encodeFeatureTable, subsetFeatureTable } from "./transfer";

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
