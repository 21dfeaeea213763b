// The 11 RFM groups of Shopify admin, as ranges of the recency score R and
// FM = (F + M) / 2. Every (R, FM) pair falls in exactly one row; customers
// without orders are "prospects". Documented in README.md.

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
