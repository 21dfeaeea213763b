// Special functions needed by the BG/NBD and Gamma-Gamma models.
// Implemented here (rather than pulled from a package) so the core stays
// dependency-free and every numerical choice is visible and tested.

const LANCZOS_G = 7;
const LANCZOS_COEF = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(x) for x > 0 (Lanczos approximation, ~15 significant digits). */
export function gammaln(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x < 0.5) {
    // Reflection keeps accuracy for small arguments: Γ(x)Γ(1-x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - gammaln(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS_COEF[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEF[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ψ(x) = d/dx log Γ(x) for x > 0 (recurrence up to x >= 10, then the asymptotic series). */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Bernoulli-number series: ln x - 1/2x - Σ B2k / (2k x^2k)
  result +=
    Math.log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return result;
}

/** ψ'(x) = d²/dx² log Γ(x) for x > 0 (recurrence up to x >= 10, then the asymptotic series). */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let result = 0;
  while (x < 10) {
    result += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // 1/x + 1/2x² + Σ B2k / x^(2k+1): B2 = 1/6, B4 = -1/30, B6 = 1/42, B8 = -1/30, B10 = 5/66.
  result +=
    inv + 0.5 * inv2 + inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66)))));
  return result;
}

/** log B(a, b). */
export function betaln(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

export class SeriesDidNotConvergeError extends Error {}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1 by its power
 * series. Terms are accumulated until they stop changing the sum at double
 * precision; if that does not happen within `maxTerms`, it throws instead of
 * returning a truncated (wrong) value.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 200_000): number {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hyp2f1: z must be in [0, 1), got ${z}`);
  if (c <= 0 && Number.isInteger(c))
    throw new SeriesDidNotConvergeError("hyp2f1: c must not be a non-positive integer");
  let term = 1;
  let sum = 1;
  for (let k = 0; k < maxTerms; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (term === 0) return sum;
    // Once the term ratio is below 1 the tail is bounded by term / (1 - ratio).
    const ratio = Math.abs((((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * z);
    if (ratio < 1 && Math.abs(term) / (1 - ratio) <= 1e-15 * Math.abs(sum)) return sum;
  }
  throw new SeriesDidNotConvergeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
}

const RESCALE_AT = 1e280;
const LOG_RESCALE = Math.log(RESCALE_AT);

/**
 * log 2F1(a, b; c; z) for a, b, c > 0 and 0 <= z < 1. All terms are positive,
 * so the sum can be carried in linear space and rescaled whenever it grows
 * past 1e280: no overflow however large the parameters (a customer with
 * thousands of orders, or a fitted a, b in the tens of thousands).
 */
export function logHyp2f1Positive(a: number, b: number, c: number, z: number, maxTerms = 1_000_000): number {
  if (!(a > 0 && b > 0 && c > 0)) throw new RangeError("logHyp2f1Positive needs a, b, c > 0");
  if (!(z >= 0 && z < 1)) throw new RangeError(`logHyp2f1Positive: z must be in [0, 1), got ${z}`);
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < maxTerms; k++) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (sum > RESCALE_AT) {
      sum /= RESCALE_AT;
      term /= RESCALE_AT;
      logScale += LOG_RESCALE;
    }
    if (term === 0) break;
    const ratio = (((a + k + 1) * (b + k + 1)) / ((c + k + 1) * (k + 2))) * z;
    if (ratio < 1 && term / (1 - ratio) <= 1e-15 * sum) return logScale + Math.log(sum);
  }
  if (term === 0) return logScale + Math.log(sum);
  throw new SeriesDidNotConvergeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${maxTerms} terms`);
}
