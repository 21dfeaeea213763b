/**
 * Customer names for the admin pages, fetched when a page is viewed and never
 * stored (ADR 004): the members shown on one page of a segment, by id.
 */
export const CUSTOMER_NAMES = `#graphql
  query CustomerNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        displayName
      }
    }
  }
`;

/** The customer lookup by name or email: Shopify's customer search, at view time. */
export const CUSTOMER_SEARCH = `#graphql
  query CustomerSearch($query: String!, $first: Int!) {
    customers(first: $first, query: $query) {
      nodes {
        id
        legacyResourceId
        displayName
        defaultEmailAddress {
          emailAddress
        }
        numberOfOrders
      }
    }
  }
`;
