// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using
// Iso-Value Curves for Customer Base Analysis"): average transaction value of
// customers with repeat purchases. Likelihood with exact gradient and Hessian
// (per distinct x: special functions once, and running sums of log(γ + m x),
// 1/(γ + m x) and its square over the records), fit by Newton's method on log
// parameters, and the conditional expected average order value.
import { minimizeNewton, type ObjectiveWithHessian } from "../math/newton";
import type { WarmStart } from "./bgnbd";
import { digamma, gammaln, trigamma } from "../math/special";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLik: number;
  customers: number;
  converged: boolean;
  iterations: number;
  message: string;
  atBound: boolean;
  /**
   * ["q", "gamma"] with `limit: "homogeneous-spend"` when q and γ grow without
   * bound together: every customer's spend has the same scale (the rate ν of
   * the model is the same for all), only γ/q is identified, and each
   * customer's expected order value is the population mean pγ/(q−1). The
   * reported q and γ are where the search box ends and predict as the limit does.
   */
  notIdentified: (keyof GammaGammaParams)[];
  limit: "homogeneous-spend" | null;
}

/** Customers with x > 0: their repeat count and the mean value of their repeat purchases. */
export interface SpendData {
  frequency: ArrayLike<number>;
  meanValue: ArrayLike<number>;
  /** Optional weights: how many customers share the record (default 1 each). */
  count?: ArrayLike<number>;
  length: number;
}

interface Prepared {
  n: number;
  w: Float64Array;
  total: number;
  x: Float64Array;
  mx: Float64Array; // m * x
  groupOf: Int32Array;
  xValues: Float64Array;
  groupCount: Float64Array;
  groupSumLogM: Float64Array;
  sumLogM: number;
  sumXLogX: number;
  /** Scratch per x group, reused by every evaluation. */
  scratch: Float64Array[];
}

function prepare(data: SpendData): Prepared {
  const n = data.length;
  const x = new Float64Array(n);
  const mx = new Float64Array(n);
  const w = new Float64Array(n);
  let total = 0;
  const distinctX = new Set<number>();
  for (let i = 0; i < n; i++) distinctX.add(data.frequency[i]);
  // Groups in ascending x, so sums run in the same order whatever the input order.
  const xValues = Float64Array.from(distinctX).sort();
  const distinct = new Map<number, number>();
  xValues.forEach((v, g) => distinct.set(v, g));
  const groupOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = data.frequency[i];
    const m = data.meanValue[i];
    if (!(xi > 0) || !(m > 0) || !Number.isFinite(m)) {
      throw new RangeError(
        `Gamma-Gamma: customer ${i} needs frequency > 0 and a positive mean value (got ${xi}, ${m})`,
      );
    }
    x[i] = xi;
    mx[i] = m * xi;
    w[i] = data.count ? data.count[i] : 1;
    total += w[i];
    groupOf[i] = distinct.get(xi) as number;
  }
  const groupCount = new Float64Array(distinct.size);
  const groupSumLogM = new Float64Array(distinct.size);
  let sumLogM = 0;
  let sumXLogX = 0;
  for (let i = 0; i < n; i++) {
    const lm = w[i] * Math.log(data.meanValue[i]);
    groupCount[groupOf[i]] += w[i];
    groupSumLogM[groupOf[i]] += lm;
    sumLogM += lm;
    sumXLogX += w[i] * x[i] * Math.log(x[i]);
  }
  return {
    n,
    w,
    total,
    x,
    mx,
    groupOf,
    xValues,
    groupCount,
    groupSumLogM,
    sumLogM,
    sumXLogX,
    scratch: [0, 1, 2, 3, 4].map(() => new Float64Array(distinct.size)),
  };
}

/**
 * Total log-likelihood; when given, writes the gradient (3) and the Hessian
 * (3 x 3, row-major) with respect to θ = (log p, log q, log γ).
 *
 * Written without the cancellations of the textbook form, which loses all
 * digits when spend hardly varies between customers: then q and γ grow
 * together without bound (the homogeneous-spend limit), and q ln γ and
 * (px+q) ln(γ+mx) are two numbers of 1e8 whose difference matters to 1e-6.
 * Per record, q ln γ − (px+q) ln(γ+mx) = −q log1p(mx/γ) − px ln(γ+mx);
 * lnΓ(px+q) − lnΓ(q) comes from lgammaDifference; the γ derivatives are
 * put over a common denominator.
 */
function logLikelihood(params: GammaGammaParams, d: Prepared, gradient?: Float64Array, hessian?: Float64Array): number {
  const { p, q, gamma } = params;
  const G = d.xValues.length;
  // Per x group: Σ w log1p(mx/γ), Σ w/(γ+mx), Σ w/(γ+mx)², Σ w mx/(γ+mx), Σ w mx(2γ+mx)/(γ+mx)².
  const [sumL1p, sumInv, sumInv2, sumFrac, sumFrac2] = d.scratch;
  for (const a of d.scratch) a.fill(0);
  const w = d.w;
  const mx = d.mx;
  const groupOf = d.groupOf;
  const invGamma = 1 / gamma;
  for (let i = 0, n = d.n; i < n; i++) {
    const k = groupOf[i];
    const v = gamma + mx[i];
    const inv = 1 / v;
    const wi = w[i];
    sumL1p[k] += wi * Math.log1p(mx[i] * invGamma);
    sumInv[k] += wi * inv;
    sumInv2[k] += wi * inv * inv;
    const frac = mx[i] * inv;
    sumFrac[k] += wi * frac;
    sumFrac2[k] += wi * frac * (2 * gamma + mx[i]) * inv;
  }
  const psiQ = digamma(q);
  const triQ = trigamma(q);
  const logGamma = Math.log(gamma);
  let ll = -d.sumLogM + p * d.sumXLogX;
  // Natural-parameter derivatives, summed over the x groups.
  let gp = d.sumXLogX;
  let gq = 0;
  let gg = 0;
  let hpp = 0;
  let hpq = 0;
  let hpg = 0;
  let hqq = 0;
  let hqg = 0;
  let hgg = 0;
  for (let k = 0; k < G; k++) {
    const x = d.xValues[k];
    const c = d.groupCount[k];
    const px = p * x;
    const sumLogV = c * logGamma + sumL1p[k]; // Σ w ln(γ + mx)
    ll += c * (lgammaDifference(q, px) - gammaln(px)) - q * sumL1p[k] - px * sumLogV + px * d.groupSumLogM[k];
    if (!gradient) continue;
    const psiPXQ = digamma(px + q);
    gp += c * x * (psiPXQ - digamma(px)) + x * d.groupSumLogM[k] - x * sumLogV;
    gq += c * (psiPXQ - psiQ) - sumL1p[k];
    // Σ w (q/γ − (px+q)/(γ+mx)) = Σ w (q mx/γ − px)/(γ+mx)
    gg += q * invGamma * sumFrac[k] - px * sumInv[k];
    if (!hessian) continue;
    const triPXQ = trigamma(px + q);
    hpp += c * x * x * (triPXQ - trigamma(px));
    hpq += c * x * triPXQ;
    hpg -= x * sumInv[k];
    hqq += c * (triPXQ - triQ);
    hqg += invGamma * sumFrac[k]; // Σ w (1/γ − 1/(γ+mx))
    // Σ w (−q/γ² + (px+q)/(γ+mx)²) = Σ w (px/(γ+mx)² − q mx(2γ+mx)/(γ²(γ+mx)²))
    hgg += px * sumInv2[k] - q * invGamma * invGamma * sumFrac2[k];
  }
  if (gradient) {
    gradient[0] = p * gp;
    gradient[1] = q * gq;
    gradient[2] = gamma * gg;
  }
  if (hessian) {
    // θ-Hessian: p_i p_j ∂²ℓ/∂p_i∂p_j + δ_ij p_i ∂ℓ/∂p_i.
    hessian.set([
      p * p * hpp + p * gp,
      p * q * hpq,
      p * gamma * hpg,
      p * q * hpq,
      q * q * hqq + q * gq,
      q * gamma * hqg,
      p * gamma * hpg,
      q * gamma * hqg,
      gamma * gamma * hgg + gamma * gg,
    ]);
  }
  return ll;
}

/**
 * lnΓ(q + d) − lnΓ(q) for q, d > 0. For large q (the homogeneous-spend
 * limit) the two terms agree to many digits, so the difference is taken
 * inside Stirling's series: (q−½) log1p(d/q) + d ln(q+d) − d + S(q+d) − S(q).
 */
function lgammaDifference(q: number, d: number): number {
  if (q < 1000) return gammaln(q + d) - gammaln(q);
  const z = q + d;
  const series = (t: number) => {
    const t2 = 1 / (t * t);
    return (1 / t) * (1 / 12 - t2 * (1 / 360 - t2 * (1 / 1260 - t2 / 1680)));
  };
  return (q - 0.5) * Math.log1p(d / q) + d * Math.log(z) - d + series(z) - series(q);
}

/** Log-likelihood with gradient and Hessian in θ = (log p, log q, log γ), for checks and analysts. */
export function gammaGammaLogLikelihoodTheta(
  params: GammaGammaParams,
  data: SpendData,
  gradient?: Float64Array,
  hessian?: Float64Array,
): number {
  return logLikelihood(params, prepare(data), gradient, hessian);
}

/** Box for the log parameters (γ is in money units, so its range is wider). */
const LOWER = [-14, -14, -14];
const UPPER = [16, 16, 30];

function objective(d: Prepared): ObjectiveWithHessian {
  const N = d.total;
  return (theta, g, H) => {
    const params = { p: Math.exp(theta[0]), q: Math.exp(theta[1]), gamma: Math.exp(theta[2]) };
    const ll = logLikelihood(params, d, g, H);
    for (let i = 0; i < 3; i++) g[i] = -g[i] / N;
    for (let i = 0; i < 9; i++) H[i] = -H[i] / N;
    return -ll / N;
  };
}

export function fitGammaGamma(data: SpendData, start?: WarmStart<GammaGammaParams>): GammaGammaFit {
  if (data.length === 0) throw new RangeError("Gamma-Gamma: no customers with repeat purchases to fit");
  const d = prepare(data);
  let meanM = 0;
  for (let i = 0; i < d.n; i++) meanM += (d.w[i] * d.mx[i]) / d.x[i];
  meanM /= d.total;
  const sp = start?.params;
  const res = minimizeNewton(
    objective(d),
    sp ? [Math.log(sp.p), Math.log(sp.q), Math.log(sp.gamma)] : [0, Math.log(2), Math.log(meanM)],
    LOWER,
    UPPER,
  );
  // Converged with q held on the upper edge (and nothing on a lower one): the homogeneous-spend ray.
  const homogeneous =
    res.converged && res.x[1] >= UPPER[1] && res.x[0] > LOWER[0] && res.x[1] > LOWER[1] && res.x[2] > LOWER[2];
  return {
    params: { p: Math.exp(res.x[0]), q: Math.exp(res.x[1]), gamma: Math.exp(res.x[2]) },
    logLik: -res.value * d.total,
    customers: d.total,
    converged: res.converged,
    iterations: res.iterations,
    message: homogeneous ? `${res.message}; q and gamma grow without bound` : res.message,
    atBound: homogeneous ? false : res.atBound.some(Boolean),
    notIdentified: homogeneous ? ["q", "gamma"] : [],
    limit: homogeneous ? "homogeneous-spend" : null,
  };
}

/** Warm start for a big shop: the fit on a subsample. */
export function gammaGammaWarmStart(sample: SpendData): WarmStart<GammaGammaParams> | undefined {
  const fit = fitGammaGamma(sample);
  if (!fit.converged || fit.atBound) return undefined;
  return { params: fit.params };
}

/**
 * E[M | p, q, γ, m_x, x]: expected average order value. For customers without
 * repeat purchases (x = 0) this is the population mean pγ/(q-1). Needs q > 1.
 */
export function gammaGammaExpectedValue(params: GammaGammaParams, x: number, meanValue: number): number {
  const { p, q, gamma } = params;
  if (!(q > 1)) return NaN;
  if (x === 0) return (p * gamma) / (q - 1);
  return (p * (gamma + meanValue * x)) / (p * x + q - 1);
}
