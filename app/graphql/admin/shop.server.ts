/** The shop's facts the app segments by: its time zone (calendar) and currency (decimals). */
export const SHOP_FACTS = `#graphql
  query ShopFacts {
    shop { ianaTimezone currencyCode }
  }
`;

/**
 * The store's customer tags (each once, alphabetically), to refuse a tag
 * prefix that would capture tags the app did not write. One page: Shopify
 * offers no cursor on this connection.
 */
export const SHOP_CUSTOMER_TAGS = `#graphql
  query ShopCustomerTags($first: Int!) {
    shop { customerTags(first: $first) { nodes pageInfo { hasNextPage } } }
  }
`;
