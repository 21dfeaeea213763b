import { describe, expect, it } from "vitest";
import { shopConfigFrom, workAfterSettingsChange, type ShopSettingsInput } from "./shop-config";

const shop = (settings: ShopSettingsInput) =>
  shopConfigFrom({ id: "s", domain: "s.myshopify.com", timezone: "UTC", currency: "USD", settings });

describe("workAfterSettingsChange", () => {
  const base = shop({});

  it("needs only the write-back when memberships and metafield values stay the same", () => {
    expect(workAfterSettingsChange(base, shop({}))).toBe("writeback");
    expect(workAfterSettingsChange(base, shop({ writeback: { tagPrefix: "Segment/" } }))).toBe("writeback");
    expect(workAfterSettingsChange(base, shop({ writeback: { mirrors: ["rfm/champions"] } }))).toBe("writeback");
    expect(workAfterSettingsChange(base, shop({ schedule: { nightlyHour: 5 } }))).toBe("writeback");
    // Metafields off before and after: the segment handles they would carry do not matter.
    const off = shop({ writeback: { metafields: false } });
    expect(
      workAfterSettingsChange(off, shop({ writeback: { metafields: false, disabledSegments: ["rfm/champions"] } })),
    ).toBe("writeback");
  });

  it("needs a recompute when the segmentation or the metafield values change", () => {
    expect(workAfterSettingsChange(base, shop({ segmentation: { loyalty: { loyalMinOrders: 6 } } }))).toBe("recompute");
    // The chunks queue the metafield values: the enabled segments' handles, by their tag names.
    expect(workAfterSettingsChange(base, shop({ writeback: { disabledSegments: ["rfm/champions"] } }))).toBe(
      "recompute",
    );
    expect(workAfterSettingsChange(base, shop({ writeback: { tagNames: { "rfm/champions": "best" } } }))).toBe(
      "recompute",
    );
    expect(workAfterSettingsChange(shop({ writeback: { metafields: false } }), base)).toBe("recompute");
  });

  it("does not depend on the order the disabled segments or tag names are listed in", () => {
    const a = shop({
      writeback: { disabledSegments: ["rfm/champions", "rfm/promising"], tagNames: { "rfm/promising": "gone" } },
    });
    const b = shop({
      writeback: { disabledSegments: ["rfm/promising", "rfm/champions"], tagNames: { "rfm/promising": "gone" } },
    });
    expect(workAfterSettingsChange(a, b)).toBe("writeback");
  });
});
