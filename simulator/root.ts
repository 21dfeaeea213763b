// The root Query and Mutation objects of one GraphQL execution, composed from
// the resource modules (each module owns its views and mutations).
import type { GraphQLSchema } from "graphql";
import type { RequestContext } from "./core.js";
import { appInstallationQueries, webhookSubscriptionMutations } from "./resources/app-installation.js";
import { billingMutations } from "./resources/billing/graphql.js";
import { bulkMutations, bulkOperationQueries, stagedUploadMutations } from "./resources/bulk-operations.js";
import { tagMutations } from "./resources/customers/tags.js";
import { customerQueries } from "./resources/customers/views.js";
import { functionQueries } from "./resources/discounts/functions.js";
import { discountMutations } from "./resources/discounts/mutations.js";
import { discountQueries } from "./resources/discounts/views.js";
import { metafieldMutations } from "./resources/metafields.js";
import { nodeQueries } from "./resources/nodes.js";
import { orderQueries } from "./resources/orders/views.js";
import { segmentMutations, segmentQueries } from "./resources/segments.js";
import { shopQueries } from "./resources/shop.js";

export function queryRoot(ctx: RequestContext) {
  return {
    ...shopQueries(ctx),
    ...customerQueries(ctx),
    ...orderQueries(ctx),
    ...nodeQueries(ctx),
    ...appInstallationQueries(ctx),
    ...bulkOperationQueries(ctx),
    ...segmentQueries(ctx),
    ...discountQueries(ctx),
    ...functionQueries(ctx),
  };
}

export function mutationRoot(ctx: RequestContext, deps: { schema: GraphQLSchema }) {
  return {
    ...tagMutations(ctx),
    ...metafieldMutations(ctx),
    ...segmentMutations(ctx),
    ...discountMutations(ctx),
    ...bulkMutations(ctx, deps),
    ...stagedUploadMutations(ctx),
    ...webhookSubscriptionMutations(ctx),
    ...billingMutations(ctx),
  };
}
