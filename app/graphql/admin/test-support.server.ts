/**
 * Documents only the tests send (through the app's AdminApi, so they are
 * typed like the app's own): the simulator's truth that a sync is compared
 * with, read independently of the app's bulk path.
 */

export const TRUTH_ORDERS = `#graphql
  query TruthOrders($after: String) {
    orders(first: 200, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id cancelledAt customer { id } currentTotalPriceSet { shopMoney { amount currencyCode } } }
    }
  }
`;

export const FIRST_CUSTOMERS = `#graphql
  query FirstCustomers($first: Int!) {
    customers(first: $first) { nodes { id } }
  }
`;
