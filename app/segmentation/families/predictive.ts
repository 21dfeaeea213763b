// predictive: BG/NBD (how many orders, whether still active) and Gamma-Gamma
// (order value), fitted on the shop's own data at the as-of date (models/),
// then spend tiers on the predicted 12-month value. When the models cannot
// be fitted the family assigns nothing and says why; the catalog carries a
// note on what the fit says about each segment (predictiveNotes.ts).
import type { BgNbdLimit, BgNbdParamName } from "../models/bgnbd";
import { z } from "zod";
import type { FitTimings } from "../cutoffs";
import { MS_PER_DAY } from "../features/clock";
import type { ShopColumns } from "../features/columns";
import { valueRangeCounts, type ValueRangeCounts } from "../math/value-ranges";
import { toFixedDigits } from "../math/fixed-decimals";
import { type QuantileEdges, quantileEdgesOf, scoreAgainst } from "../math/quantiles";
import {
  emptyPurchaseSummary,
  fitShopModels,
  predictCustomer,
  predictedYearValue,
  seriesFor,
  summarizePurchases,
} from "../models/predict";
import type { Settings } from "../settings";
import { share } from "../settings-fields";
import {
  aboveText,
  aboveEdgeWords,
  addMembership,
  catalogEntry,
  type CatalogContext,
  countOf,
  type FamilyModule,
  fmt,
  notAboveEdgeWords,
  pct,
  plain,
} from "./family";
import { predictiveNote } from "./predictive-notes";

export type PredictiveCutoffs =
  | {
      status: "ok";
      timeUnit: "day" | "week";
      unitDays: number;
      bgnbd: {
        r: number;
        alpha: number;
        a: number;
        b: number;
        logLik: number;
        /**
         * Parameters the data do not pin down: ["a", "b"] when the fit is the
         * no-dropout limit (a = 0, b has no effect). Absent in cut-offs stored
         * before this field existed, which means none.
         */
        notIdentified?: BgNbdParamName[];
        /**
         * "no-dropout": the data show hardly any customers leaving, so the
         * model is the limit where every customer stays active (P(alive) = 1
         * for everyone; expected orders follow each customer's own rate).
         * "homogeneous-dropout": every customer has the same chance a/(a+b)
         * of leaving after a purchase. See BgNbdFit.
         */
        limit?: BgNbdLimit | null;
      };
      gammaGamma: {
        p: number;
        q: number;
        gamma: number;
        logLik: number;
        /** ["q", "gamma"] in the homogeneous-spend limit (see GammaGammaFit); absent in older cut-offs. */
        notIdentified?: ("p" | "q" | "gamma")[];
        limit?: "homogeneous-spend" | null;
      };
      customers: number;
      repeatCustomers: number;
      /** Edges of clv12m (minor units): [medium tier, high tier]. */
      clvEdges: QuantileEdges;
      /**
       * The fitted customers' clv12m (minor units) in at most
       * CLV_DISTRIBUTION_RANGES ranges between round numbers (ADR 063): the
       * overview's chart, kept with the model because the values move with
       * every fit (ADR 060). Absent in cut-offs fitted before 2026-12-07;
       * without `edges` (fitted before ADR 063) in equal ranges from 0 to max.
       */
      clvDistribution?: ValueRangeCounts;
    }
  | { status: "not-enough-data"; reason: string };

const predictiveSettings = z
  .strictObject({
    timeUnit: z.enum(["day", "week"]).default("week"),
    minCustomers: z.number().int().min(10).default(200),
    minRepeatCustomers: z.number().int().min(10).default(30),
    likelyActiveMinPAlive: share.default(0.7),
    churnRiskMaxPAlive: share.default(0.3),
    likelyToBuyMinOrders90d: z.number().min(0).default(0.5),
    highValueTopShare: share.default(0.2),
    mediumValueNextShare: share.default(0.3),
  })
  .prefault({});

/** Ranges, at most, of the predicted 12-month value distribution kept with the model (the overview's chart). */
export const CLV_DISTRIBUTION_RANGES = 10;

const TIER_HANDLE = { high: "high-value", medium: "medium-value", low: "low-value" } as const;

export const predictiveFamily: FamilyModule<"predictive", typeof predictiveSettings> = {
  family: "predictive",
  settings: {
    key: "predictive",
    schema: predictiveSettings,
    check(p, issue) {
      if (p.highValueTopShare + p.mediumValueNextShare > 1) {
        issue([], "highValueTopShare + mediumValueNextShare must not exceed 1");
      }
      if (p.churnRiskMaxPAlive >= p.likelyActiveMinPAlive) {
        issue([], "churnRiskMaxPAlive must be below likelyActiveMinPAlive");
      }
    },
  },
  catalog(ctx) {
    const P = ctx.settings.predictive;
    const d = definitions(ctx);
    const entries = [
      catalogEntry(
        "predictive",
        "high-value",
        "Predicted high spenders",
        `Top ${P.highValueTopShare * 100}% by predicted 12-month value (BG/NBD x Gamma-Gamma)`,
        d.high,
      ),
      catalogEntry(
        "predictive",
        "medium-value",
        "Predicted medium spenders",
        `Next ${P.mediumValueNextShare * 100}% by predicted 12-month value`,
        d.medium,
      ),
      catalogEntry("predictive", "low-value", "Predicted low spenders", "The rest by predicted 12-month value", d.low),
      catalogEntry(
        "predictive",
        "likely-active",
        "Likely active",
        `Repeat customers with P(alive) >= ${P.likelyActiveMinPAlive}`,
        `At least two purchase days and a probability of still being a customer (BG/NBD P(alive)) of at least ${plain(P.likelyActiveMinPAlive)}`,
      ),
      catalogEntry(
        "predictive",
        "churn-risk",
        "Churn risk",
        `Repeat customers with P(alive) < ${P.churnRiskMaxPAlive}`,
        `At least two purchase days and a probability of still being a customer (BG/NBD P(alive)) below ${plain(P.churnRiskMaxPAlive)}`,
      ),
      catalogEntry(
        "predictive",
        "likely-to-buy",
        "Likely to buy soon",
        `At least ${P.likelyToBuyMinOrders90d} expected orders in the next 90 days`,
        `At least ${plain(P.likelyToBuyMinOrders90d)} expected orders in the next 90 days (BG/NBD)`,
      ),
    ];
    const cutoffs = ctx.cutoffs;
    if (!cutoffs) return entries;
    return entries.map((e) => ({ ...e, model: predictiveNote(e.handle, cutoffs.predictive, ctx.money) }));
  },
  prepare({ cutoffs, settings, asOfMs, asOfDay, money }) {
    const pred = cutoffs.predictive;
    const ps = settings.predictive;
    const summaryScratch = emptyPurchaseSummary();
    // Numbers of the shop written once, not once per customer.
    const clvEdgeText = pred.status === "ok" ? pred.clvEdges.values.map((v) => money(v)) : [];
    const likelyActiveText = ps.likelyActiveMinPAlive.toFixed(2);
    const churnRiskText = ps.churnRiskMaxPAlive.toFixed(2);
    const likelyToBuyText = fmt(ps.likelyToBuyMinOrders90d);
    return (cf, d, out) => {
      if (pred.status !== "ok") {
        out.predictive = pred;
        return;
      }
      const s = summarizePurchases(
        cf.purchaseDays,
        cf.dayTotalsMinor,
        0,
        cf.purchaseDays.length,
        asOfDay,
        summaryScratch,
      );
      if (!s) {
        out.predictive = { status: "not-enough-data", reason: "no orders on or before the as-of date" };
        return;
      }
      const p = predictCustomer(pred.bgnbd, pred.gammaGamma, pred.unitDays, s, seriesFor(pred.bgnbd, pred.unitDays));
      if (!Number.isFinite(p.expectedOrders365d) || !Number.isFinite(p.clv12m)) {
        out.predictive = {
          status: "not-enough-data",
          reason: "the model gives no finite prediction for this customer's history",
        };
        return;
      }
      const tierScore = scoreAgainst(p.clv12m, pred.clvEdges);
      const tier = tierScore === 3 ? "high" : tierScore === 2 ? "medium" : "low";
      out.predictive = {
        status: "ok",
        pAlive: p.pAlive,
        expectedOrders90d: p.expectedOrders90d,
        expectedOrders365d: p.expectedOrders365d,
        expectedOrderValueMinor: p.expectedOrderValue,
        clv12mMinor: p.clv12m,
        nextOrderDate: p.pAlive >= ps.churnRiskMaxPAlive ? asOfMs + Math.round(p.daysToNextOrder * MS_PER_DAY) : null,
        spendTier: tier,
      };
      d.pAlive = p.pAlive;
      d.expectedOrders90d = p.expectedOrders90d;
      d.expectedOrders365d = p.expectedOrders365d;
      d.clv12mMinor = p.clv12m;
      const k = tier === "high" ? 1 : 0;
      addMembership(
        out,
        "predictive",
        TIER_HANDLE[tier],
        out.withReasons
          ? `12-month value ${money(p.clv12m)} ${aboveText(p.clv12m, pred.clvEdges, k, clvEdgeText[k])} (${fmt(p.expectedOrders365d)} orders x ${money(p.expectedOrderValue)})`
          : "",
      );
      if (s.x > 0 && p.pAlive >= ps.likelyActiveMinPAlive) {
        addMembership(
          out,
          "predictive",
          "likely-active",
          out.withReasons
            ? `${countOf(cf.orders, "order")}, last ${countOf(d.recencyDays!, "day")} ago; P(alive) ${toFixedDigits(p.pAlive, 2)} >= ${likelyActiveText}`
            : "",
        );
      }
      if (s.x > 0 && p.pAlive < ps.churnRiskMaxPAlive) {
        addMembership(
          out,
          "predictive",
          "churn-risk",
          out.withReasons
            ? `${countOf(cf.orders, "order")}, last ${countOf(d.recencyDays!, "day")} ago; P(alive) ${toFixedDigits(p.pAlive, 2)} < ${churnRiskText}`
            : "",
        );
      }
      if (p.expectedOrders90d >= ps.likelyToBuyMinOrders90d) {
        addMembership(
          out,
          "predictive",
          "likely-to-buy",
          out.withReasons ? `${fmt(p.expectedOrders90d)} expected orders in 90 days >= ${likelyToBuyText}` : "",
        );
      }
    };
  },
};

function definitions(ctx: CatalogContext): { high: string; medium: string; low: string } {
  const P = ctx.settings.predictive;
  const value =
    "predicted 12-month value (expected orders in the next 365 days from BG/NBD x expected order value from Gamma-Gamma)";
  const pred = ctx.cutoffs?.predictive;
  if (!pred || pred.status !== "ok" || pred.clvEdges.values.length !== 2) {
    return {
      high: `Top ${pct(P.highValueTopShare)} of customers with orders by ${value}`,
      medium: `The next ${pct(P.mediumValueNextShare)} by ${value}`,
      low: `The other customers with orders, by ${value}`,
    };
  }
  const e = pred.clvEdges;
  const m = ctx.money;
  return {
    high: `A ${value} of ${aboveEdgeWords(e, 1, m)} (top ${pct(P.highValueTopShare)})`,
    medium: `A ${value} of ${aboveEdgeWords(e, 0, m)} and ${notAboveEdgeWords(e, 1, m)} (next ${pct(P.mediumValueNextShare)})`,
    low: `A ${value} of ${notAboveEdgeWords(e, 0, m)} (the rest of the customers with orders)`,
  };
}

/** The fit step: BG/NBD and Gamma-Gamma on the shop's customers, or why they are not usable. */
export function fitPredictive(
  c: ShopColumns,
  settings: Settings,
  asOfDay: number,
  timings?: FitTimings,
): PredictiveCutoffs {
  const ps = settings.predictive;
  const unitDays = ps.timeUnit === "week" ? 7 : 1;
  let buyers = 0;
  for (let i = 0; i < c.n; i++)
    if (c.dayOffsets[i + 1] > c.dayOffsets[i] && c.days[c.dayOffsets[i]] <= asOfDay) buyers++;
  if (buyers < ps.minCustomers) {
    return {
      status: "not-enough-data",
      reason: `${buyers} customers with orders; the models need at least ${ps.minCustomers}`,
    };
  }
  const fits = fitShopModels(
    { customers: c.n, dayOffsets: c.dayOffsets, days: c.days, dayTotals: c.dayTotals },
    asOfDay,
    unitDays,
  );
  if (timings) {
    timings.ms.bgnbd = fits.bgnbdMs;
    timings.ms.gammaGamma = fits.gammaGammaMs;
  }
  if (fits.repeatCustomers < ps.minRepeatCustomers) {
    return {
      status: "not-enough-data",
      reason: `${fits.repeatCustomers} customers with a repeat purchase; the models need at least ${ps.minRepeatCustomers}`,
    };
  }
  const bg = fits.bgnbd;
  if (!bg.converged || bg.atBound || !Number.isFinite(bg.logLik)) {
    return {
      status: "not-enough-data",
      reason: `the BG/NBD fit is not reliable (${bg.atBound ? "a parameter hit its bound" : bg.message})`,
    };
  }
  const gg = fits.gammaGamma;
  if (!gg || !gg.converged || gg.atBound || !(gg.params.q > 1)) {
    return {
      status: "not-enough-data",
      reason: !gg
        ? "no repeat purchases with a positive value for the spend model"
        : gg.params.q <= 1
          ? `the Gamma-Gamma fit has q = ${gg.params.q.toFixed(3)} <= 1, so expected order values are undefined`
          : `the Gamma-Gamma fit is not reliable (${gg.atBound ? "a parameter hit its bound" : gg.message})`,
    };
  }
  // Spend tier edges from the distribution of predicted 12-month value.
  const t0 = performance.now();
  const clv = new Float64Array(c.n);
  let valued = 0;
  const reuse = emptyPurchaseSummary();
  // The assignment that follows with these cut-offs (in this process) reuses the 365-day series kept here.
  const series = seriesFor(bg.params, unitDays);
  for (let i = 0; i < c.n; i++) {
    const s = summarizePurchases(c.days, c.dayTotals, c.dayOffsets[i], c.dayOffsets[i + 1], asOfDay, reuse);
    if (!s) continue;
    const value = predictedYearValue(gg.params, s, series);
    if (Number.isFinite(value)) clv[valued++] = value;
  }
  if (valued === 0) {
    return { status: "not-enough-data", reason: "the fitted models give no finite 12-month value for any customer" };
  }
  // Before the edges: quantileEdgesOf reorders the values (the counts do not depend on their order).
  const clvDistribution = valueRangeCounts(clv.subarray(0, valued), CLV_DISTRIBUTION_RANGES);
  const clvEdges = quantileEdgesOf(clv.subarray(0, valued), [
    1 - ps.highValueTopShare - ps.mediumValueNextShare,
    1 - ps.highValueTopShare,
  ]);
  if (timings) timings.ms.spendTiers = performance.now() - t0;
  return {
    status: "ok",
    timeUnit: ps.timeUnit,
    unitDays,
    bgnbd: { ...bg.params, logLik: bg.logLik, notIdentified: bg.notIdentified, limit: bg.limit },
    gammaGamma: { ...gg.params, logLik: gg.logLik, notIdentified: gg.notIdentified, limit: gg.limit },
    customers: fits.customers,
    repeatCustomers: fits.repeatCustomers,
    clvEdges,
    clvDistribution,
  };
}
