// rfm: recency, frequency, monetary. Scores 1-5 against quintile edges of the
// shop's customers with orders (fitted here), and the 11 groups of Shopify
// admin as ranges of R and FM = (F + M) / 2. Every (R, FM) pair falls in
// exactly one group; customers without orders are "prospects".
import { isoOfDay } from "../features/clock";
import { isBuyer, type ShopColumns } from "../features/columns";
import { type QuantileEdges, QUINTILES, quantileEdgesOf, scoreAgainst } from "../math/quantiles";
import { addMembership, catalogEntry, type CatalogContext, countOf, type FamilyModule, fmt, plain } from "./family";

export interface RfmGroupDefinition {
  handle: string;
  title: string;
  description: string;
  /** Each range: R from..to and FM from..to, inclusive. */
  ranges: { r: [number, number]; fm: [number, number] }[];
}

export const RFM_GROUPS: RfmGroupDefinition[] = [
  {
    handle: "champions",
    title: "Champions",
    description: "Very recent purchases, many orders, the most spend",
    ranges: [{ r: [5, 5], fm: [4, 5] }],
  },
  {
    handle: "loyal",
    title: "Loyal",
    description: "Recent purchases, many orders, high spend",
    ranges: [{ r: [3, 4], fm: [4, 5] }],
  },
  {
    handle: "active",
    title: "Active",
    description: "Recent purchases, some orders, moderate spend",
    ranges: [{ r: [4, 5], fm: [2, 3.5] }],
  },
  {
    handle: "needs-attention",
    title: "Needs attention",
    description: "Fairly recent purchases, some orders, moderate spend",
    ranges: [{ r: [3, 3], fm: [2.5, 3.5] }],
  },
  {
    handle: "promising",
    title: "Promising",
    description: "Recent purchases, few orders, low spend",
    ranges: [
      { r: [4, 4], fm: [1, 1.5] },
      { r: [3, 3], fm: [1, 2] },
    ],
  },
  {
    handle: "new",
    title: "New",
    description: "Very recent purchases, few orders, low spend",
    ranges: [{ r: [5, 5], fm: [1, 1.5] }],
  },
  {
    handle: "at-risk",
    title: "At risk",
    description: "No recent purchases, but a strong history of orders and spend",
    ranges: [{ r: [1, 2], fm: [3, 4] }],
  },
  {
    handle: "almost-lost",
    title: "Almost lost",
    description: "No recent purchases, fewer orders, lower spend",
    ranges: [{ r: [2, 2], fm: [1, 2.5] }],
  },
  {
    handle: "previously-loyal",
    title: "Previously loyal",
    description: "No recent purchases, but a very strong history of orders and spend",
    ranges: [{ r: [1, 2], fm: [4.5, 5] }],
  },
  {
    handle: "dormant",
    title: "Dormant",
    description: "No recent orders, infrequent orders, low spend",
    ranges: [{ r: [1, 1], fm: [1, 2.5] }],
  },
  {
    handle: "prospects",
    title: "Prospects",
    description: "Customers with no orders yet",
    ranges: [],
  },
];

export function rfmGroupOf(r: number, f: number, m: number): RfmGroupDefinition {
  const fm = (f + m) / 2;
  for (const g of RFM_GROUPS) {
    for (const range of g.ranges) {
      if (r >= range.r[0] && r <= range.r[1] && fm >= range.fm[0] && fm <= range.fm[1]) return g;
    }
  }
  throw new Error(`no RFM group for R ${r}, FM ${fm}`);
}

/** Quintile edges on the last-order day (recency), order count and total spent; empty without buyers. */
export interface RfmCutoffs {
  recency: QuantileEdges;
  frequency: QuantileEdges;
  monetary: QuantileEdges;
}

/** The fit step: quintile edges over customers with at least one order. */
export function fitRfm(c: ShopColumns): { edges: RfmCutoffs; buyers: number } {
  const lastDays = new Float64Array(c.n);
  const freq = new Float64Array(c.n);
  const money = new Float64Array(c.n);
  let buyers = 0;
  for (let i = 0; i < c.n; i++) {
    if (!isBuyer(c, i)) continue;
    lastDays[buyers] = c.days[c.dayOffsets[i + 1] - 1];
    freq[buyers] = c.orders[i];
    money[buyers++] = c.totalSpent[i];
  }
  const ofBuyers = (a: Float64Array) => a.subarray(0, buyers);
  return {
    edges: {
      recency: quantileEdgesOf(ofBuyers(lastDays), QUINTILES),
      frequency: quantileEdgesOf(ofBuyers(freq), QUINTILES),
      monetary: quantileEdgesOf(ofBuyers(money), QUINTILES),
    },
    buyers,
  };
}

export const rfmFamily: FamilyModule = {
  family: "rfm",
  catalog: (ctx) => RFM_GROUPS.map((g) => catalogEntry("rfm", g.handle, g.title, g.description, definition(g, ctx))),
  prepare({ cutoffs, money }) {
    const { recency, frequency, monetary } = cutoffs.rfm;
    // "R r F f M m (FM x): last order " once per score combination (quintile scores are 1 to 5), not per customer.
    const write = (r: number, f: number, m: number) => `R ${r} F ${f} M ${m} (FM ${fmt((f + m) / 2)}): last order `;
    const scoreTexts = new Array<string | undefined>(8 * 8 * 8).fill(undefined);
    const scoreText = (r: number, f: number, m: number) =>
      r < 8 && f < 8 && m < 8 ? (scoreTexts[(r * 8 + f) * 8 + m] ??= write(r, f, m)) : write(r, f, m);
    return (cf, d, out) => {
      const orders = cf.orders;
      if (orders === 0 || d.lastOrderDate === null) {
        addMembership(out, "rfm", "prospects", "no orders yet");
        return;
      }
      const spent = cf.totalSpentMinor;
      const r = scoreAgainst(d.lastOrderDate, recency);
      const f = scoreAgainst(orders, frequency);
      const m = scoreAgainst(spent, monetary);
      out.scores = { recency: r, frequency: f, monetary: m };
      d.recencyScore = r;
      d.frequencyScore = f;
      d.monetaryScore = m;
      const g = rfmGroupOf(r, f, m);
      addMembership(
        out,
        "rfm",
        g.handle,
        out.withReasons
          ? `${scoreText(r, f, m)}${countOf(d.recencyDays!, "day")} ago, ${countOf(orders, "order")}, ${money(spent)} spent`
          : "",
      );
    };
  },
};

function definition(g: RfmGroupDefinition, ctx: CatalogContext): string {
  if (g.ranges.length === 0) return "No orders yet";
  const edges = ctx.cutoffs?.rfm;
  const fitted = edges && edges.recency.values.length === 4;
  const ranges = g.ranges
    .map(
      ({ r, fm }) =>
        `${scoreRange("R", r)}${fitted ? ` (${recencyWords(edges.recency, r)})` : ""} and ${scoreRange("FM", fm)}`,
    )
    .join(", or ");
  if (!fitted) {
    return `${ranges}. Scores 1-5 split the shop's customers with orders in fifths: R by last order date, F by orders, M by spend; FM = (F + M) / 2`;
  }
  const starts = (e: QuantileEdges, show: (v: number) => string) =>
    [2, 3, 4, 5].map((s) => `${s} from ${show(minimumForScore(e, s))}`).join(", ");
  return `${ranges}; FM = (F + M) / 2 with F ${starts(edges.frequency, String)} orders and M ${starts(edges.monetary, ctx.money)} spent (fifths of the ${ctx.cutoffs?.customersWithOrders} customers with orders)`;
}

function scoreRange(name: string, [lo, hi]: [number, number]): string {
  return lo === hi ? `${name} ${plain(lo)}` : `${name} ${plain(lo)} to ${plain(hi)}`;
}

/** Smallest whole number (days, orders, minor units) that scores at least s against the edges. */
export function minimumForScore(edges: QuantileEdges, s: number): number {
  const k = s - 2;
  return edges.values[k] + (edges.tiesAbove[k] ? 0 : 1);
}

function recencyWords(edges: QuantileEdges, [lo, hi]: [number, number]): string {
  const from = lo > 1 ? isoOfDay(minimumForScore(edges, lo)) : null;
  const to = hi < 5 ? isoOfDay(minimumForScore(edges, hi + 1) - 1) : null;
  if (from && to) return `last order from ${from} to ${to}`;
  if (from) return `last order on or after ${from}`;
  if (to) return `last order on or before ${to}`;
  return "any last order date";
}
