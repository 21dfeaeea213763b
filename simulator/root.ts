// The root Query and Mutation objects of one GraphQL execution, composed from
// the resource modules (each module owns its views and mutations).
import type { GraphQLSchema } from "graphql";
import type { RequestContext } from "./core";
import { appInstallationQueries, webhookSubscriptionMutations } from "./resources/app-installation";
import { billingMutations } from "./resources/billing/graphql";
import { bulkMutations, bulkOperationQueries, stagedUploadMutations } from "./resources/bulk-operations";
import { tagMutations } from "./resources/customers/tags";
import { customerQueries } from "./resources/customers/views";
import { functionQueries } from "./resources/discounts/functions";
import { discountMutations } from "./resources/discounts/mutations";
import { discountQueries } from "./resources/discounts/views";
import { metafieldMutations } from "./resources/metafields";
import { nodeQueries } from "./resources/nodes";
import { orderQueries } from "./resources/orders/views";
import { segmentMutations, segmentQueries } from "./resources/segments";
import { shopQueries } from "./resources/shop";

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
