// Customer lookup: by Shopify id (the app's own rows), or by name or email
// through Shopify's customer search at view time (the app stores neither).
// A customer's page: segments with reasons, RFM scores, P(alive), expected
// orders, predicted 12-month value and next order date, computed from the
// customer's stored orders with the shop's fitted cut-offs (the same
// assignment the recompute runs), and their segment history.
import type { PrismaClient } from "@prisma/client";
import { CUSTOMER_SEARCH } from "../graphql/admin/customer-lookup.server";
import { readShopFeatures } from "../recompute/read-features.server";
import { reasonsFromFeatures } from "../recompute/reasons-when-read.server";
import { createAssigner, emptyCustomerFeatures } from "../segmentation";
import { historyDaysKept } from "../settings/retention";
import type { AdminApi } from "../shopify/admin-api.server";
import { customerExists, customerHistory, customerMembership } from "../stores/admin-reads.server";
import { withPgClient } from "../stores/pg/pool.server";
import { findShop } from "../stores/shops.server";
import { segmentationNow } from "../utils/segmentation-clock.server";
import { customerNames } from "./segments.server";
import { adminCustomerUrl, majorUnits, notFound, requireAdminShop } from "./shop-context.server";

export interface CustomerSearchResult {
  query: string;
  /** Set when the query is a Shopify id the app stores: the page to go to. */
  redirectTo: string | null;
  results: Array<{ id: string; name: string; email: string | null; orders: string; stored: boolean }>;
  error: string | null;
}

const SEARCH_LIMIT = 20;

/** Shopify's search syntax for what the merchant typed: an email searched as an email, other text as free text. */
function searchQuery(text: string): string {
  const quoted = text.replace(/["\\]/g, " ").trim();
  return quoted.includes("@") ? `email:"${quoted}"` : quoted;
}

export async function searchCustomers(
  db: PrismaClient,
  api: AdminApi,
  domain: string,
  raw: string,
): Promise<CustomerSearchResult> {
  const query = raw.trim().slice(0, 200);
  const empty: CustomerSearchResult = { query, redirectTo: null, results: [], error: null };
  if (!query) return empty;
  const shop = await findShop(db, domain);
  if (!shop) return empty;
  const id = /^(?:gid:\/\/shopify\/Customer\/)?([1-9][0-9]{0,18})$/.exec(query)?.[1];
  if (id && (await withPgClient((client) => customerExists(client, shop.id, id)))) {
    return { ...empty, redirectTo: `/app/customers/${id}` };
  }
  try {
    const data = await api.request(CUSTOMER_SEARCH, { query: searchQuery(query), first: SEARCH_LIMIT });
    const nodes = data.customers.nodes;
    const stored = await withPgClient(async (client) => {
      const known = new Set<string>();
      for (const node of nodes) {
        if (await customerExists(client, shop.id, node.legacyResourceId)) known.add(node.legacyResourceId);
      }
      return known;
    });
    return {
      ...empty,
      results: nodes.map((node) => ({
        id: node.legacyResourceId,
        name: node.displayName,
        email: node.defaultEmailAddress?.emailAddress ?? null,
        orders: String(node.numberOfOrders),
        stored: stored.has(node.legacyResourceId),
      })),
    };
  } catch (error) {
    return { ...empty, error: (error as Error).message };
  }
}

export interface CustomerDetail {
  id: string;
  name: string | null;
  adminUrl: string;
  currency: string;
  modelReady: boolean;
  segments: Array<{ key: string; title: string; reason: string; since: string }>;
  scores: { recency: number; frequency: number; monetary: number } | null;
  predictions:
    | {
        status: "ok";
        pAlive: number;
        expectedOrders90d: number;
        expectedOrders365d: number;
        clv12m: number;
        nextOrderDate: string | null;
      }
    | { status: "unavailable"; reason: string }
    | null;
  orders: number;
  spent: number;
  history: Array<{ segment: string; title: string; change: string; at: string; reason: string | null }>;
  /** Days of entries and exits kept (the shop's retention; older ones are pruned nightly). */
  historyDays: number;
}

export async function loadCustomer(
  db: PrismaClient,
  api: AdminApi,
  domain: string,
  customerId: string,
): Promise<CustomerDetail> {
  const detail = await withPgClient(async (client) => {
    const admin = await requireAdminShop(db, client, domain);
    const shopId = admin.shop.id;
    if (!(await customerExists(client, shopId, customerId))) notFound();
    // One client runs one query at a time: in turn (queuing a second one is deprecated in pg 8).
    const membership = await customerMembership(client, shopId, customerId);
    const history = await customerHistory(client, shopId, customerId, 100);
    const titles = new Map(admin.catalog.map((entry) => [entry.key, entry.title]));
    const title = (key: string) => titles.get(key) ?? key;
    let scores: CustomerDetail["scores"] = null;
    let predictions: CustomerDetail["predictions"] = null;
    let orders = 0;
    let spent = 0;
    const tz = admin.config.segmentation.timeZone;
    const { table } = await readShopFeatures(client, shopId, tz, { from: customerId, to: customerId });
    const features = table.size > 0 ? table.customerInto(0, emptyCustomerFeatures("", tz)) : null;
    // The reasons written out when read (ADR 060), from the features just read, as of the row's instant.
    const reasons =
      membership &&
      reasonsFromFeatures(table, admin.config.segmentation, admin.model, [
        { customerId, segments: membership.segments, asOf: membership.asOf },
      ]).get(customerId);
    if (features) {
      orders = features.orders;
      spent = majorUnits(features.totalSpentMinor, admin.config.segmentation.currencyDecimals);
    }
    if (admin.model && features) {
      const assigner = createAssigner(admin.model.cutoffs, admin.config.segmentation, segmentationNow());
      const assignment = assigner.assign(features);
      scores = assignment.scores;
      const p = assignment.predictive;
      predictions =
        p.status === "ok"
          ? {
              status: "ok",
              pAlive: p.pAlive,
              expectedOrders90d: p.expectedOrders90d,
              expectedOrders365d: p.expectedOrders365d,
              clv12m: majorUnits(p.clv12mMinor, admin.config.segmentation.currencyDecimals),
              nextOrderDate: p.nextOrderDate === null ? null : new Date(p.nextOrderDate).toISOString().slice(0, 10),
            }
          : { status: "unavailable", reason: p.reason };
    }
    return {
      id: customerId,
      name: null,
      adminUrl: adminCustomerUrl(domain, customerId),
      currency: admin.shop.currency,
      modelReady: admin.model !== null,
      segments: (membership?.segments ?? []).map((key, i) => ({
        key,
        title: title(key),
        reason: reasons![i],
        since: new Date(membership!.sinceDay[i] * 86_400_000).toISOString().slice(0, 10),
      })),
      scores,
      predictions,
      orders,
      spent,
      history: history.map((h) => ({
        segment: h.segment,
        title: title(h.segment),
        change: h.change,
        at: h.at.toISOString(),
        reason: h.reason,
      })),
      historyDays: historyDaysKept(admin.config.retention, admin.config.insights.retentionDays),
    } satisfies CustomerDetail;
  });
  const names = await customerNames(api, [customerId]);
  return { ...detail, name: names?.get(customerId) ?? null };
}
