// Global ids: node(id:), nodes(ids:) and the single-resource lookups
// (customer, order, segment, bulkOperation) that take an id.
import { GraphQLError } from "graphql";
import { webhookSubscriptionView } from "./app-installation";
import { subscriptionView } from "./billing/graphql";
import { bulkOperationView } from "./bulk-operations";
import type { RequestContext } from "../core";
import { unsupported } from "./common";
import { CustomerView } from "./customers/views";
import { discountNodeView } from "./discounts/views";
import { LineItemView } from "./orders/line-items";
import { orderVisibility, OrderView } from "./orders/views";
import { LINE_ITEM_ID_BASE } from "../store";
import { segmentView } from "./segments";
import { ShopView } from "./shop";

const MAX_NODES = 250;

/** Resolves any GID the simulator knows; null for unknown ids. */
function nodeById(ctx: RequestContext, id: string): unknown {
  const parsed = ctx.shop.ids.parseGid(id);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${id}'`, {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  const local = parsed.local;
  if (!NODE_TYPES.has(parsed.type)) throw unsupported(`node lookups of type ${parsed.type}`);
  if (local === null) return null; // a number outside this shop's ids
  const s = ctx.shop.store;
  switch (parsed.type) {
    case "Customer": {
      const i = s.findCustomer(local);
      return i === undefined || s.isDeleted(i) ? null : new CustomerView(ctx, i);
    }
    case "Order": {
      const i = s.findOrder(local);
      return i === undefined || !orderVisibility(ctx)(i) ? null : new OrderView(ctx, i);
    }
    case "LineItem": {
      const j = local - LINE_ITEM_ID_BASE;
      const order = j >= 0 && j < s.lineCount ? s.orderOfLine(j) : -1;
      return order < 0 || !orderVisibility(ctx)(order) ? null : new LineItemView(ctx, order, j, null);
    }
    case "BulkOperation": {
      const op = ctx.shop.bulkOperations.find((b) => b.id === local);
      return op ? bulkOperationView(ctx, op) : null;
    }
    case "Segment": {
      const seg = ctx.shop.segments.get(local);
      return seg ? segmentView(ctx, seg) : null;
    }
    case "DiscountCodeNode":
    case "DiscountAutomaticNode": {
      const d = ctx.shop.discounts.get(local);
      return d ? discountNodeView(ctx, d) : null;
    }
    case "Shop":
      return local === ctx.shop.id ? new ShopView(ctx) : null;
    case "AppSubscription": {
      const sub = ctx.shop.subscriptions.find((x) => x.id === local);
      return sub ? subscriptionView(ctx, sub) : null;
    }
    default: {
      const sub = ctx.shop.installation?.subscriptions.find((w) => w.id === local);
      return sub ? webhookSubscriptionView(ctx, sub) : null;
    }
  }
}

const NODE_TYPES = new Set([
  "Customer",
  "Order",
  "LineItem",
  "BulkOperation",
  "Segment",
  "DiscountCodeNode",
  "DiscountAutomaticNode",
  "Shop",
  "WebhookSubscription",
  "AppSubscription",
]);

/** A lookup by id that answers null for an id of another type, as Shopify does. */
function typedNode(ctx: RequestContext, id: string, type: string) {
  const parsed = ctx.shop.ids.parseGid(id);
  if (!parsed || parsed.type !== type) return null;
  return nodeById(ctx, id);
}

export function nodeQueries(ctx: RequestContext) {
  return {
    node: (args: { id: string }) => nodeById(ctx, args.id),
    nodes: (args: { ids: string[] }) => {
      if (args.ids.length > MAX_NODES)
        throw new GraphQLError(`nodes accepts at most ${MAX_NODES} ids`, { extensions: { code: "BAD_REQUEST" } });
      return args.ids.map((id) => nodeById(ctx, id));
    },
    customer: (args: { id: string }) => typedNode(ctx, args.id, "Customer"),
    order: (args: { id: string }) => typedNode(ctx, args.id, "Order"),
    segment: (args: { id: string }) => typedNode(ctx, args.id, "Segment"),
    bulkOperation: (args: { id: string }) => typedNode(ctx, args.id, "BulkOperation"),
  };
}
