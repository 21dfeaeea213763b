import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fmix32, fnv1a32, holdoutIdKey, holdoutPosition, isHeldOut } from "./holdout";

const DISCOUNT = "gid://shopify/DiscountAutomaticNode/1057371";

/** 10,000 customer GIDs: consecutive (as a store's sign-ups are) or spread like real 13-digit ids. */
function consecutiveIds(): string[] {
  return Array.from({ length: 10_000 }, (_, i) => `gid://shopify/Customer/${7208420950000 + i}`);
}
function spreadIds(): string[] {
  // A fixed linear congruential sequence, so the test is the same on every run.
  let state = 12345;
  return Array.from({ length: 10_000 }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return `gid://shopify/Customer/${6000000000000 + state * 1000 + (state % 997)}`;
  });
}

function heldOutShare(ids: readonly string[], discountId: string, percentage: number): number {
  return (100 * ids.filter((id) => isHeldOut(id, discountId, percentage)).length) / ids.length;
}

describe("fnv1a32", () => {
  it("matches the published FNV-1a 32-bit test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes the UTF-8 bytes (a non-ASCII character is not its UTF-16 code unit)", () => {
    // "é" is C3 A9 in UTF-8; hashing those two bytes by hand gives the same value.
    let hash = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32("é")).toBe(hash);
    expect(fnv1a32("😀")).not.toBe(fnv1a32("\ud83d"));
  });
});

describe("fmix32", () => {
  it("is murmur3's finalizer (fixed point at 0, known value at 1)", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});

describe("holdoutIdKey", () => {
  it("takes the numeric tail of a GID and leaves other ids as they are", () => {
    expect(holdoutIdKey("gid://shopify/Customer/7208420950000")).toBe("7208420950000");
    expect(holdoutIdKey(" 7208420950000 ")).toBe("7208420950000");
    expect(holdoutIdKey("gid://shopify/DiscountAutomaticNode/12?x=1")).toBe("12");
    expect(holdoutIdKey("winter-vip-2026")).toBe("winter-vip-2026");
  });
});

describe("hold-out split", () => {
  for (const [name, ids] of [
    ["consecutive", consecutiveIds()],
    ["spread", spreadIds()],
  ] as const) {
    for (const percentage of [5, 10, 20, 30, 50]) {
      it(`holds out ${percentage}% ± 2 points of 10,000 ${name} customer ids`, () => {
        const share = heldOutShare(ids, DISCOUNT, percentage);
        expect(share).toBeGreaterThanOrEqual(percentage - 2);
        expect(share).toBeLessThanOrEqual(percentage + 2);
      });
    }
  }

  it("is stable: the same customer and discount always land on the same side", () => {
    const ids = consecutiveIds();
    const first = ids.map((id) => isHeldOut(id, DISCOUNT, 10));
    const again = ids.map((id) => isHeldOut(id, DISCOUNT, 10));
    expect(again).toEqual(first);
    // Pinned values: a change of the hash would silently move customers between groups.
    expect(holdoutPosition("gid://shopify/Customer/7208420950000", DISCOUNT)).toBeCloseTo(0.3866, 4);
    expect(holdoutPosition("gid://shopify/Customer/7208420950013", DISCOUNT)).toBeCloseTo(0.0096, 4);
  });

  it("gives the same split for GIDs and numeric ids (the app may store either)", () => {
    for (const id of consecutiveIds().slice(0, 500)) {
      expect(holdoutPosition(id, DISCOUNT)).toBe(holdoutPosition(holdoutIdKey(id), "1057371"));
    }
  });

  it("splits independently per discount: two 50% hold-outs overlap on about a quarter", () => {
    const ids = consecutiveIds();
    const both = ids.filter(
      (id) => isHeldOut(id, DISCOUNT, 50) && isHeldOut(id, "gid://shopify/DiscountAutomaticNode/1057372", 50),
    );
    expect((100 * both.length) / ids.length).toBeGreaterThan(22);
    expect((100 * both.length) / ids.length).toBeLessThan(28);
  });

  it("holds out nobody at 0% or with an unusable percentage", () => {
    const ids = consecutiveIds().slice(0, 1000);
    for (const percentage of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 101]) {
      expect(heldOutShare(ids, DISCOUNT, percentage)).toBe(0);
    }
  });

  it("property: the position is in [0, 1) and a larger share keeps everyone a smaller share held out", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ min: 0, max: 100, noNaN: true }), (customer, discount, p) => {
        const position = holdoutPosition(customer, discount);
        expect(position).toBeGreaterThanOrEqual(0);
        expect(position).toBeLessThan(1);
        if (isHeldOut(customer, discount, p)) expect(isHeldOut(customer, discount, Math.min(100, p + 1))).toBe(true);
      }),
    );
  });
});
