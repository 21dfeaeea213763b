// usage: annualized order rate tiers. heavy = the top share of customers with
// orders by orders per year, moderate = the next share, light = the rest and
// customers without orders. The rate edges are fitted here; the rate itself
// (with its tenure floor) is a derived feature (segments/derive.ts).
import { z } from "zod";
import { isBuyer, type ShopColumns } from "../features/columns";
import { type QuantileEdges, quantileEdgesOf, scoreAgainst } from "../math/quantiles";
import type { Settings } from "../settings";
import { days, share } from "../settings-fields";
import { annualOrderRate } from "../segments/derive";
import {
  aboveText,
  aboveEdgeWords,
  addMembership,
  catalogEntry,
  type CatalogContext,
  type FamilyModule,
  fmt,
  notAboveEdgeWords,
  pct,
} from "./family";

const usageSettings = z
  .strictObject({
    heavyTopShare: share.default(0.2),
    moderateNextShare: share.default(0.3),
    /** Tenure floor when annualizing, so a week-old customer with 2 orders is not "104 orders a year". */
    minTenureDays: days.default(90),
  })
  .prefault({});

/** The fit step: edges of the annualized order rate, [moderate tier, heavy tier]. */
export function fitUsage(c: ShopColumns, settings: Settings, asOfDay: number): { rateEdges: QuantileEdges } {
  const rates = new Float64Array(c.n);
  let buyers = 0;
  for (let i = 0; i < c.n; i++) {
    if (!isBuyer(c, i)) continue;
    rates[buyers++] = annualOrderRate(c.orders[i], c.days[c.dayOffsets[i]], asOfDay, settings.usage.minTenureDays);
  }
  return {
    rateEdges: quantileEdgesOf(rates.subarray(0, buyers), [
      1 - settings.usage.heavyTopShare - settings.usage.moderateNextShare,
      1 - settings.usage.heavyTopShare,
    ]),
  };
}

export const usageFamily: FamilyModule<"usage", typeof usageSettings> = {
  family: "usage",
  settings: {
    key: "usage",
    schema: usageSettings,
    check(u, issue) {
      if (u.heavyTopShare + u.moderateNextShare > 1) issue([], "heavyTopShare + moderateNextShare must not exceed 1");
    },
  },
  catalog(ctx) {
    const U = ctx.settings.usage;
    const d = definitions(ctx);
    return [
      catalogEntry(
        "usage",
        "heavy",
        "Heavy buyers",
        `Top ${U.heavyTopShare * 100}% of customers by annualized order rate`,
        d.heavy,
      ),
      catalogEntry(
        "usage",
        "moderate",
        "Moderate buyers",
        `Next ${U.moderateNextShare * 100}% by annualized order rate`,
        d.moderate,
      ),
      catalogEntry("usage", "light", "Light buyers", "The rest, and customers without orders", d.light),
    ];
  },
  prepare({ cutoffs, settings }) {
    const rateEdges = cutoffs.usage.rateEdges;
    const heavyTop = pct(settings.usage.heavyTopShare);
    // The edges' numbers written once per shop, not once per customer.
    const edgeText = rateEdges.values.map((v) => fmt(v));
    return (cf, d, out) => {
      const orders = cf.orders;
      const rate = d.annualOrderRate ?? 0;
      const tier = orders > 0 ? scoreAgainst(rate, rateEdges) : 1;
      if (tier === 3) {
        addMembership(
          out,
          "usage",
          "heavy",
          out.withReasons
            ? `${fmt(rate)} orders/year ${aboveText(rate, rateEdges, 1, edgeText[1])} (top ${heavyTop})`
            : "",
        );
      } else if (tier === 2) {
        addMembership(
          out,
          "usage",
          "moderate",
          out.withReasons ? `${fmt(rate)} orders/year ${aboveText(rate, rateEdges, 0, edgeText[0])}` : "",
        );
      } else {
        addMembership(
          out,
          "usage",
          "light",
          out.withReasons
            ? orders === 0
              ? "no orders yet"
              : `${fmt(rate)} orders/year ${aboveText(rate, rateEdges, 0, edgeText[0])}`
            : "",
        );
      }
    };
  },
};

function definitions(ctx: CatalogContext): { heavy: string; moderate: string; light: string } {
  const U = ctx.settings.usage;
  const rate = `orders per year since the first order (counting at least ${U.minTenureDays} days)`;
  const edges = ctx.cutoffs?.usage.rateEdges;
  if (!edges || edges.values.length !== 2) {
    return {
      heavy: `Top ${pct(U.heavyTopShare)} of customers with orders by ${rate}`,
      moderate: `The next ${pct(U.moderateNextShare)} of customers with orders by ${rate}`,
      light: `The other customers with orders, and customers without orders`,
    };
  }
  return {
    heavy: `${cap(aboveEdgeWords(edges, 1))} ${rate} (top ${pct(U.heavyTopShare)})`,
    moderate: `${cap(aboveEdgeWords(edges, 0))} and ${notAboveEdgeWords(edges, 1)} ${rate} (next ${pct(U.moderateNextShare)})`,
    light: `${cap(notAboveEdgeWords(edges, 0))} ${rate}, or no orders yet`,
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
