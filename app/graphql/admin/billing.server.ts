/**
 * A charge the merchant was sent back from (the billing callback's
 * charge_id): null when the shop has no such subscription.
 */
export const BILLING_CHARGE = `#graphql
  query BillingCharge($id: ID!) {
    node(id: $id) {
      ... on AppSubscription { id name status test }
    }
  }
`;
