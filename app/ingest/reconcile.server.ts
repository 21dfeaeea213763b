// Reconciliation: every few hours, the orders Shopify changed since the last
// run are compared with what the app holds, and what a lost or delayed
// webhook left behind is repaired; the customers touched are re-segmented.
import type { PrismaClient } from "@prisma/client";
import { ORDER_FOR_SYNC, ORDERS_UPDATED_SINCE } from "../graphql/admin/orders.server";
import type { PipelineContext } from "../pipeline";
import { enqueueCustomerResegments } from "../queues/segments.server";
import type { AdminApi, AdminResult } from "../shopify/admin-api.server";
import { upsertOrders } from "../stores/orders.server";
import { rememberProductTypes } from "../stores/product-types.server";
import { completeRun, failRun, startRun } from "../stores/runs.server";
import { patchSyncState, readSyncState } from "../stores/shops.server";
import { orderFromGraphql, productTypesOf, type OrderRecord } from "./order-record";

export interface ReconcileResult {
  since: string;
  until: string;
  ordersChecked: number;
  repaired: number;
  customersTouched: string[];
}

/** Look back a little before the last reconciled time: clocks and indexing are not instant. */
const OVERLAP_MS = 10 * 60_000;

/** An order as the paged documents return it (both select the same fragments). */
type OrderNode = NonNullable<AdminResult<typeof ORDER_FOR_SYNC>["order"]>;

/**
 * Asks Shopify for orders updated since the last reconciliation and stores
 * any the app missed or holds in an older state (a lost or delayed webhook).
 * Returns what it repaired; the caller records it for the UI.
 */
async function reconcileShop(
  db: PrismaClient,
  api: AdminApi,
  shop: { id: string },
  now: Date = new Date(),
): Promise<ReconcileResult> {
  const state = await readSyncState(db, shop.id);
  const from = state.lastReconciledAt ?? state.backfillStartedAt ?? new Date(0).toISOString();
  const since = new Date(new Date(from).getTime() - OVERLAP_MS).toISOString();
  const result: ReconcileResult = {
    since,
    until: now.toISOString(),
    ordersChecked: 0,
    repaired: 0,
    customersTouched: [],
  };
  const touched = new Set<string>();
  let after: string | null = null;
  do {
    const page: AdminResult<typeof ORDERS_UPDATED_SINCE> = await api.request(ORDERS_UPDATED_SINCE, {
      query: `updated_at:>='${since}'`,
      after,
    });
    const records: OrderRecord[] = [];
    for (const node of page.orders.nodes) {
      // More line items than the page holds: the order alone, with all of them (null if deleted meanwhile).
      const full: OrderNode | null | undefined = node.lineItems.pageInfo.hasNextPage
        ? (await api.request(ORDER_FOR_SYNC, { id: node.id })).order
        : node;
      if (full) records.push(orderFromGraphql(full, childrenOf(full)));
    }
    result.ordersChecked += records.length;
    const changed = await upsertOrders(db, shop.id, records);
    await rememberProductTypes(db, shop.id, productTypesOf(records));
    result.repaired += changed.length;
    for (const row of changed) if (row.customerId !== null) touched.add(String(row.customerId));
    after = page.orders.pageInfo.hasNextPage ? (page.orders.pageInfo.endCursor ?? null) : null;
  } while (after);
  await patchSyncState(db, shop.id, {
    lastReconciledAt: result.until,
    lastReconcile: { ...result, customersTouched: touched.size },
  });
  result.customersTouched = [...touched];
  return result;
}

/** A paged order node's line items and shipping lines, in the bulk export's child shape. */
function childrenOf(order: Pick<OrderNode, "lineItems" | "shippingLines">) {
  return [...order.lineItems.nodes, ...order.shippingLines.nodes];
}

/** Fetches one order: what settles a state that payloads alone cannot (a tie, a refund the stored order cannot take). */
export async function fetchOrder(api: AdminApi, orderId: string): Promise<OrderRecord | null> {
  const { order } = await api.request(ORDER_FOR_SYNC, { id: `gid://shopify/Order/${orderId}` });
  return order ? orderFromGraphql(order, childrenOf(order)) : null;
}

/** The reconcile job: a run the admin shows, then the touched customers re-segmented. */
export async function reconcileAndResegment(
  ctx: PipelineContext,
  shop: { id: string; domain: string },
): Promise<{ repaired: number; ordersChecked: number }> {
  const api = await ctx.adminApi(shop.domain);
  const run = await startRun(ctx.db, { shopId: shop.id, kind: "reconcile", step: "orders" });
  let result: ReconcileResult;
  try {
    result = await reconcileShop(ctx.db, api, shop);
  } catch (error) {
    await failRun(ctx.db, run.id, error, { finished: true });
    throw error;
  }
  await completeRun(ctx.db, run.id, {
    since: result.since,
    ordersChecked: result.ordersChecked,
    repaired: result.repaired,
  });
  await enqueueCustomerResegments(ctx.queues, shop.domain, result.customersTouched);
  return { repaired: result.repaired, ordersChecked: result.ordersChecked };
}
