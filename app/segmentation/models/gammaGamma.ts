// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using
// Iso-Value Curves for Customer Base Analysis"): average transaction value of
// customers with repeat purchases. Likelihood with analytic gradient, fit on
// log parameters, and the conditional expected average order value.
import {
  invertPositiveDefinite,
  minimizeBounded,
  numericalHessian,
  type ObjectiveWithGradient,
} from "../math/optimize";
import type { WarmStart } from "./bgnbd";
import { digamma, gammaln } from "../math/special";

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
  };
}

function logLikelihood(params: GammaGammaParams, d: Prepared, gradient?: Float64Array): number {
  const { p, q, gamma } = params;
  const G = d.xValues.length;
  const sumLog = new Float64Array(G); // Σ log(γ + m x) per x group
  const sumInv = new Float64Array(G); // Σ 1/(γ + m x) per x group
  const w = d.w;
  const mx = d.mx;
  const groupOf = d.groupOf;
  for (let i = 0, n = d.n; i < n; i++) {
    const v = gamma + mx[i];
    sumLog[groupOf[i]] += w[i] * Math.log(v);
    sumInv[groupOf[i]] += w[i] / v;
  }
  const lgQ = gammaln(q);
  const psiQ = digamma(q);
  const logGamma = Math.log(gamma);
  let ll = -d.sumLogM + p * d.sumXLogX;
  let gp = d.sumXLogX;
  let gq = 0;
  let gg = 0;
  for (let k = 0; k < G; k++) {
    const x = d.xValues[k];
    const c = d.groupCount[k];
    const px = p * x;
    ll += c * (gammaln(px + q) - gammaln(px) - lgQ + q * logGamma) + px * d.groupSumLogM[k] - (px + q) * sumLog[k];
    if (gradient) {
      const psiPXQ = digamma(px + q);
      gp += c * x * (psiPXQ - digamma(px)) + x * d.groupSumLogM[k] - x * sumLog[k];
      gq += c * (psiPXQ - psiQ + logGamma) - sumLog[k];
      gg += (c * q) / gamma - (px + q) * sumInv[k];
    }
  }
  if (gradient) {
    gradient[0] = gp;
    gradient[1] = gq;
    gradient[2] = gg;
  }
  return ll;
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData, gradient?: Float64Array): number {
  return logLikelihood(params, prepare(data), gradient);
}

function objective(d: Prepared): ObjectiveWithGradient {
  const grad = new Float64Array(3);
  const N = d.total;
  return (theta, g) => {
    const params = {
      p: Math.exp(theta[0]),
      q: Math.exp(theta[1]),
      gamma: Math.exp(theta[2]),
    };
    const ll = logLikelihood(params, d, grad);
    g[0] = (-grad[0] * params.p) / N;
    g[1] = (-grad[1] * params.q) / N;
    g[2] = (-grad[2] * params.gamma) / N;
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
  const res = minimizeBounded(
    objective(d),
    sp ? [Math.log(sp.p), Math.log(sp.q), Math.log(sp.gamma)] : [0, Math.log(2), Math.log(meanM)],
    [-14, -14, -14],
    [16, 16, 30],
    {
      maxIterations: 1000,
      gradientTolerance: 1e-8,
      functionTolerance: 1e-13,
      initialInverseHessian: start?.inverseHessian,
    },
  );
  return {
    params: {
      p: Math.exp(res.x[0]),
      q: Math.exp(res.x[1]),
      gamma: Math.exp(res.x[2]),
    },
    logLik: -res.value * d.total,
    customers: d.total,
    converged: res.converged,
    iterations: res.iterations,
    message: res.message,
    atBound: res.atBound.some(Boolean),
  };
}

/** Warm start for a big shop: the fit on a subsample plus its curvature. */
export function gammaGammaWarmStart(sample: SpendData): WarmStart<GammaGammaParams> | undefined {
  const fit = fitGammaGamma(sample);
  if (!fit.converged || fit.atBound) return undefined;
  const p = fit.params;
  const H = numericalHessian(objective(prepare(sample)), [Math.log(p.p), Math.log(p.q), Math.log(p.gamma)]);
  return { params: p, inverseHessian: invertPositiveDefinite(H) ?? undefined };
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
