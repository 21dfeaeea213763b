// Public input and output types of the segmentation core.

/**
 * One order as the app stores it: one row per order, line-item detail
 * pre-aggregated. Only `id`, `customerId`, `processedAt` and `totalMinor` are
 * required; `undefined` means "this source does not provide it" (the families
 * that need it are left out), `null` means "provided, and empty".
 * Money is in integer minor units (cents, pence).
 */
export interface EngineOrder {
  id: string;
  /** null for guest checkouts: counted for the shop, belonging to no customer. */
  customerId: string | null;
  /** Epoch milliseconds. */
  processedAt: number;
  /** Cancelled orders are ignored entirely. */
  cancelled?: boolean;
  /** Fully refunded orders are ignored like cancelled ones; partial refunds are already netted in totalMinor. */
  fullyRefunded?: boolean;
  /** Order total net of refunds (minor units). */
  totalMinor: number;
  /** Line items after discounts, before shipping and tax. */
  subtotalMinor?: number | null;
  /** Total discount applied to the order. */
  discountMinor?: number | null;
  discountCodes?: string[] | null;
  itemQuantity?: number | null;
  lineCount?: number | null;
  /** Distinct product ids in the order. */
  productIds?: string[] | null;
  productTypes?: string[] | null;
  /** Average unit price of the order's items. */
  avgUnitPriceMinor?: number | null;
  /** Shipping charged to the customer (0 = free shipping). */
  shippingMinor?: number | null;
  expressShipping?: boolean | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  referrerDomain?: string | null;
  /** Shopify's order source ("web", "pos", "shopify_draft_order", an app id...). */
  sourceName?: string | null;
  /** Shopify recorded the online-store visit (landing page) that led to the order. */
  visitRecorded?: boolean | null;
}

/** The segment families, in the order they are reported. */
export const FAMILIES = [
  "rfm",
  "usage",
  "loyalty",
  "predictive",
  "occasion",
  "benefits",
  "marketing",
  "custom",
] as const;
export type Family = (typeof FAMILIES)[number];

/** One customer's membership of one segment, with the numbers behind it. */
export interface Membership {
  family: Family;
  /** kebab-case handle, e.g. "champions". */
  segment: string;
  /** "<family>/<segment>", e.g. "rfm/champions". */
  key: string;
  /** Short human explanation with the numbers, e.g. "R 5, FM 4.5 (F 4, M 5)"; "" from an assigner without reasons (ADR 067). */
  reason: string;
}

export interface RfmScores {
  recency: number;
  frequency: number;
  monetary: number;
}

export type SpendTier = "high" | "medium" | "low";

export interface PredictiveValues {
  status: "ok";
  pAlive: number;
  expectedOrders90d: number;
  expectedOrders365d: number;
  /** Expected average order value (minor units). */
  expectedOrderValueMinor: number;
  /** Expected revenue over the next 12 months (minor units): expected orders in 365 days x expected order value. */
  clv12mMinor: number;
  /** Epoch ms; null when the customer is unlikely to be alive (P(alive) below the churn threshold). */
  nextOrderDate: number | null;
  spendTier: SpendTier;
}

export interface PredictiveUnavailable {
  status: "not-enough-data";
  reason: string;
}

export interface CustomerAssignment {
  customerId: string;
  memberships: Membership[];
  /** null for customers without orders (RFM group "prospects"). */
  scores: RfmScores | null;
  predictive: PredictiveValues | PredictiveUnavailable;
}
