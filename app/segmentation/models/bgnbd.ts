// BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
// Way"). Likelihood with analytic gradient on compressed triples, maximum
// likelihood fit with the bounded quasi-Newton optimizer on log parameters,
// and the per-customer quantities: P(alive) and conditional expected
// purchases in the next t time units.
import {
  invertPositiveDefinite,
  minimizeBounded,
  numericalHessian,
  type ObjectiveWithGradient,
} from "../math/optimize";
import { digamma, gammaln, hyp2f1, logHyp2f1Positive } from "../math/special";
import type { CompressedTriples } from "./customerBase";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLik: number;
  converged: boolean;
  iterations: number;
  message: string;
  /** True when some parameter ended on the edge of the search box (fit not trustworthy). */
  atBound: boolean;
}

/** Box for the log parameters: e^-14 .. e^16 covers any realistic shop in days or weeks. */
const LOG_LOWER = -14;
const LOG_UPPER = 16;

/** Total log-likelihood and its gradient with respect to (r, alpha, a, b). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: CompressedTriples, gradient?: Float64Array): number {
  const { r, alpha, a, b } = params;
  const nx = data.xValues.length;
  const A1 = new Float64Array(nx);
  const dA1r = new Float64Array(nx);
  const A2 = new Float64Array(nx);
  const dA2a = new Float64Array(nx);
  const dA2b = new Float64Array(nx);
  const logA4 = new Float64Array(nx);
  const lgR = gammaln(r);
  const psiR = digamma(r);
  const lgAB = gammaln(a + b);
  const lgB = gammaln(b);
  const psiAB = digamma(a + b);
  const psiB = digamma(b);
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  for (let k = 0; k < nx; k++) {
    const x = data.xValues[k];
    A1[k] = gammaln(r + x) - lgR + r * logAlpha;
    dA1r[k] = digamma(r + x) - psiR + logAlpha;
    A2[k] = lgAB + gammaln(b + x) - lgB - gammaln(a + b + x);
    const psiABX = digamma(a + b + x);
    dA2a[k] = psiAB - psiABX;
    dA2b[k] = psiAB + digamma(b + x) - psiB - psiABX;
    logA4[k] = x > 0 ? logA - Math.log(b + x - 1) : 0;
  }
  const logT = logPlus(alpha, data.TValues);
  const invT = invPlus(alpha, data.TValues);
  const logTx = logPlus(alpha, data.txValues);
  const invTx = invPlus(alpha, data.txValues);

  let ll = 0;
  let gr = 0;
  let gAlpha = 0;
  let ga = 0;
  let gb = 0;
  const wantGradient = gradient !== undefined;
  const xs = data.x;
  const counts = data.count;
  const xIndex = data.xIndex;
  const TIndex = data.TIndex;
  const txIndex = data.txIndex;
  const invA = 1 / a;
  const rOverAlpha = r / alpha;
  for (let i = 0, n = data.length; i < n; i++) {
    const k = xIndex[i];
    const ti = TIndex[i];
    const x = xs[i];
    const c = counts[i];
    const rx = r + x;
    const lT = logT[ti];
    const A3 = -rx * lT;
    if (x > 0) {
      // log(e^A3 + e^A4) with one exp and one log1p; w4 = e^A4 / (e^A3 + e^A4).
      const si = txIndex[i];
      const lTx = logTx[si];
      const A4 = logA4[k] - rx * lTx;
      let L: number;
      let w4: number;
      if (A4 > A3) {
        const e = Math.exp(A3 - A4);
        L = A4 + Math.log1p(e);
        w4 = 1 / (1 + e);
      } else {
        const e = Math.exp(A4 - A3);
        L = A3 + Math.log1p(e);
        w4 = e / (1 + e);
      }
      const w3 = 1 - w4;
      ll += c * (A1[k] + A2[k] + L);
      if (wantGradient) {
        gr += c * (dA1r[k] - w3 * lT - w4 * lTx);
        gAlpha += c * (rOverAlpha - rx * (w3 * invT[ti] + w4 * invTx[si]));
        ga += c * (dA2a[k] + w4 * invA);
        gb -= c * (w4 / (b + x - 1)) - c * dA2b[k];
      }
    } else {
      ll += c * (A1[k] + A2[k] + A3);
      if (wantGradient) {
        gr += c * (dA1r[k] - lT);
        gAlpha += c * (rOverAlpha - rx * invT[ti]);
        ga += c * dA2a[k];
        gb += c * dA2b[k];
      }
    }
  }
  if (gradient) {
    gradient[0] = gr;
    gradient[1] = gAlpha;
    gradient[2] = ga;
    gradient[3] = gb;
  }
  return ll;
}

function logPlus(alpha: number, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.log(alpha + values[i]);
  return out;
}
function invPlus(alpha: number, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = 1 / (alpha + values[i]);
  return out;
}

/** Mean negative log-likelihood on log parameters, with its gradient (what the optimizer minimizes). */
export function bgnbdObjective(data: CompressedTriples): ObjectiveWithGradient {
  const N = data.customers;
  const grad = new Float64Array(4);
  return (theta, g) => {
    const p = {
      r: Math.exp(theta[0]),
      alpha: Math.exp(theta[1]),
      a: Math.exp(theta[2]),
      b: Math.exp(theta[3]),
    };
    const ll = bgnbdLogLikelihood(p, data, grad);
    // Chain rule: d/dlog p = p d/dp.
    g[0] = (-grad[0] * p.r) / N;
    g[1] = (-grad[1] * p.alpha) / N;
    g[2] = (-grad[2] * p.a) / N;
    g[3] = (-grad[3] * p.b) / N;
    return -ll / N;
  };
}

export interface WarmStart<P> {
  params: P;
  /** Inverse Hessian of the mean negative log-likelihood in log parameters. */
  inverseHessian?: number[][];
}

/** Maximum-likelihood fit. Throws only on empty data; reliability is reported, not hidden. */
export function fitBgNbd(data: CompressedTriples, start?: WarmStart<BgNbdParams>): BgNbdFit {
  if (data.customers === 0) throw new RangeError("BG/NBD: no customers to fit");
  let meanT = 0;
  for (let i = 0; i < data.length; i++) meanT += data.count[i] * data.T[i];
  meanT = Math.max(meanT / data.customers, 1e-3);
  const N = data.customers;
  const sp = start?.params;
  const res = minimizeBounded(
    bgnbdObjective(data),
    sp ? [Math.log(sp.r), Math.log(sp.alpha), Math.log(sp.a), Math.log(sp.b)] : [0, Math.log(meanT), 0, 0],
    [LOG_LOWER, LOG_LOWER, LOG_LOWER, LOG_LOWER],
    [LOG_UPPER, LOG_UPPER, LOG_UPPER, LOG_UPPER],
    {
      maxIterations: 1000,
      gradientTolerance: 1e-8,
      functionTolerance: 1e-13,
      initialInverseHessian: start?.inverseHessian,
    },
  );
  const params = {
    r: Math.exp(res.x[0]),
    alpha: Math.exp(res.x[1]),
    a: Math.exp(res.x[2]),
    b: Math.exp(res.x[3]),
  };
  return {
    params,
    logLik: -res.value * N,
    converged: res.converged,
    iterations: res.iterations,
    message: res.message,
    atBound: res.atBound.some(Boolean),
  };
}

/** Warm start for a big shop: the fit on a subsample plus its curvature. */
export function bgnbdWarmStart(sample: CompressedTriples): WarmStart<BgNbdParams> | undefined {
  const fit = fitBgNbd(sample);
  if (!fit.converged || fit.atBound) return undefined;
  const p = fit.params;
  const H = numericalHessian(bgnbdObjective(sample), [Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b)]);
  return { params: p, inverseHessian: invertPositiveDefinite(H) ?? undefined };
}

/** P(alive | x, t_x, T). A customer without repeat purchases is alive with probability 1 under BG/NBD. */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logRatio = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] (equation 10 of the paper):
 *   (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x))
 * with z = t/(α+T+t). The product of the power and the series is formed in
 * log space (the series alone overflows for heavy buyers or large a, b).
 */
export function bgnbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  if (Math.abs(p.a - 1) < 1e-6) {
    // The closed form has a removable singularity at a = 1: average both sides.
    const h = 1e-5;
    return (
      (bgnbdConditionalExpected({ ...p, a: 1 + h }, t, x, tx, T) +
        bgnbdConditionalExpected({ ...p, a: 1 - h }, t, x, tx, T)) /
      2
    );
  }
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  // c <= 0 happens only for x = 0 with a + b < 1: then all parameters are
  // small, the plain (signed) series cannot overflow, and is used instead.
  const oneMinusProduct =
    c > 0
      ? -Math.expm1((r + x) * Math.log1p(-z) + logHyp2f1Positive(r + x, b + x, c, z))
      : 1 - Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x, c, z);
  const numerator = (c / (a - 1)) * oneMinusProduct;
  const denominator =
    x > 0 ? 1 + Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx))) : 1;
  return numerator / denominator;
}

/** Expected purchase rate of a customer who is alive: E[λ | x, T] = (r + x) / (α + T). */
export function bgnbdExpectedRate(p: BgNbdParams, x: number, T: number): number {
  return (p.r + x) / (p.alpha + T);
}
