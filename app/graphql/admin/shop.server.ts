/** The shop's facts the app segments by: its time zone (calendar) and currency (decimals). */
export const SHOP_FACTS = `#graphql
  query ShopFacts {
    shop { ianaTimezone currencyCode }
  }
`;
