// benefits: what customers seem to look for (discounts, premium products,
// convenience, variety). Each segment needs optional order data (discounts,
// unit prices, shipping, products) and is empty without it. Rule-based; the
// premium threshold is a percentile of the shop's unit prices (fitShop).
import { z } from "zod";
import { share } from "../settings-fields";
import {
  addMembership,
  catalogEntry,
  type CatalogContext,
  countOf,
  type FamilyModule,
  fmt,
  pct,
  plain,
} from "./family";

const benefitsSettings = z
  .strictObject({
    discountSeekerMinOrders: z.number().int().min(1).default(2),
    discountSeekerMinShare: share.default(0.5),
    premiumMinPricePercentile: share.default(0.8),
    premiumMaxDiscountShare: share.default(0.1),
    convenienceMinExpressShare: share.default(0.5),
    convenienceMinRepeatedProducts: z.number().int().min(1).default(2),
    varietyMinProductTypes: z.number().int().min(2).default(4),
  })
  .prefault({});

export const benefitsFamily: FamilyModule<"benefits", typeof benefitsSettings> = {
  family: "benefits",
  settings: { key: "benefits", schema: benefitsSettings },
  catalog(ctx) {
    const B = ctx.settings.benefits;
    return [
      catalogEntry(
        "benefits",
        "discount-seekers",
        "Discount seekers",
        `${B.discountSeekerMinShare * 100}%+ of orders discounted (at least ${B.discountSeekerMinOrders} orders)`,
        `At least ${B.discountSeekerMinOrders} orders with discount data, and at least ${pct(B.discountSeekerMinShare)} of them discounted`,
        "discounts",
      ),
      catalogEntry(
        "benefits",
        "premium-buyers",
        "Premium buyers",
        `Average unit price at or above the shop's ${B.premiumMinPricePercentile * 100}th percentile, at most ${B.premiumMaxDiscountShare * 100}% discounted orders`,
        premiumDefinition(ctx),
        "unitPrices",
      ),
      catalogEntry(
        "benefits",
        "convenience-buyers",
        "Convenience buyers",
        `${B.convenienceMinExpressShare * 100}%+ express shipping, or ${B.convenienceMinRepeatedProducts}+ products bought again`,
        `At least ${pct(B.convenienceMinExpressShare)} of orders with express shipping, or at least ${B.convenienceMinRepeatedProducts} products bought in two or more orders`,
        "shipping",
      ),
      catalogEntry(
        "benefits",
        "variety-seekers",
        "Variety seekers",
        `${B.varietyMinProductTypes}+ distinct product types`,
        `Bought at least ${B.varietyMinProductTypes} different product types`,
        "products",
      ),
    ];
  },
  prepare({ cutoffs, settings, money }) {
    const av = cutoffs.availability;
    const B = settings.benefits;
    return (cf, d, out) => {
      if (cf.orders === 0) return;
      if (
        av.discounts &&
        d.discountedOrderShare !== null &&
        cf.discountDataOrders >= B.discountSeekerMinOrders &&
        d.discountedOrderShare >= B.discountSeekerMinShare
      ) {
        addMembership(
          out,
          "benefits",
          "discount-seekers",
          out.withReasons
            ? `${cf.discountedOrders} of ${countOf(cf.discountDataOrders, "order")} discounted (${pct(d.discountedOrderShare)} >= ${pct(B.discountSeekerMinShare)}), average ${fmt(d.avgDiscountPct ?? 0)}% off`
            : "",
        );
      }
      if (
        av.unitPrices &&
        d.relativeUnitPrice !== null &&
        d.relativeUnitPrice >= B.premiumMinPricePercentile &&
        (d.discountedOrderShare === null || d.discountedOrderShare <= B.premiumMaxDiscountShare)
      ) {
        addMembership(
          out,
          "benefits",
          "premium-buyers",
          out.withReasons
            ? `average unit price ${money(d.avgUnitPriceMinor ?? 0)} at the ${pct(d.relativeUnitPrice)} percentile >= ${pct(B.premiumMinPricePercentile)}${d.discountedOrderShare !== null ? `, ${pct(d.discountedOrderShare)} discounted` : ""}`
            : "",
        );
      }
      const express =
        av.shipping && d.expressShippingShare !== null && d.expressShippingShare >= B.convenienceMinExpressShare;
      const replenish = av.products && (d.repeatProductCount ?? 0) >= B.convenienceMinRepeatedProducts;
      if (express || replenish) {
        let reason = "";
        if (out.withReasons) {
          const parts: string[] = [];
          if (express) {
            parts.push(`${pct(d.expressShippingShare ?? 0)} express shipping >= ${pct(B.convenienceMinExpressShare)}`);
          }
          if (replenish)
            parts.push(`${d.repeatProductCount} products re-bought >= ${B.convenienceMinRepeatedProducts}`);
          reason = parts.join("; ");
        }
        addMembership(out, "benefits", "convenience-buyers", reason);
      }
      if (av.products && (d.distinctProductTypes ?? 0) >= B.varietyMinProductTypes) {
        addMembership(
          out,
          "benefits",
          "variety-seekers",
          out.withReasons ? `${d.distinctProductTypes} product types >= ${B.varietyMinProductTypes}` : "",
        );
      }
    };
  },
};

function premiumDefinition(ctx: CatalogContext): string {
  const B = ctx.settings.benefits;
  const discounts = `and at most ${pct(B.premiumMaxDiscountShare)} of orders discounted`;
  const q = ctx.cutoffs?.priceQuantiles;
  const percentile = `the shop's ${plain(B.premiumMinPricePercentile * 100)}th percentile of unit prices`;
  if (!q || q.length < 2) return `Average unit price at or above ${percentile}, ${discounts}`;
  return `Average unit price of about ${ctx.money(priceAtPercentile(B.premiumMinPricePercentile, q))} or more (${percentile}), ${discounts}`;
}

/** The price at percentile p (0..1) of the shop's p0..p100 unit prices, by linear interpolation. */
export function priceAtPercentile(p: number, q: readonly number[]): number {
  const x = p * (q.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(q.length - 1, lo + 1);
  return q[lo] + (q[hi] - q[lo]) * (x - lo);
}
