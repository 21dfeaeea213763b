// Segment assignment: one customer's features + the shop's cut-offs ->
// memberships of every family, each with a reason carrying the numbers.
// `createAssigner` prepares everything that depends only on the shop
// (occasion calendar, compiled custom rules) once; `assignSegments` is the
// single-customer entry point, `assignTable` the bulk one.
import type { ShopCutoffs } from "./cutoffs";
import { toEpochMs } from "./cutoffs";
import type { FeatureTable } from "../features/accumulator";
import { civilFromDay, dayFromCivil, isoOfDay, MS_PER_DAY, ShopClock } from "../features/clock";
import { type CustomerFeatures, emptyCustomerFeatures } from "../features/customer";
import { isAbove, type QuantileEdges, scoreAgainst } from "../math/quantiles";
import { cacheFor, predictCustomer, summarizePurchases } from "../models/predict";
import { compileRule, fmt } from "../rules/evaluate";
import type { DerivedFeatures } from "../rules/features";
import type { Settings } from "./settings";
import { CHANNEL_GROUPS } from "./segments/channels";
import { type DeriveContext, deriveFeatures, emptyDerived, SEASONS } from "./segments/derive";
import { OccasionCalendar } from "./segments/occasions";
import { rfmGroupOf } from "./segments/rfmGroups";
import type {
  CustomerAssignment,
  Family,
  Membership,
  PredictiveUnavailable,
  PredictiveValues,
  RfmScores,
} from "../types";

export interface Assigner {
  readonly asOfDay: number;
  assign(features: CustomerFeatures): CustomerAssignment;
  /** Derived features (scores and predictions included) of the customer last assigned; overwritten by the next call. */
  lastDerived(): DerivedFeatures;
}

export function createAssigner(cutoffs: ShopCutoffs, settings: Settings, asOf: Date | number): Assigner {
  if (settings.timeZone !== cutoffs.timeZone) {
    throw new RangeError(`cut-offs were fitted in time zone ${cutoffs.timeZone}, settings say ${settings.timeZone}`);
  }
  const asOfMs = toEpochMs(asOf);
  const asOfDay = new ShopClock(settings.timeZone).day(asOfMs);
  const ctx: DeriveContext = {
    asOfDay,
    minTenureDays: settings.usage.minTenureDays,
    hemisphere: settings.hemisphere,
    priceQuantiles: cutoffs.priceQuantiles,
  };
  // A fixed span (not the data's) so one customer and the whole shop see the same calendar.
  const calendar = new OccasionCalendar(settings, asOfDay - 366 * 40, asOfDay + 366);
  const custom = settings.customSegments.map((c) => ({
    handle: c.handle,
    test: compileRule(c.rule),
  }));
  const av = cutoffs.availability;
  const pred = cutoffs.predictive;
  const money = (minor: number) => (minor / 10 ** settings.currencyDecimals).toFixed(settings.currencyDecimals);
  const L = settings.loyalty;
  const row = emptyDerived();
  const summaryScratch = {
    x: 0,
    txDays: 0,
    Tdays: 0,
    repeatMean: 0,
    repeatTotal: 0,
  };
  const occasionCounts = new Int32Array(calendar.defs.length);
  const occasionLastDay = new Int32Array(calendar.defs.length);

  function assign(cf: CustomerFeatures): CustomerAssignment {
    if (cf.timeZone !== settings.timeZone) {
      throw new RangeError(
        `customer ${cf.customerId} features are in ${cf.timeZone}, the shop is in ${settings.timeZone}`,
      );
    }
    const d = deriveFeatures(cf, ctx, row);
    const orders = cf.orders;
    const spent = cf.totalSpentMinor;
    const out: Membership[] = [];
    current = out;

    // RFM
    let scores: RfmScores | null = null;
    if (orders === 0 || d.lastOrderDate === null) {
      add("rfm", "prospects", "no orders yet");
    } else {
      const r = scoreAgainst(d.lastOrderDate, cutoffs.rfm.recency);
      const f = scoreAgainst(orders, cutoffs.rfm.frequency);
      const m = scoreAgainst(spent, cutoffs.rfm.monetary);
      scores = { recency: r, frequency: f, monetary: m };
      d.recencyScore = r;
      d.frequencyScore = f;
      d.monetaryScore = m;
      const g = rfmGroupOf(r, f, m);
      add(
        "rfm",
        g.handle,
        `R ${r} F ${f} M ${m} (FM ${fmt((f + m) / 2)}): last order ${d.recencyDays} days ago, ${orders} orders, ${money(spent)} spent`,
      );
    }

    // Usage rate
    const rate = d.annualOrderRate ?? 0;
    const rateEdges = cutoffs.usage.rateEdges;
    const usageTier = orders > 0 ? scoreAgainst(rate, rateEdges) : 1;
    if (usageTier === 3) {
      add(
        "usage",
        "heavy",
        `${fmt(rate)} orders/year ${above(rate, rateEdges, 1)} (top ${pct(settings.usage.heavyTopShare)})`,
      );
    } else if (usageTier === 2) {
      add("usage", "moderate", `${fmt(rate)} orders/year ${above(rate, rateEdges, 0)}`);
    } else {
      add("usage", "light", orders === 0 ? "no orders yet" : `${fmt(rate)} orders/year ${above(rate, rateEdges, 0)}`);
    }

    // Loyalty and lifecycle
    if (orders > 0 && d.recencyDays !== null && d.tenureDays !== null) {
      const stage = lifecycle(d);
      add("loyalty", stage.handle, stage.reason);
      if (
        av.discounts &&
        (stage.handle === "one-time" || stage.handle === "lapsed") &&
        d.discountedOrderShare !== null &&
        d.discountedOrderShare >= L.switcherMinDiscountShare
      ) {
        add(
          "loyalty",
          "switchers",
          `${stage.handle}, ${pct(d.discountedOrderShare)} of orders discounted >= ${pct(L.switcherMinDiscountShare)}`,
        );
      }
    }

    // Predictive
    let predictive: PredictiveValues | PredictiveUnavailable;
    if (pred.status !== "ok") {
      predictive = pred;
    } else {
      const s = summarizePurchases(
        cf.purchaseDays,
        cf.dayTotalsMinor,
        0,
        cf.purchaseDays.length,
        asOfDay,
        summaryScratch,
      );
      if (!s) {
        predictive = {
          status: "not-enough-data",
          reason: "no orders on or before the as-of date",
        };
      } else {
        const p = predictCustomer(pred.bgnbd, pred.gammaGamma, pred.unitDays, s, cacheFor(pred.bgnbd, pred.unitDays));
        if (!Number.isFinite(p.expectedOrders365d) || !Number.isFinite(p.clv12m)) {
          predictive = {
            status: "not-enough-data",
            reason: "the model gives no finite prediction for this customer's history",
          };
        } else {
          const ps = settings.predictive;
          const tierScore = scoreAgainst(p.clv12m, pred.clvEdges);
          const tier = tierScore === 3 ? "high" : tierScore === 2 ? "medium" : "low";
          predictive = {
            status: "ok",
            pAlive: p.pAlive,
            expectedOrders90d: p.expectedOrders90d,
            expectedOrders365d: p.expectedOrders365d,
            expectedOrderValueMinor: p.expectedOrderValue,
            clv12mMinor: p.clv12m,
            nextOrderDate:
              p.pAlive >= ps.churnRiskMaxPAlive ? asOfMs + Math.round(p.daysToNextOrder * MS_PER_DAY) : null,
            spendTier: tier,
          };
          d.pAlive = p.pAlive;
          d.expectedOrders90d = p.expectedOrders90d;
          d.expectedOrders365d = p.expectedOrders365d;
          d.clv12mMinor = p.clv12m;
          const k = tier === "high" ? 1 : 0;
          add(
            "predictive",
            TIER_HANDLE[tier],
            `12-month value ${money(p.clv12m)} ${above(p.clv12m, pred.clvEdges, k, money)} (${fmt(p.expectedOrders365d)} orders x ${money(p.expectedOrderValue)})`,
          );
          if (s.x > 0 && p.pAlive >= ps.likelyActiveMinPAlive) {
            add(
              "predictive",
              "likely-active",
              `${orders} orders, last ${d.recencyDays} days ago; P(alive) ${p.pAlive.toFixed(2)} >= ${ps.likelyActiveMinPAlive.toFixed(2)}`,
            );
          }
          if (s.x > 0 && p.pAlive < ps.churnRiskMaxPAlive) {
            add(
              "predictive",
              "churn-risk",
              `${orders} orders, last ${d.recencyDays} days ago; P(alive) ${p.pAlive.toFixed(2)} < ${ps.churnRiskMaxPAlive.toFixed(2)}`,
            );
          }
          if (p.expectedOrders90d >= ps.likelyToBuyMinOrders90d) {
            add(
              "predictive",
              "likely-to-buy",
              `${fmt(p.expectedOrders90d)} expected orders in 90 days >= ${fmt(ps.likelyToBuyMinOrders90d)}`,
            );
          }
        }
      }
    }

    // Occasions
    if (orders > 0) occasions(cf, d, add);

    // Benefits sought
    const B = settings.benefits;
    if (orders > 0) {
      if (
        av.discounts &&
        d.discountedOrderShare !== null &&
        cf.discountDataOrders >= B.discountSeekerMinOrders &&
        d.discountedOrderShare >= B.discountSeekerMinShare
      ) {
        add(
          "benefits",
          "discount-seekers",
          `${cf.discountedOrders} of ${cf.discountDataOrders} orders discounted (${pct(d.discountedOrderShare)} >= ${pct(B.discountSeekerMinShare)}), average ${fmt(d.avgDiscountPct ?? 0)}% off`,
        );
      }
      if (
        av.unitPrices &&
        d.relativeUnitPrice !== null &&
        d.relativeUnitPrice >= B.premiumMinPricePercentile &&
        (d.discountedOrderShare === null || d.discountedOrderShare <= B.premiumMaxDiscountShare)
      ) {
        add(
          "benefits",
          "premium-buyers",
          `average unit price ${money(d.avgUnitPriceMinor ?? 0)} at the ${pct(d.relativeUnitPrice)} percentile >= ${pct(B.premiumMinPricePercentile)}${d.discountedOrderShare !== null ? `, ${pct(d.discountedOrderShare)} discounted` : ""}`,
        );
      }
      const express =
        av.shipping && d.expressShippingShare !== null && d.expressShippingShare >= B.convenienceMinExpressShare;
      const replenish = av.products && (d.repeatProductCount ?? 0) >= B.convenienceMinRepeatedProducts;
      if (express || replenish) {
        const parts: string[] = [];
        if (express)
          parts.push(`${pct(d.expressShippingShare ?? 0)} express shipping >= ${pct(B.convenienceMinExpressShare)}`);
        if (replenish) parts.push(`${d.repeatProductCount} products re-bought >= ${B.convenienceMinRepeatedProducts}`);
        add("benefits", "convenience-buyers", parts.join("; "));
      }
      if (av.products && (d.distinctProductTypes ?? 0) >= B.varietyMinProductTypes) {
        add("benefits", "variety-seekers", `${d.distinctProductTypes} product types >= ${B.varietyMinProductTypes}`);
      }
    }

    // Response to marketing
    if (av.journey && orders > 0) {
      if (d.acquisitionChannel !== null) {
        const detail = [
          d.acquisitionSource && `source ${d.acquisitionSource}`,
          d.acquisitionMedium && `medium ${d.acquisitionMedium}`,
          d.acquisitionReferrer && `referrer ${d.acquisitionReferrer}`,
        ]
          .filter(Boolean)
          .join(", ");
        add(
          "marketing",
          ACQUIRED_HANDLE[d.acquisitionChannel],
          `first order ${isoOfDay(d.firstOrderDate ?? 0)} via ${d.acquisitionChannel}${detail ? ` (${detail})` : ""}`,
        );
      }
      if ((d.laterCampaignOrders ?? 0) >= settings.marketing.campaignResponderMinOrders) {
        add(
          "marketing",
          "campaign-responders",
          `${d.laterCampaignOrders} later orders from campaigns >= ${settings.marketing.campaignResponderMinOrders}`,
        );
      }
    }

    // Custom rules
    for (const c of custom) {
      const reason = c.test(d);
      if (reason !== null) add("custom", c.handle, reason);
    }

    return { customerId: cf.customerId, memberships: out, scores, predictive };
  }

  // The membership list being filled (a shared function, not a closure per customer).
  let current: Membership[] = [];
  function add(family: Family, segment: string, reason: string): void {
    current.push({ family, segment, key: keyOf(family, segment), reason });
  }

  function lifecycle(d: DerivedFeatures): { handle: string; reason: string } {
    const rec = d.recencyDays as number;
    const ten = d.tenureDays as number;
    const n = d.orders as number;
    if (ten <= L.newWithinDays)
      return {
        handle: "new",
        reason: `first order ${ten} days ago <= ${L.newWithinDays}`,
      };
    if (rec > L.lapsedAfterDays)
      return {
        handle: "lapsed",
        reason: `no order for ${rec} days > ${L.lapsedAfterDays}`,
      };
    const lastGap = d.lastDaysBetweenOrders;
    if (lastGap !== null && lastGap > L.lapsedAfterDays && rec <= L.reactivatedWithinDays) {
      return {
        handle: "reactivated",
        reason: `came back ${rec} days ago after ${lastGap} days without orders (> ${L.lapsedAfterDays})`,
      };
    }
    if (n === 1) return { handle: "one-time", reason: `1 order, ${rec} days ago` };
    if (rec > L.atRiskAfterDays)
      return {
        handle: "at-risk",
        reason: `${n} orders, none for ${rec} days > ${L.atRiskAfterDays}`,
      };
    if (n >= L.loyalMinOrders)
      return {
        handle: "loyal",
        reason: `${n} orders >= ${L.loyalMinOrders}, last ${rec} days ago`,
      };
    return { handle: "repeat", reason: `${n} orders, last ${rec} days ago` };
  }

  function occasions(cf: CustomerFeatures, d: DerivedFeatures, add: (f: Family, s: string, r: string) => void) {
    const counts = occasionCounts;
    const lastDay = occasionLastDay;
    counts.fill(0);
    lastDay.fill(0);
    for (const day of cf.purchaseDays) {
      let bits = calendar.at(day);
      while (bits) {
        const j = 31 - Math.clz32(bits);
        counts[j]++;
        lastDay[j] = Math.max(lastDay[j], day);
        bits &= ~(1 << j);
      }
    }
    calendar.defs.forEach((def, j) => {
      if (counts[j] > 0)
        add(
          "occasion",
          def.handle,
          `${counts[j]} order day${counts[j] > 1 ? "s" : ""} in the window, last ${isoOfDay(lastDay[j])}`,
        );
    });
    const O = settings.occasion;
    if (cf.orders >= O.seasonalMinOrders && d.topSeasonShare !== null && d.topSeasonShare >= O.seasonalMinShare) {
      add(
        "occasion",
        SEASON_HANDLE[d.topSeason as string],
        `${pct(d.topSeasonShare)} of ${cf.orders} orders in ${d.topSeason} >= ${pct(O.seasonalMinShare)}`,
      );
    }
    const first = d.firstOrderDate as number;
    const fc = civilFromDay(first);
    const now = civilFromDay(asOfDay);
    for (const y of [now.year, now.year + 1]) {
      if (y <= fc.year) continue;
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const anniversary = dayFromCivil(
        y,
        fc.month,
        fc.month === 2 && fc.dayOfMonth === 29 && !leap ? 28 : fc.dayOfMonth,
      );
      if (anniversary > asOfDay && anniversary <= asOfDay + O.anniversaryWithinDays) {
        add(
          "occasion",
          "first-order-anniversary",
          `first order ${isoOfDay(first)}: ${y - fc.year} year anniversary on ${isoOfDay(anniversary)}, in ${anniversary - asOfDay} days`,
        );
        break;
      }
    }
  }

  return { asOfDay, assign, lastDerived: () => row };
}

const TIER_HANDLE = {
  high: "high-value",
  medium: "medium-value",
  low: "low-value",
} as const;
const SEASON_HANDLE: Record<string, string> = Object.fromEntries(SEASONS.map((x) => [x, `seasonal-${x}`]));
const ACQUIRED_HANDLE: Record<string, string> = Object.fromEntries(CHANNEL_GROUPS.map((c) => [c, `acquired-${c}`]));

// "<family>/<segment>" strings built once, so millions of memberships share them.
const keyCache = new Map<string, Map<string, string>>();
function keyOf(family: string, segment: string): string {
  let byFamily = keyCache.get(family);
  if (!byFamily) keyCache.set(family, (byFamily = new Map()));
  let key = byFamily.get(segment);
  if (key === undefined) {
    key = `${family}/${segment}`;
    if (byFamily.size < 10_000) byFamily.set(segment, key);
  }
  return key;
}

/** "> 7.55", ">= 7.55" (a tie that counts as above) or "<= 7.55", against edge k. */
function above(value: number, edges: QuantileEdges, k: number, show: (v: number) => string = fmt): string {
  const e = edges.values[k];
  const symbol = isAbove(value, edges, k) ? (value > e ? ">" : ">=") : value < e ? "<" : "<=";
  return `${symbol} ${show(e)}`;
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

let lastAssigner: {
  cutoffs: ShopCutoffs;
  settings: Settings;
  asOf: number;
  assigner: Assigner;
} | null = null;

/** Memberships of one customer. Reuses the prepared assigner when called again with the same arguments. */
export function assignSegments(
  features: CustomerFeatures,
  cutoffs: ShopCutoffs,
  settings: Settings,
  asOf: Date | number,
): CustomerAssignment {
  const ms = toEpochMs(asOf);
  if (
    !lastAssigner ||
    lastAssigner.cutoffs !== cutoffs ||
    lastAssigner.settings !== settings ||
    lastAssigner.asOf !== ms
  ) {
    lastAssigner = {
      cutoffs,
      settings,
      asOf: ms,
      assigner: createAssigner(cutoffs, settings, asOf),
    };
  }
  return lastAssigner.assigner.assign(features);
}

export interface AssignSummary {
  customers: number;
  /** Members per "<family>/<segment>" key. */
  counts: Record<string, number>;
}

/**
 * Assigns every customer of a table, streaming each result to `onCustomer`
 * (for example to write memberships in batches) instead of keeping millions
 * of memberships in memory; returns the counts per segment.
 */
export function assignTable(
  table: FeatureTable,
  cutoffs: ShopCutoffs,
  settings: Settings,
  asOf: Date | number,
  onCustomer?: (assignment: CustomerAssignment, index: number) => void,
): AssignSummary {
  const assigner = createAssigner(cutoffs, settings, asOf);
  const counts = new Map<string, number>();
  // One reused features object: assignments never keep a reference to it.
  const scratch = emptyCustomerFeatures("", table.timeZone);
  for (let i = 0; i < table.size; i++) {
    const a = assigner.assign(table.customerInto(i, scratch));
    for (const m of a.memberships) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
    onCustomer?.(a, i);
  }
  return {
    customers: table.size,
    counts: Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
