// Quantile edges and scores with deterministic tie handling: edges are
// values of the sorted data, and a value's score counts the edges it is
// strictly above, so equal values always get equal scores, whatever the
// input order, and an incremental update with stored edges gives exactly
// the score a full recompute with the same edges gives.

/** Edges at probabilities p (each in (0,1)): the value at rank ceil(p n) of the ascending data. */
export function quantileEdges(
  sortedAscending: ArrayLike<number>,
  probabilities: readonly number[],
): number[] {
  const n = sortedAscending.length;
  if (n === 0) return [];
  return probabilities.map(
    (p) => sortedAscending[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))],
  );
}

/** 1 + number of edges the value is strictly above (1..edges.length + 1). */
export function scoreAgainst(value: number, edges: readonly number[]): number {
  let s = 1;
  for (const e of edges) if (value > e) s++;
  return s;
}

export const QUINTILES = [0.2, 0.4, 0.6, 0.8];
