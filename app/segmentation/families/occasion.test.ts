import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { dayFromCivil, isoOfDay } from "../features/clock";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";
import { easterSunday, nthWeekday } from "./occasion-calendar";

describe("occasion dates", () => {
  it("computes the moving holidays per year", () => {
    expect(isoOfDay(nthWeekday(2024, 11, 4, 4) + 1)).toBe("2024-11-29"); // Black Friday
    expect(isoOfDay(nthWeekday(2025, 5, 0, 2))).toBe("2025-05-11"); // US Mother's Day
    expect(isoOfDay(nthWeekday(2025, 6, 0, 3))).toBe("2025-06-15"); // Father's Day
    expect(isoOfDay(easterSunday(2025))).toBe("2025-04-20");
    expect(isoOfDay(easterSunday(2025) - 21)).toBe("2025-03-30"); // UK Mothering Sunday
    expect(dayFromCivil(1970, 1, 1)).toBe(0);
  });
});

describe("occasion family", () => {
  const settings = parseSettings({
    hemisphere: "south",
    occasion: {
      windows: [
        { handle: "summer-sale", title: "Summer sale", start: "12-20", end: "01-05" },
        { handle: "launch", title: "Launch", from: "2025-03-01", to: "2025-03-10" },
      ],
    },
  });
  const asOf = Date.UTC(2025, 5, 30, 12);

  it("dates the windows in the as-of year in the definitions", () => {
    const customers = [
      customerFeaturesFromOrders(
        "a",
        [{ id: "1", customerId: "a", processedAt: asOf - 86_400_000, totalMinor: 100 }],
        "UTC",
      ),
    ];
    const cutoffs = fitShop(customers, settings, asOf);
    const def = new Map(segmentCatalog(settings, cutoffs).map((e) => [e.key, e.definition]));
    expect(def.get("occasion/black-friday-cyber-monday")).toBe(
      "At least one order day in the window: ordered between Black Friday (day after the 4th Thursday of November) and Cyber Monday, in any year (2025: 2025-11-28 to 2025-12-01)",
    );
    expect(def.get("occasion/summer-sale")).toBe(
      "At least one order day in the window: ordered between 12-20 and 01-05 (every year), in any year (2025: 2025-12-20 to 2026-01-05)",
    );
    expect(def.get("occasion/launch")).toBe(
      "At least one order day in the window: ordered between 2025-03-01 and 2025-03-10",
    );
    expect(def.get("occasion/seasonal-winter")).toBe(
      "At least 3 orders, with at least 60% of them in winter (June to August), their season with the most orders",
    );
    expect(def.get("occasion/first-order-anniversary")).toBe(
      "The anniversary of the first order falls between 2025-07-01 and 2025-07-14",
    );
    expect(segmentCatalog(settings).find((e) => e.key === "occasion/holiday-season")?.definition).toBe(
      "At least one order day in the window: ordered between 12-01 and 12-24, in any year",
    );
  });

  it("assigns window, season and anniversary members with the days behind them", () => {
    const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
    const orders = ["2023-07-02", "2023-12-22", "2024-07-10", "2024-08-01"].map((d, k) => ({
      id: `o${k}`,
      customerId: "c",
      processedAt: day(d),
      totalMinor: 1000,
    }));
    const c = customerFeaturesFromOrders("c", orders, "UTC");
    const cutoffs = fitShop([c], settings, asOf);
    const reasons = assignSegments(c, cutoffs, settings, asOf)
      .memberships.filter((m) => m.family === "occasion")
      .map((m) => `${m.segment}: ${m.reason}`);
    expect(reasons).toEqual([
      "holiday-season: 1 order day in the window, last 2023-12-22",
      "back-to-school: 1 order day in the window, last 2024-08-01",
      "summer-sale: 1 order day in the window, last 2023-12-22",
      "seasonal-winter: 75% of 4 orders in winter >= 60%",
      "first-order-anniversary: first order 2023-07-02: 2 year anniversary on 2025-07-02, in 2 days",
    ]);
  });

  it("refuses a merchant window that reuses a built-in handle, naming the window", () => {
    expect(() =>
      parseSettings({
        occasion: { windows: [{ handle: "seasonal-winter", title: "X", start: "01-01", end: "01-31" }] },
      }),
    ).toThrow('occasion.windows.0.handle: handle "seasonal-winter" is already used');
    expect(() =>
      parseSettings({ occasion: { windows: [{ handle: "x", title: "X", from: "2025-02-01", to: "2025-01-01" }] } }),
    ).toThrow('occasion.windows.0: "from" 2025-02-01 is after "to" 2025-01-01');
  });
});
