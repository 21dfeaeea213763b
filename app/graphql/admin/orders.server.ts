/**
 * What the app reads of an order: ids and behavior only (no names,
 * addresses, emails). The same selection is used by the bulk export, the
 * reconciliation query and the single-order refetch, so every path stores
 * orders identically (app/ingest/order-record.ts maps it). The journey is the
 * visit that led to the order (lastVisit), which is what the REST order
 * webhooks carry (landing_site, referring_site); refunds are listed so a
 * refund webhook that arrives later is known to be included.
 */
const ORDER_FIELDS = `
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
`;

const LINE_FIELDS = `
  id
  quantity
  currentQuantity
  product { id productType }
  originalUnitPriceSet { shopMoney { amount } }
`;

const SHIPPING_FIELDS = `
  id
  title
  code
  source
  originalPriceSet { shopMoney { amount } }
`;

/** The inner query of the backfill's bulk export (connections without `first`). */
export const ORDERS_BULK_QUERY = `{
  orders {
    edges {
      node {
        ${ORDER_FIELDS}
        lineItems { edges { node { ${LINE_FIELDS} } } }
        shippingLines { edges { node { ${SHIPPING_FIELDS} } } }
      }
    }
  }
}`;

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
        ${ORDER_FIELDS}
        lineItems(first: 25) { pageInfo { hasNextPage } nodes { ${LINE_FIELDS} } }
        shippingLines(first: 5) { nodes { ${SHIPPING_FIELDS} } }
      }
    }
  }
`;

/** One order, after a refund webhook (whose payload is the refund, not the order). */
export const ORDER_FOR_SYNC = `#graphql
  query OrderForSync($id: ID!) {
    order(id: $id) {
      ${ORDER_FIELDS}
      lineItems(first: 200) { nodes { ${LINE_FIELDS} } }
      shippingLines(first: 5) { nodes { ${SHIPPING_FIELDS} } }
    }
  }
`;

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
`;
