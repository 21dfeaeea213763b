/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type BillingChargeQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BillingChargeQuery = { node?: AdminTypes.Maybe<Pick<AdminTypes.AppSubscription, 'id' | 'name' | 'status' | 'test'>> };

export type BulkOperationRunQueryMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type BulkOperationRunQueryMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type BulkOperationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkOperationStatusQuery = { node?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'rootObjectCount' | 'fileSize' | 'url' | 'partialDataUrl' | 'createdAt' | 'completedAt'>> };

export type RecentBulkQueriesQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type RecentBulkQueriesQuery = { bulkOperations: { nodes: Array<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'query' | 'createdAt'>> } };

export type StagedUploadsCreateMutationVariables = AdminTypes.Exact<{
  input: Array<AdminTypes.StagedUploadInput> | AdminTypes.StagedUploadInput;
}>;


export type StagedUploadsCreateMutation = { stagedUploadsCreate?: AdminTypes.Maybe<{ stagedTargets?: AdminTypes.Maybe<Array<(
      Pick<AdminTypes.StagedMediaUploadTarget, 'url' | 'resourceUrl'>
      & { parameters: Array<Pick<AdminTypes.StagedUploadParameter, 'name' | 'value'>> }
    )>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type BulkOperationRunMutationMutationVariables = AdminTypes.Exact<{
  mutation: AdminTypes.Scalars['String']['input'];
  stagedUploadPath: AdminTypes.Scalars['String']['input'];
}>;


export type BulkOperationRunMutationMutation = { bulkOperationRunMutation?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkMutationUserError, 'field' | 'message' | 'code'>> }> };

export type CustomerNamesQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type CustomerNamesQuery = { nodes: Array<AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id' | 'displayName'>>> };

export type CustomerSearchQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  first: AdminTypes.Scalars['Int']['input'];
}>;


export type CustomerSearchQuery = { customers: { nodes: Array<(
      Pick<AdminTypes.Customer, 'id' | 'legacyResourceId' | 'displayName' | 'numberOfOrders'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
    )> } };

export type SegmentTagsAddBulkMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type SegmentTagsAddBulkMutation = { tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SegmentTagsRemoveBulkMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type SegmentTagsRemoveBulkMutation = { tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SegmentDiscountAutomaticCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type SegmentDiscountAutomaticCreateMutation = { discountAutomaticAppCreate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<(
      Pick<AdminTypes.DiscountAutomaticApp, 'discountId' | 'title' | 'status' | 'startsAt' | 'endsAt' | 'discountClasses'>
      & { combinesWith: Pick<AdminTypes.DiscountCombinesWith, 'productDiscounts' | 'orderDiscounts' | 'shippingDiscounts'>, appDiscountType: Pick<AdminTypes.AppDiscountType, 'functionId'> }
    )>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountCodeCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeAppInput;
}>;


export type SegmentDiscountCodeCreateMutation = { discountCodeAppCreate?: AdminTypes.Maybe<{ codeAppDiscount?: AdminTypes.Maybe<(
      Pick<AdminTypes.DiscountCodeApp, 'discountId' | 'title' | 'status' | 'startsAt' | 'endsAt' | 'discountClasses'>
      & { combinesWith: Pick<AdminTypes.DiscountCombinesWith, 'productDiscounts' | 'orderDiscounts' | 'shippingDiscounts'>, appDiscountType: Pick<AdminTypes.AppDiscountType, 'functionId'> }
    )>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountAutomaticUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type SegmentDiscountAutomaticUpdateMutation = { discountAutomaticAppUpdate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<(
      Pick<AdminTypes.DiscountAutomaticApp, 'discountId' | 'title' | 'status' | 'startsAt' | 'endsAt' | 'discountClasses'>
      & { combinesWith: Pick<AdminTypes.DiscountCombinesWith, 'productDiscounts' | 'orderDiscounts' | 'shippingDiscounts'>, appDiscountType: Pick<AdminTypes.AppDiscountType, 'functionId'> }
    )>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountCodeUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountCodeAppInput;
}>;


export type SegmentDiscountCodeUpdateMutation = { discountCodeAppUpdate?: AdminTypes.Maybe<{ codeAppDiscount?: AdminTypes.Maybe<(
      Pick<AdminTypes.DiscountCodeApp, 'discountId' | 'title' | 'status' | 'startsAt' | 'endsAt' | 'discountClasses'>
      & { combinesWith: Pick<AdminTypes.DiscountCombinesWith, 'productDiscounts' | 'orderDiscounts' | 'shippingDiscounts'>, appDiscountType: Pick<AdminTypes.AppDiscountType, 'functionId'> }
    )>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountAutomaticActivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountAutomaticActivateMutation = { discountAutomaticActivate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountAutomaticDeactivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountAutomaticDeactivateMutation = { discountAutomaticDeactivate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountCodeActivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountCodeActivateMutation = { discountCodeActivate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountCodeDeactivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountCodeDeactivateMutation = { discountCodeDeactivate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentDiscountAutomaticDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountAutomaticDeleteMutation = { discountAutomaticDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountAutomaticDeletePayload, 'deletedAutomaticDiscountId'>
    & { userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }
  )> };

export type SegmentDiscountCodeDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentDiscountCodeDeleteMutation = { discountCodeDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DiscountCodeDeletePayload, 'deletedCodeDiscountId'>
    & { userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }
  )> };

export type SegmentDiscountMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type SegmentDiscountMetafieldsSetMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'namespace' | 'key'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentMetafieldDefinitionCreateMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionInput;
}>;


export type SegmentMetafieldDefinitionCreateMutation = { metafieldDefinitionCreate?: AdminTypes.Maybe<{ createdDefinition?: AdminTypes.Maybe<Pick<AdminTypes.MetafieldDefinition, 'id' | 'namespace' | 'key'>>, userErrors: Array<Pick<AdminTypes.MetafieldDefinitionCreateUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type SegmentMetafieldsSetMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'key'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type SegmentMetafieldsSetBulkMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type SegmentMetafieldsSetBulkMutation = { metafieldsSet?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type SyncedOrderFragment = (
  Pick<AdminTypes.Order, 'id' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'currencyCode' | 'sourceName' | 'discountCodes'>
  & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }>, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, customerJourneySummary?: AdminTypes.Maybe<{ lastVisit?: AdminTypes.Maybe<(
      Pick<AdminTypes.CustomerVisit, 'landingPage' | 'referrerUrl'>
      & { utmParameters?: AdminTypes.Maybe<Pick<AdminTypes.UtmParameters, 'source' | 'medium' | 'campaign'>> }
    )> }>, refunds: Array<Pick<AdminTypes.Refund, 'id'>> }
);

export type SyncedLineItemFragment = (
  Pick<AdminTypes.LineItem, 'id' | 'quantity' | 'currentQuantity'>
  & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType'>>, originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
);

export type SyncedShippingLineFragment = (
  Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source'>
  & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
);

export type OrdersUpdatedSinceQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrdersUpdatedSinceQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'currencyCode' | 'sourceName' | 'discountCodes'>
      & { lineItems: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'>, nodes: Array<(
          Pick<AdminTypes.LineItem, 'id' | 'quantity' | 'currentQuantity'>
          & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType'>>, originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
        )> }, shippingLines: { nodes: Array<(
          Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source'>
          & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
        )> }, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }>, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, customerJourneySummary?: AdminTypes.Maybe<{ lastVisit?: AdminTypes.Maybe<(
          Pick<AdminTypes.CustomerVisit, 'landingPage' | 'referrerUrl'>
          & { utmParameters?: AdminTypes.Maybe<Pick<AdminTypes.UtmParameters, 'source' | 'medium' | 'campaign'>> }
        )> }>, refunds: Array<Pick<AdminTypes.Refund, 'id'>> }
    )> } };

export type OrderForSyncQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderForSyncQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'currencyCode' | 'sourceName' | 'discountCodes'>
    & { lineItems: { nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'quantity' | 'currentQuantity'>
        & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType'>>, originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
      )> }, shippingLines: { nodes: Array<(
        Pick<AdminTypes.ShippingLine, 'id' | 'title' | 'code' | 'source'>
        & { originalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }
      )> }, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }>, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalShippingPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, customerJourneySummary?: AdminTypes.Maybe<{ lastVisit?: AdminTypes.Maybe<(
        Pick<AdminTypes.CustomerVisit, 'landingPage' | 'referrerUrl'>
        & { utmParameters?: AdminTypes.Maybe<Pick<AdminTypes.UtmParameters, 'source' | 'medium' | 'campaign'>> }
      )> }>, refunds: Array<Pick<AdminTypes.Refund, 'id'>> }
  )> };

export type LineItemProductTypesQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type LineItemProductTypesQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.LineItem, 'id'>
    & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType'>> }
  )>> };

export type SegmentMirrorCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars['String']['input'];
  query: AdminTypes.Scalars['String']['input'];
}>;


export type SegmentMirrorCreateMutation = { segmentCreate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SegmentMirrorUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  name?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type SegmentMirrorUpdateMutation = { segmentUpdate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SegmentMirrorDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SegmentMirrorDeleteMutation = { segmentDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.SegmentDeletePayload, 'deletedSegmentId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type SegmentMirrorListQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type SegmentMirrorListQuery = { segments: { nodes: Array<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type ShopFactsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopFactsQuery = { shop: Pick<AdminTypes.Shop, 'ianaTimezone' | 'currencyCode'> };

export type ShopCustomerTagsQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
}>;


export type ShopCustomerTagsQuery = { shop: { customerTags: (
      Pick<AdminTypes.StringConnection, 'nodes'>
      & { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage'> }
    ) } };

export type TruthOrdersQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type TruthOrdersQuery = { orders: { pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'>, nodes: Array<(
      Pick<AdminTypes.Order, 'id' | 'cancelledAt'>
      & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )> } };

export type FirstCustomersQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
}>;


export type FirstCustomersQuery = { customers: { nodes: Array<Pick<AdminTypes.Customer, 'id'>> } };

interface GeneratedQueryTypes {
  "#graphql\n  query BillingCharge($id: ID!) {\n    node(id: $id) {\n      ... on AppSubscription { id name status test }\n    }\n  }\n": {return: BillingChargeQuery, variables: BillingChargeQueryVariables},
  "#graphql\n  query BulkOperationStatus($id: ID!) {\n    node(id: $id) {\n      ... on BulkOperation {\n        id\n        status\n        errorCode\n        objectCount\n        rootObjectCount\n        fileSize\n        url\n        partialDataUrl\n        createdAt\n        completedAt\n      }\n    }\n  }\n": {return: BulkOperationStatusQuery, variables: BulkOperationStatusQueryVariables},
  "#graphql\n  query RecentBulkQueries {\n    bulkOperations(first: 10, query: \"operation_type:query\", sortKey: CREATED_AT) {\n      nodes { id status query createdAt }\n    }\n  }\n": {return: RecentBulkQueriesQuery, variables: RecentBulkQueriesQueryVariables},
  "#graphql\n  query CustomerNames($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Customer {\n        id\n        displayName\n      }\n    }\n  }\n": {return: CustomerNamesQuery, variables: CustomerNamesQueryVariables},
  "#graphql\n  query CustomerSearch($query: String!, $first: Int!) {\n    customers(first: $first, query: $query) {\n      nodes {\n        id\n        legacyResourceId\n        displayName\n        defaultEmailAddress {\n          emailAddress\n        }\n        numberOfOrders\n      }\n    }\n  }\n": {return: CustomerSearchQuery, variables: CustomerSearchQueryVariables},
  "#graphql\n  query OrdersUpdatedSince($query: String!, $after: String) {\n    orders(first: 5, after: $after, query: $query, sortKey: UPDATED_AT) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        ...SyncedOrder\n        lineItems(first: 25) { pageInfo { hasNextPage } nodes { ...SyncedLineItem } }\n        shippingLines(first: 5) { nodes { ...SyncedShippingLine } }\n      }\n    }\n  }\n  #graphql\n  fragment SyncedOrder on Order {\n    id\n    createdAt\n    updatedAt\n    processedAt\n    cancelledAt\n    currencyCode\n    sourceName\n    discountCodes\n    customer { id }\n    totalPriceSet { shopMoney { amount } }\n    currentTotalPriceSet { shopMoney { amount } }\n    currentSubtotalPriceSet { shopMoney { amount } }\n    totalDiscountsSet { shopMoney { amount } }\n    totalRefundedSet { shopMoney { amount } }\n    totalShippingPriceSet { shopMoney { amount } }\n    customerJourneySummary {\n      lastVisit { landingPage referrerUrl utmParameters { source medium campaign } }\n    }\n    refunds { id }\n  }\n  fragment SyncedLineItem on LineItem {\n    id\n    quantity\n    currentQuantity\n    product { id productType }\n    originalUnitPriceSet { shopMoney { amount } }\n  }\n  fragment SyncedShippingLine on ShippingLine {\n    id\n    title\n    code\n    source\n    originalPriceSet { shopMoney { amount } }\n  }\n\n": {return: OrdersUpdatedSinceQuery, variables: OrdersUpdatedSinceQueryVariables},
  "#graphql\n  query OrderForSync($id: ID!) {\n    order(id: $id) {\n      ...SyncedOrder\n      lineItems(first: 200) { nodes { ...SyncedLineItem } }\n      shippingLines(first: 5) { nodes { ...SyncedShippingLine } }\n    }\n  }\n  #graphql\n  fragment SyncedOrder on Order {\n    id\n    createdAt\n    updatedAt\n    processedAt\n    cancelledAt\n    currencyCode\n    sourceName\n    discountCodes\n    customer { id }\n    totalPriceSet { shopMoney { amount } }\n    currentTotalPriceSet { shopMoney { amount } }\n    currentSubtotalPriceSet { shopMoney { amount } }\n    totalDiscountsSet { shopMoney { amount } }\n    totalRefundedSet { shopMoney { amount } }\n    totalShippingPriceSet { shopMoney { amount } }\n    customerJourneySummary {\n      lastVisit { landingPage referrerUrl utmParameters { source medium campaign } }\n    }\n    refunds { id }\n  }\n  fragment SyncedLineItem on LineItem {\n    id\n    quantity\n    currentQuantity\n    product { id productType }\n    originalUnitPriceSet { shopMoney { amount } }\n  }\n  fragment SyncedShippingLine on ShippingLine {\n    id\n    title\n    code\n    source\n    originalPriceSet { shopMoney { amount } }\n  }\n\n": {return: OrderForSyncQuery, variables: OrderForSyncQueryVariables},
  "#graphql\n  query LineItemProductTypes($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on LineItem { id product { id productType } }\n    }\n  }\n": {return: LineItemProductTypesQuery, variables: LineItemProductTypesQueryVariables},
  "#graphql\n  query SegmentMirrorList($after: String) {\n    segments(first: 250, after: $after) {\n      nodes { id name query }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": {return: SegmentMirrorListQuery, variables: SegmentMirrorListQueryVariables},
  "#graphql\n  query ShopFacts {\n    shop { ianaTimezone currencyCode }\n  }\n": {return: ShopFactsQuery, variables: ShopFactsQueryVariables},
  "#graphql\n  query ShopCustomerTags($first: Int!) {\n    shop { customerTags(first: $first) { nodes pageInfo { hasNextPage } } }\n  }\n": {return: ShopCustomerTagsQuery, variables: ShopCustomerTagsQueryVariables},
  "#graphql\n  query TruthOrders($after: String) {\n    orders(first: 200, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id cancelledAt customer { id } currentTotalPriceSet { shopMoney { amount currencyCode } } }\n    }\n  }\n": {return: TruthOrdersQuery, variables: TruthOrdersQueryVariables},
  "#graphql\n  query FirstCustomers($first: Int!) {\n    customers(first: $first) { nodes { id } }\n  }\n": {return: FirstCustomersQuery, variables: FirstCustomersQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation BulkOperationRunQuery($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }\n": {return: BulkOperationRunQueryMutation, variables: BulkOperationRunQueryMutationVariables},
  "#graphql\n  mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {\n    stagedUploadsCreate(input: $input) {\n      stagedTargets { url resourceUrl parameters { name value } }\n      userErrors { field message }\n    }\n  }\n": {return: StagedUploadsCreateMutation, variables: StagedUploadsCreateMutationVariables},
  "#graphql\n  mutation BulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!) {\n    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }\n": {return: BulkOperationRunMutationMutation, variables: BulkOperationRunMutationMutationVariables},
  "#graphql\n  mutation SegmentTagsAddBulk($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }\n  }\n": {return: SegmentTagsAddBulkMutation, variables: SegmentTagsAddBulkMutationVariables},
  "#graphql\n  mutation SegmentTagsRemoveBulk($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) { userErrors { field message } }\n  }\n": {return: SegmentTagsRemoveBulkMutation, variables: SegmentTagsRemoveBulkMutationVariables},
  "#graphql\n  mutation SegmentDiscountAutomaticCreate($discount: DiscountAutomaticAppInput!) {\n    discountAutomaticAppCreate(automaticAppDiscount: $discount) {\n      automaticAppDiscount { discountId title status startsAt endsAt discountClasses\n        combinesWith { productDiscounts orderDiscounts shippingDiscounts }\n        appDiscountType { functionId } }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountAutomaticCreateMutation, variables: SegmentDiscountAutomaticCreateMutationVariables},
  "#graphql\n  mutation SegmentDiscountCodeCreate($discount: DiscountCodeAppInput!) {\n    discountCodeAppCreate(codeAppDiscount: $discount) {\n      codeAppDiscount { discountId title status startsAt endsAt discountClasses\n        combinesWith { productDiscounts orderDiscounts shippingDiscounts }\n        appDiscountType { functionId } }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountCodeCreateMutation, variables: SegmentDiscountCodeCreateMutationVariables},
  "#graphql\n  mutation SegmentDiscountAutomaticUpdate($id: ID!, $discount: DiscountAutomaticAppInput!) {\n    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {\n      automaticAppDiscount { discountId title status startsAt endsAt discountClasses\n        combinesWith { productDiscounts orderDiscounts shippingDiscounts }\n        appDiscountType { functionId } }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountAutomaticUpdateMutation, variables: SegmentDiscountAutomaticUpdateMutationVariables},
  "#graphql\n  mutation SegmentDiscountCodeUpdate($id: ID!, $discount: DiscountCodeAppInput!) {\n    discountCodeAppUpdate(id: $id, codeAppDiscount: $discount) {\n      codeAppDiscount { discountId title status startsAt endsAt discountClasses\n        combinesWith { productDiscounts orderDiscounts shippingDiscounts }\n        appDiscountType { functionId } }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountCodeUpdateMutation, variables: SegmentDiscountCodeUpdateMutationVariables},
  "#graphql\n  mutation SegmentDiscountAutomaticActivate($id: ID!) {\n    discountAutomaticActivate(id: $id) {\n      automaticDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountAutomaticActivateMutation, variables: SegmentDiscountAutomaticActivateMutationVariables},
  "#graphql\n  mutation SegmentDiscountAutomaticDeactivate($id: ID!) {\n    discountAutomaticDeactivate(id: $id) {\n      automaticDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountAutomaticDeactivateMutation, variables: SegmentDiscountAutomaticDeactivateMutationVariables},
  "#graphql\n  mutation SegmentDiscountCodeActivate($id: ID!) {\n    discountCodeActivate(id: $id) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountCodeActivateMutation, variables: SegmentDiscountCodeActivateMutationVariables},
  "#graphql\n  mutation SegmentDiscountCodeDeactivate($id: ID!) {\n    discountCodeDeactivate(id: $id) {\n      codeDiscountNode { id }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountCodeDeactivateMutation, variables: SegmentDiscountCodeDeactivateMutationVariables},
  "#graphql\n  mutation SegmentDiscountAutomaticDelete($id: ID!) {\n    discountAutomaticDelete(id: $id) {\n      deletedAutomaticDiscountId\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountAutomaticDeleteMutation, variables: SegmentDiscountAutomaticDeleteMutationVariables},
  "#graphql\n  mutation SegmentDiscountCodeDelete($id: ID!) {\n    discountCodeDelete(id: $id) {\n      deletedCodeDiscountId\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountCodeDeleteMutation, variables: SegmentDiscountCodeDeleteMutationVariables},
  "#graphql\n  mutation SegmentDiscountMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { namespace key }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentDiscountMetafieldsSetMutation, variables: SegmentDiscountMetafieldsSetMutationVariables},
  "#graphql\n  mutation SegmentMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {\n    metafieldDefinitionCreate(definition: $definition) {\n      createdDefinition { id namespace key }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentMetafieldDefinitionCreateMutation, variables: SegmentMetafieldDefinitionCreateMutationVariables},
  "#graphql\n  mutation SegmentMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields { key }\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentMetafieldsSetMutation, variables: SegmentMetafieldsSetMutationVariables},
  "#graphql\n  mutation SegmentMetafieldsSetBulk($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      userErrors { field message code }\n    }\n  }\n": {return: SegmentMetafieldsSetBulkMutation, variables: SegmentMetafieldsSetBulkMutationVariables},
  "#graphql\n  mutation SegmentMirrorCreate($name: String!, $query: String!) {\n    segmentCreate(name: $name, query: $query) {\n      segment { id name query }\n      userErrors { field message }\n    }\n  }\n": {return: SegmentMirrorCreateMutation, variables: SegmentMirrorCreateMutationVariables},
  "#graphql\n  mutation SegmentMirrorUpdate($id: ID!, $name: String, $query: String) {\n    segmentUpdate(id: $id, name: $name, query: $query) {\n      segment { id name query }\n      userErrors { field message }\n    }\n  }\n": {return: SegmentMirrorUpdateMutation, variables: SegmentMirrorUpdateMutationVariables},
  "#graphql\n  mutation SegmentMirrorDelete($id: ID!) {\n    segmentDelete(id: $id) {\n      deletedSegmentId\n      userErrors { field message }\n    }\n  }\n": {return: SegmentMirrorDeleteMutation, variables: SegmentMirrorDeleteMutationVariables},
}
declare module '../shopify/admin-api.server' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
