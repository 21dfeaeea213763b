import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StringIndex } from "./string-index";

describe("StringIndex", () => {
  it("gives every string the position a Map of first positions gives, through growth and collisions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: "binary", maxLength: 12 })), {
          maxLength: 300,
        }),
        fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }),
        (keys, probes) => {
          const index = new StringIndex(1);
          const map = new Map<string, number>();
          for (const key of keys) {
            const expected = map.get(key) ?? map.size;
            if (!map.has(key)) map.set(key, expected);
            expect(index.add(key)).toBe(expected);
          }
          expect(index.size).toBe(map.size);
          expect(index.keys).toEqual([...map.keys()]);
          for (const key of [...keys, ...probes]) expect(index.get(key)).toBe(map.get(key) ?? -1);
        },
      ),
    );
  });

  it("finds strings equal in content but built separately", () => {
    const index = new StringIndex();
    for (let i = 0; i < 1000; i++) index.add(`gid://shopify/Customer/${i}`);
    expect(index.get(["gid://shopify/Customer/", "999"].join(""))).toBe(999);
    expect(index.get("gid://shopify/Customer/1000")).toBe(-1);
  });
});
