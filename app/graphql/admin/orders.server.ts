/**
 * What the app reads of an order: ids and behavior only (no names,
 * addresses, emails). The same selection is used by the bulk export, the
 * reconciliation query and the single-order refetch, so every path stores
 * orders identically (app/sync/order-record.ts maps it).
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
    firstVisit { source referrerUrl utmParameters { source medium campaign } }
  }
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
