import { Kind, parse, print, visit, type FragmentDefinitionNode } from "graphql";

/**
 * What the app reads of an order: ids and behavior only (no names,
 * addresses, emails). The same selection is used by the bulk export, the
 * reconciliation query and the single-order refetch, so every path stores
 * orders identically (app/ingest/order-record.ts maps it). The journey is the
 * visit that led to the order (lastVisit), which is what the REST order
 * webhooks carry (landing_site, referring_site); refunds are listed so a
 * refund webhook that arrives later is known to be included.
 *
 * The selection is written once, as named fragments: the paged documents
 * spread them (codegen resolves the `${ORDER_FRAGMENTS}` interpolation, and
 * `as const` keeps each document's text a literal type that AdminApi.request
 * looks up), and the bulk export gets their fields inlined (`inlineFragments`), so
 * the bulk query Shopify receives is the plain selection it always was.
 */
const ORDER_FRAGMENTS = `#graphql
  fragment SyncedOrder on Order {
    id
    createdAt
    updatedAt
    processedAt
    cancelledAt
    currencyCode
    sourceName
    discountCodes
    customer { id }
    totalPriceSet { shopMoney { amount } }
    currentTotalPriceSet { shopMoney { amount } }
    currentSubtotalPriceSet { shopMoney { amount } }
    totalDiscountsSet { shopMoney { amount } }
    totalRefundedSet { shopMoney { amount } }
    totalShippingPriceSet { shopMoney { amount } }
    customerJourneySummary {
      lastVisit { landingPage referrerUrl utmParameters { source medium campaign } }
    }
    refunds { id }
  }
  fragment SyncedLineItem on LineItem {
    id
    quantity
    currentQuantity
    product { id productType }
    originalUnitPriceSet { shopMoney { amount } }
  }
  fragment SyncedShippingLine on ShippingLine {
    id
    title
    code
    source
    originalPriceSet { shopMoney { amount } }
  }
` as const;

/** The document with every fragment spread replaced by the fragment's fields, and no fragment definitions. */
function inlineFragments(source: string): string {
  const document = parse(source);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((definition) => definition.kind !== Kind.FRAGMENT_DEFINITION);
  const inlined = visit(
    { ...document, definitions: operations },
    {
      // A returned node is visited in turn, so spreads inside fragments are inlined too.
      SelectionSet(set) {
        const selections = set.selections.flatMap((selection) => {
          if (selection.kind !== Kind.FRAGMENT_SPREAD) return [selection];
          const fragment = fragments.get(selection.name.value);
          if (!fragment) throw new Error(`Fragment ${selection.name.value} is not defined`);
          return fragment.selectionSet.selections;
        });
        return { ...set, selections };
      },
    },
  );
  return print(inlined);
}

/** The inner query of the backfill's bulk export (connections without `first`). */
export const ORDERS_BULK_QUERY = inlineFragments(`
  {
    orders {
      edges {
        node {
          ...SyncedOrder
          lineItems { edges { node { ...SyncedLineItem } } }
          shippingLines { edges { node { ...SyncedShippingLine } } }
        }
      }
    }
  }
  ${ORDER_FRAGMENTS}
`);

/**
 * Reconciliation: orders updated since a time, paged. Page sizes keep the
 * calculated cost under Shopify's 1,000-point limit; an order with more line
 * items than the page holds is fetched again alone with ORDER_FOR_SYNC.
 */
export const ORDERS_UPDATED_SINCE = `#graphql
  query OrdersUpdatedSince($query: String!, $after: String) {
    orders(first: 5, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ...SyncedOrder
        lineItems(first: 25) { pageInfo { hasNextPage } nodes { ...SyncedLineItem } }
        shippingLines(first: 5) { nodes { ...SyncedShippingLine } }
      }
    }
  }
  ${ORDER_FRAGMENTS}
` as const;

/** One order, after a refund webhook (whose payload is the refund, not the order). */
export const ORDER_FOR_SYNC = `#graphql
  query OrderForSync($id: ID!) {
    order(id: $id) {
      ...SyncedOrder
      lineItems(first: 200) { nodes { ...SyncedLineItem } }
      shippingLines(first: 5) { nodes { ...SyncedShippingLine } }
    }
  }
  ${ORDER_FRAGMENTS}
` as const;

/** The inner query of the customers bulk export: ids, tags, consent state, dates. */
export const CUSTOMERS_BULK_QUERY = `{
  customers {
    edges {
      node {
        id
        createdAt
        updatedAt
        tags
        emailMarketingConsent { marketingState }
      }
    }
  }
}`;

/**
 * Product types of line items' products, by line item id (REST line items
 * carry no product type; LineItem is a Node readable with read_orders, where
 * a Product lookup would need read_products).
 */
export const LINE_ITEM_PRODUCT_TYPES = `#graphql
  query LineItemProductTypes($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on LineItem { id product { id productType } }
    }
  }
` as const;
