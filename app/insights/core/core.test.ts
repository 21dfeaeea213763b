import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildMovementMatrix,
  dayEnd,
  dayStart,
  localDay,
  measureLift,
  momentsOf,
  newcombeDifference,
  normalQuantile,
  parsePeriod,
  biggestMovements,
  segmentAlerts,
  tQuantile,
  welchDifference,
  wilsonInterval,
  type MovementGroup,
  type SnapshotRow,
} from ".";
import { seededRandom as random } from "../../utils/seeded-random";

describe("calendar", () => {
  it("days start at local midnight, DST days included", () => {
    expect(dayStart("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(dayEnd("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
    expect(dayStart("2026-01-01", "Asia/Tokyo").toISOString()).toBe("2025-12-31T15:00:00.000Z");
    expect(localDay(new Date("2025-12-31T15:30:00Z"), "Asia/Tokyo")).toBe("2026-01-01");
  });

  it("refuses a reversed period, one longer than the retention, and bad dates", () => {
    const options = { today: "2026-12-02", retentionDays: 90, defaultDays: 28 };
    expect(parsePeriod({ from: "2026-11-10", to: "2026-11-01" }, options)).toEqual({
      ok: false,
      message: "The start date 2026-11-10 is after the end date 2026-11-01.",
    });
    const long = parsePeriod({ from: "2026-01-01", to: "2026-12-01" }, options);
    expect(long.ok).toBe(false);
    expect(!long.ok && long.message).toMatch(/335 days long; snapshots are kept for 90 days/);
    expect(parsePeriod({ from: "2026-02-30" }, options)).toMatchObject({ ok: false });
    expect(parsePeriod({ to: "2026-12-03" }, options)).toMatchObject({ ok: false });
    expect(parsePeriod({}, options)).toEqual({ ok: true, period: { from: "2026-11-05", to: "2026-12-02" } });
  });
});

describe("interval statistics", () => {
  it("quantiles match published tables", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228139, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042272, 4);
  });

  it("Wilson and Newcombe match Newcombe's (1998) worked examples", () => {
    // Newcombe 1998, Table II, example (a): 56/70 vs 48/80 -> 0.0524 to 0.3339.
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.low).toBeCloseTo(0.0524, 3);
    expect(d.high).toBeCloseTo(0.3339, 3);
    // Example (b): 9/10 vs 3/10 -> 0.1705 to 0.8090.
    const e = newcombeDifference(9, 10, 3, 10);
    expect(e.low).toBeCloseTo(0.1705, 3);
    expect(e.high).toBeCloseTo(0.809, 3);
  });

  it("intervals contain their estimate and stay within their bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, f1, f2) => {
          const s1 = Math.floor(f1 * n1);
          const s2 = Math.floor(f2 * n2);
          const w = wilsonInterval(s1, n1);
          expect(w.low).toBeGreaterThanOrEqual(0);
          expect(w.high).toBeLessThanOrEqual(1);
          expect(w.low).toBeLessThanOrEqual(w.estimate + 1e-12);
          expect(w.high).toBeGreaterThanOrEqual(w.estimate - 1e-12);
          const d = newcombeDifference(s1, n1, s2, n2);
          expect(d.low).toBeGreaterThanOrEqual(-1);
          expect(d.high).toBeLessThanOrEqual(1);
          expect(d.low).toBeLessThanOrEqual(d.estimate + 1e-12);
          expect(d.high).toBeGreaterThanOrEqual(d.estimate - 1e-12);
        },
      ),
    );
  });

  it("lift intervals cover the true difference in about 95 % of simulated experiments", () => {
    const next = random(16);
    let conversionCovered = 0;
    let revenueCovered = 0;
    const trials = 400;
    for (let trial = 0; trial < trials; trial++) {
      const treated: number[] = [];
      const holdout: number[] = [];
      // Treated buy with 30 %, hold-out with 20 %; spend is exponential with mean 5,000 minor units.
      for (let i = 0; i < 400; i++) treated.push(next() < 0.3 ? -5000 * Math.log(1 - next()) : 0);
      for (let i = 0; i < 300; i++) holdout.push(next() < 0.2 ? -5000 * Math.log(1 - next()) : 0);
      const d = newcombeDifference(
        treated.filter((v) => v > 0).length,
        treated.length,
        holdout.filter((v) => v > 0).length,
        holdout.length,
      );
      if (d.low <= 0.1 && 0.1 <= d.high) conversionCovered++;
      const w = welchDifference(momentsOf(treated), momentsOf(holdout));
      if (w.low <= 500 && 500 <= w.high) revenueCovered++;
    }
    expect(conversionCovered / trials).toBeGreaterThan(0.92);
    expect(conversionCovered / trials).toBeLessThan(0.98);
    expect(revenueCovered / trials).toBeGreaterThan(0.92);
    expect(revenueCovered / trials).toBeLessThan(0.98);
  });

  it("lift: a tiny segment says not enough data", () => {
    const group = (members: number, buyers: number) => ({
      members,
      buyers,
      orders: buyers,
      revenue: momentsOf([...Array(members)].map((_, i) => (i < buyers ? 1000 : 0))),
    });
    const result = measureLift(
      { ...group(6, 4), discountedOrders: 4, discountedRevenueMinor: 4000, discountCostMinor: 400 },
      group(2, 0),
      { minGroupSize: 30, minBuyers: 10 },
    );
    expect(result.verdict).toBe("not-enough-data");
    expect(result.explanation).toMatch(/6 treated and 2 held-out customers/);
    expect(result.conversionLift).toBeNull();
  });
});

describe("movement matrix", () => {
  const segments = ["rfm/champions", "rfm/loyal", "rfm/at-risk"];
  const groupArb = fc.record({
    start: fc.constantFrom(...segments),
    endSegments: fc.subarray(segments),
    inStoreData: fc.boolean(),
    customers: fc.integer({ min: 0, max: 1_000 }),
  });

  it("movement: every row sums to the segment's size at the start", () => {
    fc.assert(
      fc.property(fc.array(groupArb, { maxLength: 60 }), (groups: MovementGroup[]) => {
        const matrix = buildMovementMatrix("rfm", segments, groups);
        segments.forEach((segment, r) => {
          const start = groups.filter((g) => g.start === segment).reduce((n, g) => n + g.customers, 0);
          expect(matrix.counts[r].reduce((a, b) => a + b, 0)).toBe(start);
          expect(matrix.startSizes[r]).toBe(start);
        });
      }),
    );
  });

  it("movement: stayers stay on the diagonal, the gone are counted as having left", () => {
    const matrix = buildMovementMatrix("rfm", segments, [
      { start: "rfm/champions", endSegments: ["rfm/loyal", "rfm/champions"], inStoreData: true, customers: 3 },
      { start: "rfm/champions", endSegments: ["rfm/at-risk"], inStoreData: true, customers: 2 },
      { start: "rfm/champions", endSegments: [], inStoreData: false, customers: 1 },
      { start: "rfm/loyal", endSegments: [], inStoreData: true, customers: 4 },
    ]);
    expect(matrix.columns).toEqual([...segments, "none", "left"]);
    expect(matrix.counts).toEqual([
      [3, 0, 2, 0, 1],
      [0, 0, 0, 4, 0],
      [0, 0, 0, 0, 0],
    ]);
  });
});

describe("alerts", () => {
  const row = (day: string, segment: string, size: number): SnapshotRow => ({
    day,
    segment,
    size,
    entries: 0,
    exits: 0,
    orders: 0,
    revenueMinor: 0,
    buyers: 0,
    repeatMembers: 0,
  });

  it("a segment that grew 35 % in a week raises an alert; small or steady ones do not", () => {
    const alerts = segmentAlerts(
      [
        row("2026-11-24", "loyalty/at-risk", 100),
        row("2026-12-01", "loyalty/at-risk", 135),
        row("2026-11-24", "rfm/loyal", 100),
        row("2026-12-01", "rfm/loyal", 110),
        row("2026-11-24", "rfm/new", 4),
        row("2026-12-01", "rfm/new", 12),
      ],
      { threshold: 0.25, minSize: 20, windowDays: 7 },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ segment: "loyalty/at-risk", direction: "grew" });
    expect(alerts[0].change).toBeCloseTo(0.35, 10);
  });

  it("the week's biggest movements: by the size's change, then by entries and exits; the still ones left out", () => {
    const summary = (segment: string, sizeWeekAgo: number | null, size: number, entries: number, exits: number) => ({
      segment,
      size,
      sizeWeekAgo,
      entries,
      exits,
      orders: 0,
      revenueMinor: 0,
    });
    const moved = biggestMovements(
      [
        summary("rfm/loyal", 100, 110, 12, 2),
        summary("rfm/new", 10, 30, 20, 0),
        summary("rfm/lost", 50, 50, 0, 0),
        // Same size, customers swapped: a movement, ranked after any change of size.
        summary("rfm/active", 40, 40, 7, 7),
        // First seen this week: no size a week ago, so its change counts as none.
        summary("rfm/promising", null, 9, 9, 0),
        summary("rfm/champions", 60, 50, 1, 11),
      ],
      4,
    );
    // loyal and champions both changed by 10: loyal had more entries and exits (14 against 12).
    expect(moved.map((m) => m.segment)).toEqual(["rfm/new", "rfm/loyal", "rfm/champions", "rfm/active"]);
  });
});
