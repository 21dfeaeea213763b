// All families together on a deterministic synthetic store: every family
// produces members when the data is there, every key is in the catalog, and
// reasons carry the numbers.
import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";
import { syntheticStore } from "../testing/synthetic-store";

const DAY = 86_400_000;

describe("families on a synthetic store", () => {
  const settings = parseSettings({
    predictive: { minCustomers: 100, minRepeatCustomers: 30 },
    occasion: {
      windows: [
        {
          handle: "summer-sale",
          title: "Summer sale",
          start: "07-01",
          end: "07-15",
        },
      ],
    },
  });
  const asOf = Date.UTC(2025, 5, 30, 23);
  const orders = syntheticStore();
  const table = computeFeatureTable(orders, { timeZone: "UTC" });
  const cutoffs = fitShop(table, settings, asOf);

  it("fits the predictive models and gives consistent predictions", () => {
    expect(cutoffs.predictive.status).toBe("ok");
    expect(JSON.parse(JSON.stringify(cutoffs))).toEqual(cutoffs);
    for (let i = 0; i < table.size; i++) {
      const a = assignSegments(table.customer(i), cutoffs, settings, asOf);
      if (a.predictive.status !== "ok") throw new Error("expected predictions");
      const p = a.predictive;
      expect(p.pAlive).toBeGreaterThan(0);
      expect(p.pAlive).toBeLessThanOrEqual(1);
      expect(p.expectedOrders365d).toBeGreaterThanOrEqual(p.expectedOrders90d);
      expect(p.clv12mMinor).toBeCloseTo(p.expectedOrders365d * p.expectedOrderValueMinor, 6);
      expect(a.memberships.filter((m) => m.family === "predictive" && m.segment.endsWith("-value"))).toHaveLength(1);
    }
  });

  it("produces members in every family when the data is there, with reasons", () => {
    const keys = new Set<string>();
    for (let i = 0; i < table.size; i++)
      for (const m of assignSegments(table.customer(i), cutoffs, settings, asOf).memberships) keys.add(m.key);
    for (const f of ["rfm", "usage", "loyalty", "predictive", "occasion", "benefits", "marketing"]) {
      expect([...keys].some((k) => k.startsWith(`${f}/`))).toBe(true);
    }
    const catalogKeys = new Set(segmentCatalog(settings).map((e) => e.key));
    for (const k of keys) expect(catalogKeys.has(k)).toBe(true);
    expect(catalogKeys.has("occasion/summer-sale")).toBe(true);
  });

  it("reports not-enough-data for a small store instead of numbers", () => {
    const small = computeFeatureTable(
      orders.filter((o) => Number(o.customerId?.slice(1)) < 20),
      { timeZone: "UTC" },
    );
    const c = fitShop(small, settings, asOf);
    expect(c.predictive).toEqual({
      status: "not-enough-data",
      reason: expect.stringMatching(/at least 100/),
    });
    const a = assignSegments(small.customer(0), c, settings, asOf);
    expect(a.predictive.status).toBe("not-enough-data");
    expect(a.memberships.some((m) => m.family === "predictive")).toBe(false);
    expect(a.memberships.some((m) => m.family === "loyalty")).toBe(true);
  });

  it("explains memberships with numbers", () => {
    const f = customerFeaturesFromOrders(
      "x",
      [0, 40, 80, 100].map((d, k) => ({
        id: `x${k}`,
        customerId: "x",
        processedAt: asOf - (100 - d + 5) * DAY,
        totalMinor: 5000,
      })),
      "UTC",
    );
    const a = assignSegments(f, cutoffs, settings, asOf);
    const loyal = a.memberships.find((m) => m.key === "loyalty/loyal");
    expect(loyal?.reason).toBe("4 orders >= 4, last 5 days ago");
    const lenient = {
      ...settings,
      predictive: { ...settings.predictive, likelyActiveMinPAlive: 0.5 },
    };
    const b = assignSegments(f, cutoffs, lenient, asOf);
    if (b.predictive.status !== "ok") throw new Error("expected predictions");
    expect(b.predictive.pAlive).toBeGreaterThanOrEqual(0.5);
    const active = b.memberships.find((m) => m.key === "predictive/likely-active");
    expect(active?.reason).toBe(`4 orders, last 5 days ago; P(alive) ${b.predictive.pAlive.toFixed(2)} >= 0.50`);
  });
});
