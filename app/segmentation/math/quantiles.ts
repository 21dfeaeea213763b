// Quantile edges and scores with deterministic tie handling. An edge is the
// value at rank ceil(p n) of the sorted data; a group of equal values that
// straddles an edge goes to the side where most of it lies (equivalently:
// the quantile of its mid-rank). So equal values always get equal scores
// whatever the input order, a heavily tied top value (many customers who
// ordered today) still gets the top score, and stored edges give an
// incremental update exactly the score a full recompute with the same edges
// gives.

export interface QuantileEdges {
  values: number[];
  /** Per edge: whether a value equal to the edge counts as above it. */
  tiesAbove: boolean[];
}

/** Edges at probabilities p (each in (0,1)) of ascending data. */
export function quantileEdges(sortedAscending: ArrayLike<number>, probabilities: readonly number[]): QuantileEdges {
  const n = sortedAscending.length;
  const values: number[] = [];
  const tiesAbove: boolean[] = [];
  if (n === 0) return { values, tiesAbove };
  for (const p of probabilities) {
    const boundary = p * n; // ranks below the boundary are "below the quantile"
    const idx = Math.min(n - 1, Math.max(0, Math.ceil(boundary) - 1));
    const v = sortedAscending[idx];
    const lo = lowerBound(sortedAscending, v);
    const hi = upperBound(sortedAscending, v);
    values.push(v);
    tiesAbove.push(hi - boundary > boundary - lo);
  }
  return { values, tiesAbove };
}

export function isAbove(value: number, edges: QuantileEdges, k: number): boolean {
  const e = edges.values[k];
  return value > e || (value === e && edges.tiesAbove[k]);
}

/** 1 + number of edges the value is above (1..edges + 1). */
export function scoreAgainst(value: number, edges: QuantileEdges): number {
  let s = 1;
  for (let k = 0; k < edges.values.length; k++) if (isAbove(value, edges, k)) s++;
  return s;
}

export const QUINTILES = [0.2, 0.4, 0.6, 0.8];

function lowerBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
