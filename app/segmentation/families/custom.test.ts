import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignTable } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { parseSettings } from "../settings";
import { SHOP_AS_OF, shopArb } from "../testing/arbitraries";

const settings = parseSettings({
  predictive: { minCustomers: 10, minRepeatCustomers: 10 },
  customSegments: [
    { handle: "recent-top", title: "Recent top", rule: { feature: "recencyScore", op: "gte", value: 4 } },
    {
      handle: "alive-repeat",
      title: "Alive repeat buyers",
      description: "Repeat buyers the model still sees",
      rule: {
        all: [{ feature: "orders", op: "gte", value: 2 }, { not: { feature: "pAlive", op: "lt", value: 0.5 } }],
      },
    },
  ],
});

describe("custom family", () => {
  it("defines each merchant segment by its rule", () => {
    const custom = segmentCatalog(settings).filter((e) => e.family === "custom");
    expect(custom.map((e) => [e.key, e.description, e.definition])).toEqual([
      ["custom/recent-top", "", "Merchant rule: recencyScore >= 4"],
      [
        "custom/alive-repeat",
        "Repeat buyers the model still sees",
        "Merchant rule: orders >= 2 and not (pAlive < 0.5)",
      ],
    ]);
  });

  it("runs after the other families, so rules see the RFM scores and predictions of the same customer", () => {
    fc.assert(
      fc.property(shopArb(30, 200, 80), (orders) => {
        const table = computeFeatureTable(orders, { timeZone: settings.timeZone });
        const cutoffs = fitShop(table, settings, SHOP_AS_OF);
        assignTable(table, cutoffs, settings, SHOP_AS_OF, (a) => {
          const keys = new Set(a.memberships.map((m) => m.key));
          expect(keys.has("custom/recent-top")).toBe(a.scores !== null && a.scores.recency >= 4);
          const orderCount = table.customer(table.indexOf(a.customerId)).orders;
          // "not (pAlive < 0.5)" also holds without a prediction: the inner condition needs a value.
          const notBelow = a.predictive.status !== "ok" || a.predictive.pAlive >= 0.5;
          expect(keys.has("custom/alive-repeat")).toBe(orderCount >= 2 && notBelow);
        });
      }),
      { numRuns: 20 },
    );
  });

  it("refuses two segments with one handle", () => {
    const rule = { feature: "orders", op: "gte", value: 1 };
    expect(() =>
      parseSettings({
        customSegments: [
          { handle: "x", title: "X", rule },
          { handle: "x", title: "Y", rule },
        ],
      }),
    ).toThrow('customSegments.1.handle: handle "x" is used twice');
  });
});
