// The derived features a custom rule (and the built-in families) can use:
// one flat record per customer, computed at assignment time for an "as of"
// date. Money is in minor units, dates are local day numbers of the shop.

export type FeatureType = "number" | "date" | "string";

export interface FeatureDefinition {
  type: FeatureType;
  description: string;
  /** Family whose data the feature needs; absent = always available. */
  needs?: "lineItems" | "discounts" | "unitPrices" | "shipping" | "journey" | "products";
}

export const FEATURE_DEFINITIONS = {
  orders: {
    type: "number",
    description: "Orders (not cancelled, not fully refunded)",
  },
  purchaseDays: { type: "number", description: "Distinct days with an order" },
  firstOrderDate: {
    type: "date",
    description: "Date of the first order (shop time zone)",
  },
  lastOrderDate: {
    type: "date",
    description: "Date of the last order (shop time zone)",
  },
  recencyDays: { type: "number", description: "Days since the last order" },
  tenureDays: { type: "number", description: "Days since the first order" },
  totalSpentMinor: {
    type: "number",
    description: "Total spent net of refunds (minor units)",
  },
  avgOrderValueMinor: {
    type: "number",
    description: "Average order value (minor units)",
  },
  itemsPerOrder: {
    type: "number",
    description: "Average items per order",
    needs: "lineItems",
  },
  meanDaysBetweenOrders: {
    type: "number",
    description: "Mean days between purchase days",
  },
  lastDaysBetweenOrders: {
    type: "number",
    description: "Days between the last two purchase days",
  },
  longestGapDays: {
    type: "number",
    description: "Longest gap between two purchase days",
  },
  annualOrderRate: {
    type: "number",
    description: "Orders per year since the first order",
  },
  discountedOrderShare: {
    type: "number",
    description: "Share of orders with a discount (0..1)",
    needs: "discounts",
  },
  avgDiscountPct: {
    type: "number",
    description: "Average discount % of discounted orders",
    needs: "discounts",
  },
  avgUnitPriceMinor: {
    type: "number",
    description: "Average unit price (minor units)",
    needs: "unitPrices",
  },
  relativeUnitPrice: {
    type: "number",
    description: "Percentile (0..1) of the customer's average unit price in the shop's price distribution",
    needs: "unitPrices",
  },
  paidShippingShare: {
    type: "number",
    description: "Share of orders with paid shipping",
    needs: "shipping",
  },
  expressShippingShare: {
    type: "number",
    description: "Share of orders with express shipping",
    needs: "shipping",
  },
  repeatProductCount: {
    type: "number",
    description: "Products bought in two or more orders",
    needs: "products",
  },
  distinctProducts: {
    type: "number",
    description: "Distinct products bought",
    needs: "products",
  },
  distinctProductTypes: {
    type: "number",
    description: "Distinct product types bought",
    needs: "products",
  },
  preferredWeekday: {
    type: "number",
    description: "Most frequent order weekday, 0 = Sunday .. 6 = Saturday",
  },
  preferredHour: {
    type: "number",
    description: "Most frequent order hour, 0..23",
  },
  topSeason: {
    type: "string",
    description: "Season with most orders: winter, spring, summer, autumn",
  },
  topSeasonShare: {
    type: "number",
    description: "Share of orders in the top season",
  },
  acquisitionChannel: {
    type: "string",
    description: 'Channel group of the first order ("unknown" when it carries no journey data)',
    needs: "journey",
  },
  acquisitionSource: {
    type: "string",
    description: "utm_source of the first order",
    needs: "journey",
  },
  acquisitionMedium: {
    type: "string",
    description: "utm_medium of the first order",
    needs: "journey",
  },
  acquisitionCampaign: {
    type: "string",
    description: "utm_campaign of the first order",
    needs: "journey",
  },
  acquisitionReferrer: {
    type: "string",
    description: "Referrer domain of the first order",
    needs: "journey",
  },
  laterCampaignOrders: {
    type: "number",
    description: "Orders after the first that came from a campaign",
    needs: "journey",
  },
  recencyScore: { type: "number", description: "RFM recency score 1..5" },
  frequencyScore: { type: "number", description: "RFM frequency score 1..5" },
  monetaryScore: { type: "number", description: "RFM monetary score 1..5" },
  pAlive: {
    type: "number",
    description: "BG/NBD probability the customer is still active",
  },
  expectedOrders90d: {
    type: "number",
    description: "BG/NBD expected orders in the next 90 days",
  },
  expectedOrders365d: {
    type: "number",
    description: "BG/NBD expected orders in the next 365 days",
  },
  clv12mMinor: {
    type: "number",
    description: "Predicted revenue in the next 12 months (minor units)",
  },
} as const satisfies Record<string, FeatureDefinition>;

export type FeatureName = keyof typeof FEATURE_DEFINITIONS;
export const FEATURE_NAMES = Object.keys(FEATURE_DEFINITIONS) as FeatureName[];

/** Values of the derived features for one customer; null = not available. */
export type DerivedFeatures = {
  [K in FeatureName]: (typeof FEATURE_DEFINITIONS)[K]["type"] extends "string" ? string | null : number | null;
};
