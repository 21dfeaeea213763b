// A distribution as a bar chart draws it: how many values fall in each of a
// few equal ranges from 0 to the largest value.

export interface EqualRangeCounts {
  /** The largest value (0 when there are none); range k is [k, k + 1) × max / counts.length, the last one closed. */
  max: number;
  counts: number[];
}

/** Counts of non-negative `values` in `ranges` equal ranges from 0 to their maximum (a value below 0 counts in the first). */
export function equalRangeCounts(values: ArrayLike<number>, ranges: number): EqualRangeCounts {
  if (!Number.isInteger(ranges) || ranges < 1) throw new RangeError(`ranges must be a positive integer, got ${ranges}`);
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  const counts = new Array<number>(ranges).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    counts[v > 0 ? Math.min(ranges - 1, Math.floor((ranges * v) / max)) : 0]++;
  }
  return { max, counts };
}
