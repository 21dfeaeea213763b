// Global ids: node(id:), nodes(ids:) and the single-resource lookups
// (customer, order, segment, bulkOperation) that take an id.
import { GraphQLError } from "graphql";
import { parseGid } from "../util.js";
import { webhookSubscriptionView } from "./app-installation.js";
import { bulkOperationView } from "./bulk-operations.js";
import { unsupported, type ViewContext } from "./common.js";
import { CustomerView } from "./customers/views.js";
import { discountNodeView } from "./discounts.js";
import { orderVisibility, OrderView } from "./orders/views.js";
import { segmentView } from "./segments.js";
import { ShopView } from "./shop.js";

const MAX_NODES = 250;

/** Resolves any GID the simulator knows; null for unknown ids. */
export function nodeById(ctx: ViewContext, id: string): unknown {
  const parsed = parseGid(id);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${id}'`, {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  const s = ctx.shop.store;
  switch (parsed.type) {
    case "Customer": {
      const i = s.findCustomer(parsed.id);
      return i === undefined || s.isDeleted(i) ? null : new CustomerView(ctx, i);
    }
    case "Order": {
      const i = s.findOrder(parsed.id);
      return i === undefined || !orderVisibility(ctx)(i) ? null : new OrderView(ctx, i);
    }
    case "BulkOperation": {
      const op = ctx.shop.bulkOperations.find((b) => b.id === parsed.id);
      return op ? bulkOperationView(ctx, op) : null;
    }
    case "Segment": {
      const seg = ctx.shop.segments.get(parsed.id);
      return seg ? segmentView(seg) : null;
    }
    case "DiscountCodeNode":
    case "DiscountAutomaticNode": {
      const d = ctx.shop.discounts.get(parsed.id);
      return d ? discountNodeView(ctx, d) : null;
    }
    case "Shop":
      return parsed.id === ctx.shop.id ? new ShopView(ctx) : null;
    case "WebhookSubscription": {
      const sub = ctx.shop.installation?.subscriptions.find((w) => w.id === parsed.id);
      return sub ? webhookSubscriptionView(sub) : null;
    }
    default:
      throw unsupported(`node lookups of type ${parsed.type}`);
  }
}

/** A lookup by id that answers null for an id of another type, as Shopify does. */
function typedNode(ctx: ViewContext, id: string, type: string) {
  const parsed = parseGid(id);
  if (!parsed || parsed.type !== type) return null;
  return nodeById(ctx, id);
}

export function nodeQueries(ctx: ViewContext) {
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
