import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumericIdTable } from "./numeric-id-table";

describe("NumericIdTable", () => {
  it("answers like a Map for any sequence of sets and gets", () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 7_000_000_000, max: 7_000_000_100 }),
      fc.maxSafeNat(),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.nat({ max: 1_000_000 }))), fc.array(id), (sets, gets) => {
        const table = new NumericIdTable(2);
        const map = new Map<number, number>();
        for (const [k, v] of sets) {
          table.set(k, v);
          map.set(k, v);
        }
        expect(table.size).toBe(map.size);
        for (const k of [...gets, ...map.keys()]) expect(table.get(k)).toBe(map.get(k) ?? -1);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what is not a numeric id", () => {
    const table = new NumericIdTable();
    expect(() => table.set(2 ** 53, 1)).toThrow(/not a numeric id/);
    expect(() => table.set(-1, 1)).toThrow(/not a numeric id/);
    expect(() => table.set(1.5, 1)).toThrow(/not a numeric id/);
  });
});
