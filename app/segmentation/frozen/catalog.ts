// Every segment the engine can produce (built-ins plus the merchant's
// occasion windows and custom segments), so the UI and the tag write-back
// can enumerate them.
import type { Settings } from "./settings";
import { CHANNEL_GROUPS } from "./segments/channels";
import { SEASONS } from "./segments/derive";
import { occasionDefinitions } from "./segments/occasions";
import { RFM_GROUPS } from "./segments/rfmGroups";
import { DEFAULT_SETTINGS } from "./settings";
import type { Family } from "../types";

export interface CatalogEntry {
  family: Family;
  handle: string;
  key: string;
  title: string;
  description: string;
  /** Optional order data the segment needs; the segment is empty without it. */
  needs?: "discounts" | "unitPrices" | "shipping" | "products" | "journey";
}

const entry = (
  family: Family,
  handle: string,
  title: string,
  description: string,
  needs?: CatalogEntry["needs"],
): CatalogEntry => ({
  family,
  handle,
  key: `${family}/${handle}`,
  title,
  description,
  ...(needs ? { needs } : {}),
});

export function segmentCatalog(settings: Settings = DEFAULT_SETTINGS): CatalogEntry[] {
  const L = settings.loyalty;
  const U = settings.usage;
  const P = settings.predictive;
  const B = settings.benefits;
  const O = settings.occasion;
  const out: CatalogEntry[] = [];
  for (const g of RFM_GROUPS) out.push(entry("rfm", g.handle, g.title, g.description));
  out.push(
    entry("usage", "heavy", "Heavy buyers", `Top ${U.heavyTopShare * 100}% of customers by annualized order rate`),
    entry("usage", "moderate", "Moderate buyers", `Next ${U.moderateNextShare * 100}% by annualized order rate`),
    entry("usage", "light", "Light buyers", "The rest, and customers without orders"),
    entry("loyalty", "new", "New customers", `First order in the last ${L.newWithinDays} days`),
    entry(
      "loyalty",
      "repeat",
      "Repeat customers",
      `2 to ${L.loyalMinOrders - 1} orders, ordered in the last ${L.atRiskAfterDays} days`,
    ),
    entry(
      "loyalty",
      "loyal",
      "Loyal customers",
      `${L.loyalMinOrders}+ orders, ordered in the last ${L.atRiskAfterDays} days`,
    ),
    entry(
      "loyalty",
      "at-risk",
      "At risk",
      `Repeat customers without an order for ${L.atRiskAfterDays}-${L.lapsedAfterDays} days`,
    ),
    entry("loyalty", "lapsed", "Lapsed", `No order for more than ${L.lapsedAfterDays} days`),
    entry("loyalty", "one-time", "One-time buyers", `A single order, within the last ${L.lapsedAfterDays} days`),
    entry(
      "loyalty",
      "reactivated",
      "Reactivated",
      `Ordered in the last ${L.reactivatedWithinDays} days after more than ${L.lapsedAfterDays} days without orders`,
    ),
    entry(
      "loyalty",
      "switchers",
      "Switchers",
      `One-time or lapsed customers with at least ${L.switcherMinDiscountShare * 100}% discounted orders`,
      "discounts",
    ),
    entry(
      "predictive",
      "high-value",
      "Predicted high spenders",
      `Top ${P.highValueTopShare * 100}% by predicted 12-month value (BG/NBD x Gamma-Gamma)`,
    ),
    entry(
      "predictive",
      "medium-value",
      "Predicted medium spenders",
      `Next ${P.mediumValueNextShare * 100}% by predicted 12-month value`,
    ),
    entry("predictive", "low-value", "Predicted low spenders", "The rest by predicted 12-month value"),
    entry(
      "predictive",
      "likely-active",
      "Likely active",
      `Repeat customers with P(alive) >= ${P.likelyActiveMinPAlive}`,
    ),
    entry("predictive", "churn-risk", "Churn risk", `Repeat customers with P(alive) < ${P.churnRiskMaxPAlive}`),
    entry(
      "predictive",
      "likely-to-buy",
      "Likely to buy soon",
      `At least ${P.likelyToBuyMinOrders90d} expected orders in the next 90 days`,
    ),
  );
  for (const d of occasionDefinitions(settings)) out.push(entry("occasion", d.handle, d.title, d.description));
  for (const s of SEASONS) {
    out.push(
      entry(
        "occasion",
        `seasonal-${s}`,
        `Seasonal buyers (${s})`,
        `At least ${O.seasonalMinOrders} orders, ${O.seasonalMinShare * 100}%+ of them in ${s}`,
      ),
    );
  }
  out.push(
    entry(
      "occasion",
      "first-order-anniversary",
      "First-order anniversary soon",
      `Anniversary of the first order in the next ${O.anniversaryWithinDays} days`,
    ),
    entry(
      "benefits",
      "discount-seekers",
      "Discount seekers",
      `${B.discountSeekerMinShare * 100}%+ of orders discounted (at least ${B.discountSeekerMinOrders} orders)`,
      "discounts",
    ),
    entry(
      "benefits",
      "premium-buyers",
      "Premium buyers",
      `Average unit price at or above the shop's ${B.premiumMinPricePercentile * 100}th percentile, at most ${B.premiumMaxDiscountShare * 100}% discounted orders`,
      "unitPrices",
    ),
    entry(
      "benefits",
      "convenience-buyers",
      "Convenience buyers",
      `${B.convenienceMinExpressShare * 100}%+ express shipping, or ${B.convenienceMinRepeatedProducts}+ products bought again`,
      "shipping",
    ),
    entry(
      "benefits",
      "variety-seekers",
      "Variety seekers",
      `${B.varietyMinProductTypes}+ distinct product types`,
      "products",
    ),
  );
  for (const c of CHANNEL_GROUPS) {
    out.push(
      entry(
        "marketing",
        `acquired-${c}`,
        `Acquired via ${c.replace(/-/g, " ")}`,
        `First order came from the ${c} channel group`,
        "journey",
      ),
    );
  }
  out.push(
    entry(
      "marketing",
      "campaign-responders",
      "Campaign responders",
      `At least ${settings.marketing.campaignResponderMinOrders} later order(s) from a campaign (utm_campaign or a paid/email/SMS medium)`,
      "journey",
    ),
  );
  for (const c of settings.customSegments) out.push(entry("custom", c.handle, c.title, c.description));
  return out;
}
