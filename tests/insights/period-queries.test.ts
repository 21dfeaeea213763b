// The insights page's period queries (movement, cohort outcomes, cohort
// histories) and the day's snapshot split the shop's customers into those
// whose memberships moved after the period's start (or the snapshot's
// moment) and those who kept them (ADR 055). Checked here
// against a plain oracle: every customer's memberships at a moment rebuilt
// one by one from the stored memberships and transitions (ADR 032's rule),
// and their orders counted in JavaScript, over periods that start before,
// during and after the store's transitions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { addDays, dayEnd, dayStart, daysBetween, localDay } from "../../app/insights/core";
import { cohortHistories, cohortOutcomes, movementGroups, segmentDay } from "../../app/stores/insights.server";
import { generateHistory } from "../../scripts/lib/insights-history";

const domain = "period-queries.myshopify.com";
const timeZone = "America/New_York";
const firstDay = "2026-02-24"; // New York moves to summer time on 2026-03-08, inside the history
const days = 16;
const CHURN = new Set(["loyalty/lapsed", "predictive/churn-risk"]);
let shopId = "";

interface Stored {
  current: Map<string, Set<string>>;
  transitions: Array<{ c: string; s: string; change: string; at: Date }>;
  /** Live orders by customer, with their shop-local days. */
  orders: Map<string, Array<{ at: Date; day: string; total: number }>>;
}

function byCustomer(orders: Array<{ c: string; at: Date; total: number }>): Stored["orders"] {
  const out: Stored["orders"] = new Map();
  for (const o of orders) {
    const list = out.get(o.c) ?? [];
    list.push({ at: o.at, day: localDay(o.at, timeZone), total: o.total });
    out.set(o.c, list);
  }
  return out;
}

async function stored(): Promise<Stored> {
  const members = await prisma.segmentMembership.findMany({ where: { shopId } });
  const transitions = await prisma.segmentTransition.findMany({
    where: { shopId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  const orders = await prisma.order.findMany({
    where: { shopId, customerId: { not: null }, cancelledAt: null, fullyRefunded: false },
  });
  return {
    current: new Map(members.map((m) => [String(m.customerId), new Set(m.segments)])),
    transitions: transitions.map((t) => ({ c: String(t.customerId), s: t.segment, change: t.change, at: t.at })),
    orders: byCustomer(
      orders.map((o) => ({ c: String(o.customerId), at: o.processedAt, total: Number(o.totalMinor) })),
    ),
  };
}

/** Each customer's segments at `at`: the current ones, with the first transition at or after `at` undone. */
function membersAt(data: Stored, at: Date): Map<string, Set<string>> {
  const out = new Map([...data.current].map(([c, s]) => [c, new Set(s)]));
  const seen = new Set<string>();
  for (const t of data.transitions) {
    if (t.at < at || seen.has(`${t.c} ${t.s}`)) continue;
    seen.add(`${t.c} ${t.s}`);
    const set = out.get(t.c) ?? new Set<string>();
    if (t.change === "left") set.add(t.s);
    else set.delete(t.s);
    out.set(t.c, set);
  }
  for (const [c, set] of out) if (set.size === 0) out.delete(c);
  return out;
}

const inFamily = (family: string) => (s: string) => s.startsWith(`${family}/`);
const sortedKeys = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();

function expectedMovement(data: Stored, family: string, startAt: Date, endAt: Date) {
  const start = membersAt(data, startAt);
  const end = membersAt(data, endAt);
  const groups = new Map<string, { start: string; endSegments: string[]; inStoreData: boolean; customers: number }>();
  for (const [c, segments] of start) {
    const ends = [...(end.get(c) ?? [])].filter(inFamily(family)).sort();
    for (const s of [...segments].filter(inFamily(family))) {
      const key = JSON.stringify([s, ends, end.has(c)]);
      const group = groups.get(key) ?? { start: s, endSegments: ends, inStoreData: end.has(c), customers: 0 };
      group.customers++;
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

function expectedOutcomes(data: Stored, family: string, startAt: Date, endAt: Date) {
  const start = membersAt(data, startAt);
  const end = membersAt(data, endAt);
  const bySegment = new Map<
    string,
    { members: number; buyers: number; orders: number; revenue: number; days: number; churned: number }
  >();
  for (const [c, segments] of start) {
    const mine = (data.orders.get(c) ?? []).filter((o) => o.at >= startAt && o.at < endAt);
    const churnStart = [...segments].filter((s) => CHURN.has(s));
    const churnEnd = [...(end.get(c) ?? [])].filter((s) => CHURN.has(s));
    const churned = churnEnd.length > 0 && !churnEnd.every((s) => churnStart.includes(s));
    for (const s of [...segments].filter(inFamily(family))) {
      const row = bySegment.get(s) ?? { members: 0, buyers: 0, orders: 0, revenue: 0, days: 0, churned: 0 };
      row.members++;
      if (mine.length) row.buyers++;
      row.orders += mine.length;
      row.revenue += mine.reduce((n, o) => n + o.total, 0);
      row.days += new Set(mine.map((o) => o.day)).size;
      if (churned) row.churned++;
      bySegment.set(s, row);
    }
  }
  return [...bySegment].map(([segment, r]) => ({
    segment,
    members: r.members,
    buyers: r.buyers,
    orders: r.orders,
    revenueMinor: r.revenue,
    churned: r.churned,
    purchaseDays: r.days,
  }));
}

function expectedHistories(data: Stored, family: string, startDay: string, endAt: Date) {
  const startAt = dayStart(startDay, timeZone);
  const start = membersAt(data, startAt);
  const groups = new Map<
    string,
    { segment: string; x: number; tx: number; t: number; customers: number; actual: number }
  >();
  for (const [c, segments] of start) {
    const dates = new Set((data.orders.get(c) ?? []).filter((o) => o.at < endAt).map((o) => o.day));
    const before = [...dates].filter((d) => d < startDay).sort();
    if (before.length === 0) continue;
    const x = before.length - 1;
    const tx = daysBetween(before[0], before[before.length - 1]);
    const t = daysBetween(before[0], startDay);
    const actual = dates.size - before.length;
    for (const s of [...segments].filter(inFamily(family))) {
      const key = `${s} ${x} ${tx} ${t}`;
      const group = groups.get(key) ?? { segment: s, x, tx, t, customers: 0, actual: 0 };
      group.customers++;
      group.actual += actual;
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

function expectedDay(data: Stored, dayStartAt: Date, asOf: Date) {
  const bySegment = new Map<
    string,
    { size: number; entries: number; exits: number; orders: number; revenue: number; buyers: number; repeaters: number }
  >();
  const row = (s: string) => {
    const r = bySegment.get(s) ?? { size: 0, entries: 0, exits: 0, orders: 0, revenue: 0, buyers: 0, repeaters: 0 };
    bySegment.set(s, r);
    return r;
  };
  for (const t of data.transitions) {
    if (t.at < dayStartAt || t.at >= asOf) continue;
    row(t.s)[t.change === "entered" ? "entries" : "exits"]++;
  }
  for (const [c, segments] of membersAt(data, asOf)) {
    const before = (data.orders.get(c) ?? []).filter((o) => o.at < asOf);
    const day = before.filter((o) => o.at >= dayStartAt);
    for (const s of segments) {
      const r = row(s);
      r.size++;
      r.orders += day.length;
      r.revenue += day.reduce((n, o) => n + o.total, 0);
      if (day.length) r.buyers++;
      if (before.length >= 2) r.repeaters++;
    }
  }
  return [...bySegment]
    .map(([segment, r]) => ({
      segment,
      size: r.size,
      entries: r.entries,
      exits: r.exits,
      orders: r.orders,
      revenueMinor: r.revenue,
      buyers: r.buyers,
      repeatMembers: r.repeaters,
    }))
    .sort((a, b) => (a.segment < b.segment ? -1 : 1));
}

beforeAll(async () => {
  const shop = await prisma.shop.create({ data: { domain, timezone: timeZone, currency: "USD" } });
  shopId = shop.id;
  await generateHistory(prisma, { shopId, timeZone, firstDay, days, customers: 240, seed: 7 });
}, 240_000);

afterAll(async () => {
  await prisma.$disconnect();
});

describe("period queries", () => {
  it("equal the customer-by-customer rebuild, for periods before, across and after the transitions", async () => {
    const data = await stored();
    // The history moved customers on several days, and some never moved.
    const movedDays = new Set(data.transitions.map((t) => localDay(t.at, timeZone)));
    expect(movedDays.size).toBeGreaterThan(5);
    const everMoved = new Set(data.transitions.map((t) => t.c));
    expect([...data.current.keys()].filter((c) => !everMoved.has(c)).length).toBeGreaterThan(10);
    const lastDay = addDays(firstDay, days - 1);
    const periods: Array<[string, Date]> = [
      [addDays(firstDay, -3), dayEnd(addDays(firstDay, 4), timeZone)], // starts before any transition
      [addDays(firstDay, 5), dayEnd(addDays(firstDay, 9), timeZone)], // both ends inside the history
      [addDays(firstDay, 2), dayEnd(addDays(lastDay, 1), timeZone)], // ends after the last recompute
      [addDays(lastDay, 1), dayEnd(addDays(lastDay, 3), timeZone)], // nobody moved since its start
    ];
    const families = [...new Set([...data.current.values()].flatMap((s) => [...s].map((k) => k.split("/")[0])))];
    expect(families).toEqual(expect.arrayContaining(["rfm", "loyalty", "usage"]));
    let moving = 0;
    for (const [startDay, endAt] of periods) {
      const startAt = dayStart(startDay, timeZone);
      for (const family of families) {
        const movement = await movementGroups(prisma, { shopId, family, startAt, endAt });
        const normalised = movement.map((g) => ({ ...g, endSegments: [...g.endSegments].sort() }));
        const expected = expectedMovement(data, family, startAt, endAt);
        expect(sortedKeys(normalised)).toEqual(sortedKeys(expected));
        moving += expected.filter((g) => g.endSegments.length !== 1 || g.endSegments[0] !== g.start).length;

        const outcomes = await cohortOutcomes(prisma, { shopId, family, startAt, endAt, timeZone });
        expect(outcomes).toEqual(
          expectedOutcomes(data, family, startAt, endAt).sort((a, b) => (a.segment < b.segment ? -1 : 1)),
        );

        const histories = await cohortHistories(prisma, { shopId, family, startAt, endAt, timeZone, startDay });
        expect(sortedKeys(histories)).toEqual(sortedKeys(expectedHistories(data, family, startDay, endAt)));
      }
    }
    // Customers did change segments within the periods checked (the moved side was exercised).
    expect(moving).toBeGreaterThan(10);
  }, 120_000);

  it("the day's snapshot equals the customer-by-customer rebuild, as of now and as of days inside the history", async () => {
    const data = await stored();
    const lastDay = addDays(firstDay, days - 1);
    const moments = [2, 6, 11].map(
      (i) => new Date(dayStart(addDays(firstDay, i), timeZone).getTime() + 22 * 3_600_000),
    );
    moments.push(dayEnd(addDays(lastDay, 1), timeZone));
    let moved = 0;
    for (const asOf of moments) {
      const dayStartAt = dayStart(localDay(asOf, timeZone), timeZone);
      const rows = await segmentDay(prisma, { shopId, dayStartAt, asOf });
      const expected = expectedDay(data, dayStartAt, asOf);
      expect([...rows].sort((a, b) => (a.segment < b.segment ? -1 : 1))).toEqual(expected);
      moved += expected.reduce((n, r) => n + r.entries + r.exits, 0);
    }
    // Entries and exits on the days checked: the moved side was exercised.
    expect(moved).toBeGreaterThan(10);
  });
});
