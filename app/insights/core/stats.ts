// Interval estimates for comparing a treated group with its hold-out:
// Wilson score intervals for a proportion, Newcombe's hybrid score interval
// for a difference of two proportions (Newcombe 1998, method 10), and
// Welch's interval for a difference of two means (unequal variances, the
// Welch–Satterthwaite degrees of freedom). ADR 031 explains the choice.

/** The standard normal quantile (Acklam's algorithm, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Student's t quantile by the Cornish–Fisher expansion around the normal
 * quantile (Abramowitz & Stegun 26.7.5): within 0.1 % of the exact value for
 * 5+ degrees of freedom, which the lift's minimum group size guarantees.
 */
export function tQuantile(p: number, df: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(df)) return z;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Wilson's score interval for `successes` out of `n` at confidence `level`. */
export function wilsonInterval(successes: number, n: number, level = 0.95): Interval {
  if (n <= 0) throw new RangeError("wilsonInterval: n must be positive");
  if (successes < 0 || successes > n) throw new RangeError("wilsonInterval: successes must be within 0..n");
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (method 10 of Newcombe 1998):
 * the Wilson limits of each proportion combined by the square-and-add rule.
 * Unlike the Wald interval it stays inside [−1, 1] and keeps its coverage for
 * small counts and proportions near 0 or 1.
 */
export function newcombeDifference(s1: number, n1: number, s2: number, n2: number, level = 0.95): Interval {
  const a = wilsonInterval(s1, n1, level);
  const b = wilsonInterval(s2, n2, level);
  const d = a.estimate - b.estimate;
  const low = d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2);
  const high = d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2);
  return { estimate: d, low: Math.max(-1, low), high: Math.min(1, high) };
}

/** Count, mean and sample variance of a sample, as sums (groups are summed in SQL). */
export interface SampleMoments {
  n: number;
  sum: number;
  sumOfSquares: number;
}

export function momentsOf(values: readonly number[]): SampleMoments {
  let sum = 0;
  let sumOfSquares = 0;
  for (const v of values) {
    sum += v;
    sumOfSquares += v * v;
  }
  return { n: values.length, sum, sumOfSquares };
}

function meanAndVariance(m: SampleMoments): { mean: number; variance: number } {
  const mean = m.sum / m.n;
  const variance = m.n > 1 ? Math.max(0, (m.sumOfSquares - m.n * mean * mean) / (m.n - 1)) : 0;
  return { mean, variance };
}

/**
 * Welch's interval for mean1 − mean2 (unequal variances). Revenue per member
 * is mostly zeros with a long tail; with the group sizes the verdict requires
 * the mean is close enough to normal for this interval (ADR 031).
 */
export function welchDifference(
  a: SampleMoments,
  b: SampleMoments,
  level = 0.95,
): Interval & { degreesOfFreedom: number } {
  if (a.n < 2 || b.n < 2) throw new RangeError("welchDifference: each group needs at least 2 values");
  const x = meanAndVariance(a);
  const y = meanAndVariance(b);
  const va = x.variance / a.n;
  const vb = y.variance / b.n;
  const estimate = x.mean - y.mean;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { estimate, low: estimate, high: estimate, degreesOfFreedom: Infinity };
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = tQuantile(1 - (1 - level) / 2, df);
  return { estimate, low: estimate - t * se, high: estimate + t * se, degreesOfFreedom: df };
}
