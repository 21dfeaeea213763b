// A generated store lived day by day, for the insights tests and demo: each
// day its customers order (seeded, so every run is the same), then the real
// engine segments the shop and the memberships store writes the differences
// with their transitions, as a recompute does. Hooks let a caller take
// snapshots, or run a discount, at the moments the app would.
import type { PrismaClient } from "@prisma/client";
import { addDays, dayStart } from "../../app/insights/core";
import { assignTable, computeFeatureTable, fitShop, parseSettings, type EngineOrder } from "../../app/segmentation";
import {
  replaceMembershipsInRange,
  saveShopCutoffs,
  type CustomerMemberships,
  storedMemberships,
} from "../../app/stores/memberships.server";
import { withPgClient } from "../../app/stores/pg/pool.server";
import { seededRandom } from "../../app/utils/seeded-random";

const HOUR = 3_600_000;

type Kind = "steady" | "fading" | "newcomer" | "rare";

interface GeneratedCustomer {
  id: bigint;
  kind: Kind;
  /** Orders per day while active. */
  rate: number;
  /** Day index (0 = first live day) from which the customer orders (newcomers) or stops (fading). */
  turn: number;
}

export interface HistoryOptions {
  shopId: string;
  timeZone: string;
  /** The first live day (shop-local); a year of orders comes before it. */
  firstDay: string;
  days: number;
  customers: number;
  seed?: number;
  /** Hooks, awaited in this order for each live day. */
  beforeDay?(day: string, index: number): Promise<void>;
  /** After the day's recompute (21:00 local), with the moment it ran. */
  afterRecompute?(day: string, at: Date): Promise<void>;
  /** Just after the next midnight (00:10 local). */
  afterMidnight?(day: string, at: Date): Promise<void>;
  /** Multiplies a customer's order rate on a live day (a discount's effect); 1 by default. */
  rateMultiplier?(customerId: bigint, day: string): number;
  /** The discount an order of this customer carries on a live day, in minor units, or 0. */
  discountOn?(customerId: bigint, day: string, totalMinor: number): number;
}

let nextOrderId = 1_000_000n;

/** Lives through the store's days; returns the customers' ids. */
export async function generateHistory(db: PrismaClient, options: HistoryOptions): Promise<bigint[]> {
  const next = seededRandom(options.seed ?? 16);
  const kinds: Kind[] = ["steady", "fading", "newcomer", "rare"];
  const customers: GeneratedCustomer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const kind = kinds[Math.floor(next() * kinds.length)];
    customers.push({
      id: BigInt(5_000 + i),
      kind,
      rate: kind === "rare" ? 0.004 : 0.01 + next() * 0.04,
      turn: Math.floor(next() * options.days),
    });
  }
  await db.customer.createMany({ data: customers.map((c) => ({ shopId: options.shopId, id: c.id })) });
  const settings = parseSettings({ timeZone: options.timeZone, currencyDecimals: 2 });
  const orders: EngineOrder[] = [];
  const active = (c: GeneratedCustomer, index: number) =>
    c.kind === "newcomer" ? index >= c.turn : c.kind === "fading" ? index < c.turn : true;
  const orderDay = async (day: string, index: number, live: boolean) => {
    const start = dayStart(day, options.timeZone).getTime();
    const rows = [];
    for (const c of customers) {
      const multiplier = live ? (options.rateMultiplier?.(c.id, day) ?? 1) : 1;
      if (!active(c, index) || next() >= c.rate * multiplier) continue;
      const processedAt = start + (9 + next() * 11) * HOUR;
      const totalMinor = 1_000 + Math.floor(next() * 9_000);
      const discountMinor = live ? (options.discountOn?.(c.id, day, totalMinor) ?? 0) : 0;
      const id = nextOrderId++;
      orders.push({ id: String(id), customerId: String(c.id), processedAt, totalMinor });
      rows.push({
        shopId: options.shopId,
        id,
        customerId: c.id,
        processedAt: new Date(processedAt),
        shopifyUpdatedAt: new Date(processedAt),
        currency: "GBP",
        totalMinor: BigInt(totalMinor),
        discountMinor: BigInt(discountMinor),
      });
    }
    if (rows.length) await db.order.createMany({ data: rows });
  };
  const recompute = async (at: Date, first: boolean) => {
    const table = computeFeatureTable(
      orders.filter((o) => o.processedAt < at.getTime()),
      { timeZone: options.timeZone },
    );
    const cutoffs = fitShop(table, settings, at);
    const nextMemberships: CustomerMemberships[] = [];
    assignTable(table, cutoffs, settings, at, (a) => nextMemberships.push(storedMemberships(a)));
    await withPgClient((client) => saveShopCutoffs(client, options.shopId, cutoffs, at));
    await withPgClient((client) =>
      replaceMembershipsInRange(client, {
        shopId: options.shopId,
        fromId: "0",
        toId: "9223372036854775807",
        next: nextMemberships,
        at,
        computedAt: at,
        asOf: at,
        recordTransitions: !first,
      }),
    );
  };
  // A year before the first live day, segmented once at its end (a first recompute records no transitions).
  for (let d = -365; d < 0; d++) await orderDay(addDays(options.firstDay, d), d, false);
  await recompute(dayStart(options.firstDay, options.timeZone), true);
  for (let index = 0; index < options.days; index++) {
    const day = addDays(options.firstDay, index);
    await options.beforeDay?.(day, index);
    await orderDay(day, index, true);
    const at = new Date(dayStart(day, options.timeZone).getTime() + 21 * HOUR);
    await recompute(at, false);
    await options.afterRecompute?.(day, at);
    await options.afterMidnight?.(day, new Date(dayStart(addDays(day, 1), options.timeZone).getTime() + HOUR / 6));
  }
  return customers.map((c) => c.id);
}
