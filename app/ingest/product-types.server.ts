// Product types for orders stored from webhooks. REST line items carry no
// product type, the bulk export's do: each product's type is looked up once
// through the Admin API and remembered (app/stores/product-types.server.ts;
// the backfill fills the same table), so an order stored from its webhook
// has the same row as the same order stored from the export.
import { LINE_ITEM_PRODUCT_TYPES } from "../graphql/admin/orders.server";
import type { PipelineContext } from "../pipeline";
import type { AdminApi } from "../shopify/admin-api.server";
import { findProductTypes, rememberProductTypes } from "../stores/product-types.server";
import { productsWithoutType } from "./order-lines";
import { numericId, withProductTypes, type OrderRecord } from "./order-record";

/** nodes(ids:) takes at most 250 ids. */
const NODES_PER_REQUEST = 250;

/**
 * Asks Shopify for the types of `productIds` through one line item of the
 * order per product (LineItem is readable with read_orders; Product would
 * need read_products). Products Shopify no longer has stay unknown.
 */
async function lookUpProductTypes(
  api: AdminApi,
  order: OrderRecord,
  productIds: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Set(productIds);
  const lineIds: string[] = [];
  for (const line of order.lines) {
    if (line.productId && wanted.delete(line.productId)) lineIds.push(`gid://shopify/LineItem/${line.id}`);
  }
  const types = new Map<string, string>();
  for (let i = 0; i < lineIds.length; i += NODES_PER_REQUEST) {
    const { nodes } = await api.request(LINE_ITEM_PRODUCT_TYPES, {
      ids: lineIds.slice(i, i + NODES_PER_REQUEST),
    });
    for (const node of nodes) {
      if (node && "product" in node && node.product)
        types.set(numericId(node.product.id, "product.id"), node.product.productType ?? "");
    }
  }
  return types;
}

/**
 * The order with its lines' product types known: from the shop's remembered
 * types, and for products seen for the first time from the Admin API (then
 * remembered). No API call when every product is known.
 */
export async function withKnownProductTypes(
  ctx: Pick<PipelineContext, "db" | "adminApi">,
  shop: { id: string; domain: string },
  order: OrderRecord,
): Promise<OrderRecord> {
  const missing = productsWithoutType(order.lines);
  if (missing.length === 0) return order;
  const known = await findProductTypes(ctx.db, shop.id, missing);
  const unknown = missing.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const fetched = await lookUpProductTypes(await ctx.adminApi(shop.domain), order, unknown);
    await rememberProductTypes(ctx.db, shop.id, fetched);
    for (const [id, type] of fetched) known.set(id, type);
  }
  return withProductTypes(order, known);
}
