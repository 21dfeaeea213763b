// Per segment and period: conversion, churn, revenue, and the predictive
// model's expected orders against the actual ones. Pure.
import { bgnbdConditionalExpected, type BgNbdParams } from "../../segmentation";

/** A segment's cohort (its members on the first day) and what they did in the period. */
export interface CohortOutcome {
  segment: string;
  members: number;
  /** Members with an order in the period. */
  buyers: number;
  orders: number;
  revenueMinor: number;
  /** Members who, at the end, had moved into a lapsed or churn-risk segment they were not in at the start. */
  churned: number;
  /** Distinct purchase days of members in the period (what BG/NBD predicts). */
  purchaseDays: number;
}

/** One member's purchase history at the start of the period, in days (BG/NBD's x, t_x, T). */
export interface PurchaseHistory {
  x: number;
  txDays: number;
  Tdays: number;
}

export interface SegmentMetrics extends CohortOutcome {
  conversion: number | null;
  churnRate: number | null;
  revenuePerMemberMinor: number | null;
  /**
   * The model's check, over the members with an order before the period (the
   * population BG/NBD describes): expected and actual purchase days in the
   * period; null when the model is not fitted.
   */
  predictedPurchaseDays: number | null;
  actualPurchaseDaysModelled: number | null;
  /** (actual − predicted) / predicted; null without a prediction. */
  predictionError: number | null;
}

/**
 * Expected purchase days of the members in a period of `periodDays`, from
 * each member's history at its start (members with no order before the
 * start are predicted from the population: x = t_x = T = 0).
 */
export function predictedPurchaseDays(
  params: BgNbdParams,
  unitDays: number,
  histories: readonly PurchaseHistory[],
  periodDays: number,
): number {
  let total = 0;
  for (const h of histories) {
    total += bgnbdConditionalExpected(params, periodDays / unitDays, h.x, h.txDays / unitDays, h.Tdays / unitDays);
  }
  return total;
}

export function segmentMetrics(
  outcome: CohortOutcome,
  prediction: { predicted: number; actual: number } | null,
): SegmentMetrics {
  const share = (n: number) => (outcome.members > 0 ? n / outcome.members : null);
  return {
    ...outcome,
    conversion: share(outcome.buyers),
    churnRate: share(outcome.churned),
    revenuePerMemberMinor: share(outcome.revenueMinor),
    predictedPurchaseDays: prediction?.predicted ?? null,
    actualPurchaseDaysModelled: prediction?.actual ?? null,
    predictionError:
      prediction && prediction.predicted > 0 ? (prediction.actual - prediction.predicted) / prediction.predicted : null,
  };
}
