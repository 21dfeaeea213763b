// A readable histogram of a skewed distribution (the predicted 12-month
// values): ranges bounded by round numbers on a 1-2-5 scale, finer where
// the customers are, instead of equal ranges from 0 to the largest value,
// which put nearly everyone in the first range (ADR 063).
import { selectRank, upperBound } from "./quantiles";

/** Counts of values per range: range 0 is [0, edges[0]), range k is [edges[k - 1], edges[k]), the last up to max. */
export interface ValueRangeCounts {
  /** Ascending round numbers (1, 2 or 5 times a power of ten, or coarser steps of the same), the ranges' bounds. */
  edges: number[];
  max: number;
  /** edges.length + 1 counts. */
  counts: number[];
}

/** Multipliers of each power of ten, finest first; then a bound every 10^k only. */
const STEPS: readonly (readonly number[])[] = [[1, 2, 5], [1, 3], [1]];

/** Share of the positive values left below the first bound, at most: the first range holds the smallest values. */
const BELOW_FIRST_BOUND = 0.05;

/**
 * Counts of non-negative `values` (a value below 0 counts in the first range)
 * in at most `maxRanges` ranges whose bounds are round numbers: the first
 * bound at or below the 5th percentile of the positive values, then the
 * finest 1-2-5, 1-3 or decade scale that keeps the ranges within maxRanges up
 * to the largest value. All values equal to 0 (or none): one range.
 */
export function valueRangeCounts(values: ArrayLike<number>, maxRanges: number): ValueRangeCounts {
  if (!Number.isInteger(maxRanges) || maxRanges < 2)
    throw new RangeError(`maxRanges must be an integer of at least 2, got ${maxRanges}`);
  let max = 0;
  let positives = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > max) max = values[i];
    if (values[i] > 0) positives++;
  }
  const positive = new Float64Array(positives);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] > 0) positive[k++] = values[i];
  // A first bound far below the largest value would only add empty ranges (and 10^e underflows near 1e-308).
  const edges = positive.length
    ? roundEdges(Math.max(lowQuantile(positive), max * 1e-12, 1e-300), max, maxRanges - 1)
    : [];
  const counts = new Array<number>(edges.length + 1).fill(0);
  // The range holding a value: the number of bounds at or below it.
  for (let i = 0; i < values.length; i++) counts[upperBound(edges, values[i])]++;
  return { edges, max, counts };
}

/** The value BELOW_FIRST_BOUND of the way up the positive values, by selection (linear time; reorders them). */
function lowQuantile(positive: Float64Array): number {
  return selectRank(positive, Math.floor(BELOW_FIRST_BOUND * (positive.length - 1)));
}

/**
 * At most `maxEdges` round bounds from the largest round number at or below
 * `low` to below `max`: on the finest scale that fits, else one bound per
 * 10^k decades with the smallest k that fits.
 */
function roundEdges(low: number, max: number, maxEdges: number): number[] {
  for (const multipliers of STEPS) {
    const edges = scale(low, max, multipliers, 1);
    if (edges.length <= maxEdges) return edges;
  }
  for (let decades = 2; ; decades++) {
    const edges = scale(low, max, [1], decades);
    if (edges.length <= maxEdges) return edges;
  }
}

/** The round numbers m × 10^e (m in multipliers, e a multiple of `decades` from the start) from low's floor to below max. */
function scale(low: number, max: number, multipliers: readonly number[], decades: number): number[] {
  let exponent = Math.floor(Math.log10(low));
  // The largest round number at or below low: step down while the first candidate is above it.
  let start = 0;
  for (let m = multipliers.length - 1; m >= 0; m--) {
    if (multipliers[m] * 10 ** exponent <= low * (1 + 1e-12)) {
      start = m;
      break;
    }
    if (m === 0) exponent -= 1;
  }
  const edges: number[] = [];
  for (let e = exponent, m = start; ;) {
    const edge = round(multipliers[m] * 10 ** e);
    if (edge >= max) return edges;
    edges.push(edge);
    if (++m === multipliers.length) {
      m = 0;
      e += decades;
    }
  }
}

/** 10^e for negative e is inexact in binary: 2 × 10^-1 prints as 0.2 again after rounding to 12 significant digits. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** The bounds of `ranges` equal ranges from 0 to max: how distributions counted before ADR 063 read. */
export function equalRangeEdges(max: number, ranges: number): number[] {
  return Array.from({ length: ranges - 1 }, (_, i) => ((i + 1) * max) / ranges);
}
