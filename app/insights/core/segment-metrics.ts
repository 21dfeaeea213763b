// Per segment and period: conversion, churn, revenue, and the predictive
// model's expected orders against the actual ones. Pure, and free of the
// engine's modules: the insights page's component completes the metrics with
// the model's check when it arrives after the page (ADR 055).

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

/** The model's check: whether the model is fitted, and per segment the expected and actual purchase days of its members with an order before the period. */
export interface SegmentPredictions {
  fitted: boolean;
  segments: Record<string, { predicted: number; actual: number }>;
}

/** The metrics with each segment's check (none where it has no entry: the model is not fitted, or describes none of its members). */
export function withPredictions(metrics: readonly SegmentMetrics[], predictions: SegmentPredictions): SegmentMetrics[] {
  return metrics.map((m) => segmentMetrics(m, predictions.segments[m.segment] ?? null));
}
