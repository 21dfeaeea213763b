// Segment list and segment detail: definition with thresholds, size and its
// trend, average order value, orders per customer, share of revenue, members
// (one keyset page at a time, names fetched from Shopify at view time and
// never stored), tag/metafield/mirror status, and the CSV export streamed
// one page of members at a time.
import type { PrismaClient } from "@prisma/client";
import { CUSTOMER_NAMES } from "../graphql/admin/customer-lookup.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { segmentMembersPage, transitionsByDay, type MemberRow, type SegmentTotals } from "../stores/admin-reads.server";
import { readListedCustomers, type LiveOrderFigures } from "../recompute/read-features.server";
import { reasonsFromFeatures } from "../recompute/reasons-when-read.server";
import { withPgClient, type PgClient } from "../stores/pg/pool.server";
import { segmentMirrors } from "../stores/writeback-state.server";
import { logger } from "../utils/logger.server";
import {
  adminCustomerUrl,
  type AdminShop,
  loadAdminShop,
  majorUnits,
  notFound,
  requireAdminShop,
  segmentParam,
} from "./shop-context.server";
import { shopFigures } from "./shop-figures.server";

export interface SegmentSummary {
  key: string;
  family: string;
  title: string;
  customers: number;
  averageOrderValue: number | null;
  ordersPerCustomer: number | null;
  shareOfRevenue: number;
  tag: string | null;
}

export interface SegmentList {
  currency: string;
  segments: SegmentSummary[];
  /** When the counts and totals were computed (ISO), for a big shop's stored figures (ADR 054); null: now. */
  figuresAsOf: string | null;
}

function summaries(
  catalog: Array<{ key: string; family: string; title: string }>,
  totals: SegmentTotals[],
  revenueMinor: number,
  decimals: number,
  tags: Map<string, string>,
): SegmentSummary[] {
  const byKey = new Map(totals.map((row) => [row.segment, row]));
  return catalog.map((entry) => {
    const row = byKey.get(entry.key);
    const customers = row?.customers ?? 0;
    return {
      key: entry.key,
      family: entry.family,
      title: entry.title,
      customers,
      averageOrderValue: row && row.orders > 0 ? majorUnits(row.revenueMinor / row.orders, decimals) : null,
      ordersPerCustomer: customers > 0 ? (row?.orders ?? 0) / customers : null,
      shareOfRevenue: revenueMinor > 0 ? (row?.revenueMinor ?? 0) / revenueMinor : 0,
      tag: tags.get(entry.key) ?? null,
    };
  });
}

export async function loadSegmentList(db: PrismaClient, domain: string): Promise<SegmentList> {
  const admin = await withPgClient((client) => loadAdminShop(db, client, domain));
  if (!admin) return { currency: "USD", segments: [], figuresAsOf: null };
  const { segments: totals, shop, asOf } = await shopFigures(db, { id: admin.shop.id, domain }, "totals");
  return {
    figuresAsOf: asOf?.toISOString() ?? null,
    currency: admin.shop.currency,
    segments: summaries(
      admin.catalog,
      totals,
      shop.revenueMinor,
      admin.config.segmentation.currencyDecimals,
      admin.config.enabledTags,
    ),
  };
}

export interface SegmentMember {
  customerId: string;
  name: string | null;
  adminUrl: string;
  reason: string;
  since: string;
  orders: number;
  spent: number;
}

export interface SegmentDetail {
  shop: string;
  currency: string;
  segment: SegmentSummary & {
    description: string;
    definition: string;
    model: { status: string; reason: string } | null;
  };
  trend: { entered: number; left: number };
  writeback: {
    tag: string | null;
    enabled: boolean;
    metafields: boolean;
    mirror: { name: string; query: string } | null;
  };
  members: SegmentMember[];
  /** Keyset cursor of the next page (the last customer id shown), or null on the last page. */
  nextAfter: string | null;
  after: string | null;
  rfmCell: { r: number; fm: number } | null;
  /** Whether customer names could be fetched from Shopify for this page. */
  namesAvailable: boolean;
  /** When the segment's count and totals were computed (ISO), for a big shop's stored figures (ADR 054); null: now. */
  figuresAsOf: string | null;
}

const MEMBERS_PAGE_SIZE = 25;

/** `?after=` (a customer id) and `?r=&fm=` (an RFM cell) from the URL; malformed values are a 404. */
export function membersQuery(url: URL): { after: string | null; rfmCell: { r: number; fm: number } | null } {
  const after = url.searchParams.get("after");
  if (after !== null && !/^[0-9]{1,19}$/.test(after)) notFound();
  const r = url.searchParams.get("r");
  const fm = url.searchParams.get("fm");
  let rfmCell: { r: number; fm: number } | null = null;
  if (r !== null || fm !== null) {
    const rv = Number(r);
    const fmv = Number(fm);
    if (!Number.isInteger(rv) || rv < 1 || rv > 5 || !Number.isInteger(fmv * 2) || fmv < 1 || fmv > 5) notFound();
    rfmCell = { r: rv, fm: fmv };
  }
  return { after, rfmCell };
}

/** Display names by customer id, from the Admin API; an empty map (and a logged warning) when Shopify cannot answer. */
export async function customerNames(api: AdminApi, ids: string[]): Promise<Map<string, string> | null> {
  if (ids.length === 0) return new Map();
  try {
    const data = await api.request(CUSTOMER_NAMES, { ids: ids.map((id) => `gid://shopify/Customer/${id}`) });
    const names = new Map<string, string>();
    for (const node of data.nodes) {
      if (node && "displayName" in node && node.id) names.set(node.id.split("/").pop()!, node.displayName);
    }
    return names;
  } catch (error) {
    logger.warn({ error: (error as Error).message }, "customer names unavailable");
    return null;
  }
}

export async function loadSegmentDetail(
  db: PrismaClient,
  api: AdminApi,
  domain: string,
  params: { family?: string; handle?: string },
  query: { after: string | null; rfmCell: { r: number; fm: number } | null },
  now = new Date(),
): Promise<SegmentDetail> {
  const admin = await withPgClient((client) => requireAdminShop(db, client, domain));
  const entry = segmentParam(admin, params.family, params.handle);
  if (query.rfmCell && entry.family !== "rfm") notFound();
  const shopId = admin.shop.id;
  // Side by side, each scan on a connection of its own (one client runs its queries one after another); the members'
  // names are asked of Shopify as soon as their page is read, while the totals are still being summed.
  const membersAndNames = withPgClient((client) =>
    segmentMembersPage(client, shopId, entry.key, {
      afterId: query.after,
      limit: MEMBERS_PAGE_SIZE + 1,
      rfmCell: query.rfmCell ?? undefined,
    }),
  ).then(async (page) => {
    const listed = page.slice(0, MEMBERS_PAGE_SIZE);
    const [shown, names] = await Promise.all([
      withPgClient((client) => explainMembers(client, admin, entry.key, listed)),
      customerNames(
        api,
        listed.map((m) => m.customerId),
      ),
    ]);
    return { page, shown, names };
  });
  const [{ segments: totals, shop, asOf }, transitions, mirrors, { page, shown, names }] = await Promise.all([
    shopFigures(db, { id: shopId, domain }, "totals"),
    withPgClient((client) => transitionsByDay(client, shopId, new Date(now.getTime() - 30 * 86_400_000))),
    segmentMirrors(db, shopId),
    membersAndNames,
  ]);
  const decimals = admin.config.segmentation.currencyDecimals;
  const [summary] = summaries([entry], totals, shop.revenueMinor, decimals, admin.config.tags);
  const mine = transitions.filter((t) => t.segment === entry.key);
  const mirror = mirrors.find((m) => m.segment === entry.key);
  return {
    shop: domain,
    currency: admin.shop.currency,
    segment: {
      ...summary,
      description: entry.description,
      definition: entry.definition,
      model: entry.model ? { status: entry.model.status, reason: entry.model.reason } : null,
    },
    trend: {
      entered: mine.reduce((sum, t) => sum + t.entered, 0),
      left: mine.reduce((sum, t) => sum + t.left, 0),
    },
    writeback: {
      tag: admin.config.tags.get(entry.key) ?? null,
      enabled: admin.config.enabledTags.has(entry.key),
      metafields: admin.config.writeback.metafields,
      mirror: mirror ? { name: mirror.name, query: mirror.query } : null,
    },
    members: shown.map((m) => member(m, names, domain, decimals)),
    nextAfter: page.length > MEMBERS_PAGE_SIZE ? shown[shown.length - 1].customerId : null,
    after: query.after,
    rfmCell: query.rfmCell,
    namesAvailable: names !== null,
    figuresAsOf: asOf?.toISOString() ?? null,
  };
}

/** A member as the segment page and the CSV list it: its row, its live order figures and its reason. */
type ExplainedMember = MemberRow & LiveOrderFigures & { reason: string };

const NO_ORDERS: LiveOrderFigures = { orders: 0, spentMinor: 0, firstOrderAt: null, lastOrderAt: null };

/**
 * Members with their order figures and their reasons, from one read of their
 * orders: the reasons written out when read (ADR 060) by the assigner, as of
 * the instant each row was computed (REASON_PENDING for a member the
 * assignment no longer puts in the segment: its orders changed and its
 * re-segmentation is still to come).
 */
async function explainMembers(
  client: PgClient,
  admin: AdminShop,
  segment: string,
  members: MemberRow[],
): Promise<ExplainedMember[]> {
  if (members.length === 0) return [];
  const { segmentation } = admin.config;
  const { table, figures } = await readListedCustomers(
    client,
    admin.shop.id,
    segmentation.timeZone,
    members.map((m) => m.customerId),
  );
  const reasons = reasonsFromFeatures(
    table,
    segmentation,
    admin.model,
    members.map((m) => ({ customerId: m.customerId, segments: [segment], asOf: m.asOf })),
  );
  return members.map((m) => ({
    ...m,
    ...(figures.get(m.customerId) ?? NO_ORDERS),
    reason: reasons.get(m.customerId)![0],
  }));
}

function member(
  m: ExplainedMember,
  names: Map<string, string> | null,
  domain: string,
  decimals: number,
): SegmentMember {
  return {
    customerId: m.customerId,
    name: names?.get(m.customerId) ?? null,
    adminUrl: adminCustomerUrl(domain, m.customerId),
    reason: m.reason,
    since: new Date(m.sinceDay * 86_400_000).toISOString().slice(0, 10),
    orders: m.orders,
    spent: majorUnits(m.spentMinor, decimals),
  };
}

const CSV_PAGE = 2_000;
const CSV_COLUMNS = [
  "customer_id",
  "segment",
  "reason",
  "member_since",
  "orders",
  "total_spent",
  "average_order_value",
  "first_order_at",
  "last_order_at",
];

function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The segment's members as CSV (features and reasons; no names: the app does
 * not store them), read in keyset pages of CSV_PAGE and streamed: at most one
 * page is in memory whatever the segment's size.
 */
export async function segmentCsv(
  db: PrismaClient,
  domain: string,
  params: { family?: string; handle?: string },
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { admin, entry } = await withPgClient(async (client) => {
    const found = await requireAdminShop(db, client, domain);
    return { admin: found, entry: segmentParam(found, params.family, params.handle) };
  });
  const decimals = admin.config.segmentation.currencyDecimals;
  const encoder = new TextEncoder();
  let after: string | null = null;
  let header = true;
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (header) {
        header = false;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
        return;
      }
      const page = await withPgClient(async (client) =>
        explainMembers(
          client,
          admin,
          entry.key,
          await segmentMembersPage(client, admin.shop.id, entry.key, { afterId: after, limit: CSV_PAGE }),
        ),
      );
      if (page.length === 0) {
        done = true;
        controller.close();
        return;
      }
      after = page[page.length - 1].customerId;
      const lines = page.map((m) =>
        [
          m.customerId,
          entry.key,
          m.reason,
          new Date(m.sinceDay * 86_400_000).toISOString().slice(0, 10),
          m.orders,
          majorUnits(m.spentMinor, decimals).toFixed(decimals),
          m.orders > 0 ? majorUnits(m.spentMinor / m.orders, decimals).toFixed(decimals) : null,
          m.firstOrderAt?.toISOString() ?? null,
          m.lastOrderAt?.toISOString() ?? null,
        ]
          .map(csvField)
          .join(","),
      );
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
  return { filename: `${entry.key.replace("/", "-")}.csv`, body };
}
