// Shop-wide distribution of average unit prices as a log-spaced histogram:
// order independent, mergeable, constant memory, and quantiles accurate to
// the 2 % bin width, which is plenty for "premium = top 20 % of prices".

const PRICE_BIN_RATIO = 1.02;
export const PRICE_BINS = 1400; // 1.02^1400 ≈ 1e12 minor units
const LOG_RATIO = Math.log(PRICE_BIN_RATIO);

/** Bin 0 holds prices below 1 minor unit; bin k >= 1 holds [1.02^(k-1), 1.02^k). */
export function priceBin(priceMinor: number): number {
  if (!(priceMinor >= 1)) return 0;
  return Math.min(PRICE_BINS - 1, 1 + Math.floor(Math.log(priceMinor) / LOG_RATIO));
}

/** Representative price of a bin (geometric middle). */
function binPrice(bin: number): number {
  if (bin === 0) return 0;
  return Math.pow(PRICE_BIN_RATIO, bin - 0.5);
}

/** Quantile edges at the given probabilities (0..1), or [] for an empty histogram. */
export function histogramQuantiles(histogram: readonly number[], probabilities: readonly number[]): number[] {
  let total = 0;
  for (const c of histogram) total += c;
  if (total === 0) return [];
  const out: number[] = [];
  for (const p of probabilities) {
    const target = p * total;
    let cum = 0;
    let bin = 0;
    for (; bin < histogram.length; bin++) {
      cum += histogram[bin];
      if (cum >= target && histogram[bin] > 0) break;
    }
    out.push(Math.round(binPrice(Math.min(bin, histogram.length - 1))));
  }
  return out;
}
