// BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
// Way"): maximum-likelihood fit by Newton's method on log parameters with the
// exact Hessian (bgnbdLikelihood.ts), the no-dropout limit a → 0 checked
// against it, and the per-customer quantities: P(alive) and conditional
// expected purchases in the next t time units.
import { minimizeNewton, type ObjectiveWithHessian } from "../math/newton";
import { hyp2f1, logHyp2f1Positive } from "../math/special";
import {
  type BgNbdParams,
  type BgNbdPrepared,
  bgnbdLogLikelihoodTheta,
  nbdLimitLogLikelihood,
  noDropoutIsLocalMaximum,
  prepareBgNbd,
} from "./bgnbd-likelihood";
import type { CompressedTriples } from "./customer-base";

export type { BgNbdParams } from "./bgnbd-likelihood";

export type BgNbdParamName = keyof BgNbdParams;

export interface BgNbdFit {
  params: BgNbdParams;
  logLik: number;
  converged: boolean;
  iterations: number;
  message: string;
  /** True when some parameter ended on the edge of the search box (fit not trustworthy). */
  atBound: boolean;
  /**
   * Parameters the data do not pin down, because the likelihood is highest in
   * a limit of the model:
   * - ["a", "b"] with `limit: "no-dropout"`: the data show hardly any
   *   customers leaving; the fit is the NBD model with a = 0, and b has no
   *   effect on the likelihood or on any prediction;
   * - ["a", "b"] with `limit: "homogeneous-dropout"`: a and b grow without
   *   bound together: every customer has the same chance a/(a+b) of leaving
   *   after a purchase; only that ratio is identified (the reported a and b
   *   are where the search box ends, and predict as the limit does);
   * - ["r", "alpha"]: r and α grow together: every customer buys at the same
   *   rate r/α; only the ratio is identified.
   */
  notIdentified: BgNbdParamName[];
  limit: BgNbdLimit | null;
}

export type BgNbdLimit = "no-dropout" | "homogeneous-dropout";

/** Box for the log parameters: e^-14 .. e^16 covers any realistic shop in days or weeks. */
const LOG_LOWER = -14;
const LOG_UPPER = 16;
/** The limit is taken when its log-likelihood is at least the interior one's minus this. */
const LIMIT_TOLERANCE = 1e-7;

/** Total log-likelihood and, when given, its gradient with respect to (r, alpha, a, b). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: CompressedTriples, gradient?: Float64Array): number {
  const g = gradient ? new Float64Array(4) : undefined;
  const ll = bgnbdLogLikelihoodTheta(params, prepareBgNbd(data), g);
  if (gradient && g) {
    // From d/dlog p back to d/dp.
    gradient[0] = g[0] / params.r;
    gradient[1] = g[1] / params.alpha;
    gradient[2] = g[2] / params.a;
    gradient[3] = g[3] / params.b;
  }
  return ll;
}

/** Mean negative log-likelihood on log parameters, with gradient and Hessian (what Newton minimizes). */
function bgnbdObjective(data: CompressedTriples | BgNbdPrepared): ObjectiveWithHessian {
  const d = "scratch" in data ? data : prepareBgNbd(data);
  const N = d.customers;
  return (theta, g, H) => {
    const p = { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), a: Math.exp(theta[2]), b: Math.exp(theta[3]) };
    const ll = bgnbdLogLikelihoodTheta(p, d, g, H);
    for (let i = 0; i < 4; i++) g[i] = -g[i] / N;
    for (let i = 0; i < 16; i++) H[i] = -H[i] / N;
    return -ll / N;
  };
}

function nbdObjective(d: BgNbdPrepared): ObjectiveWithHessian {
  const N = d.customers;
  return (theta, g, H) => {
    const ll = nbdLimitLogLikelihood(Math.exp(theta[0]), Math.exp(theta[1]), d, g, H);
    g[0] = -g[0] / N;
    g[1] = -g[1] / N;
    for (let i = 0; i < 4; i++) H[i] = -H[i] / N;
    return -ll / N;
  };
}

export interface WarmStart<P> {
  params: P;
  /** Accepted for compatibility; the Newton fit computes its exact Hessian and does not need it. */
  inverseHessian?: number[][];
}

/**
 * Maximum-likelihood fit. Throws only on empty data; reliability is reported,
 * not hidden. First fits the no-dropout limit (two parameters, one pass over
 * the distinct x and T per step), starts BG/NBD from its r and α, and keeps
 * whichever likelihood is higher: when the BG/NBD optimizer runs off towards
 * a → 0 (or b → ∞), the limit is the supremum and is reported as such.
 */
export function fitBgNbd(data: CompressedTriples, start?: WarmStart<BgNbdParams>): BgNbdFit {
  if (data.customers === 0) throw new RangeError("BG/NBD: no customers to fit");
  const d = prepareBgNbd(data);
  const N = d.customers;
  let meanT = 0;
  for (let t = 0; t < d.TValues.length; t++) meanT += d.TCount[t] * d.TValues[t];
  meanT = Math.max(meanT / N, 1e-3);
  const box = (k: number) => ({ lower: new Array(k).fill(LOG_LOWER), upper: new Array(k).fill(LOG_UPPER) });
  const nbdBox = box(2);
  const limit = minimizeNewton(nbdObjective(d), [0, Math.log(meanT)], nbdBox.lower, nbdBox.upper);
  const limitOk = limit.converged && !limit.atBound.some(Boolean);
  const limitLL = -limit.value * N;
  // When the limit is a local maximum, a search that has come within a mean
  // dropout probability a/(a+b) < 1e-3 of it, still below its likelihood, is
  // walking down the slope to it: Newton would need dozens of steps to reach
  // a = e^-14 for a likelihood that is known exactly.
  // Checked once, and only if the search does come near the limit (it costs a pass over the triples).
  let limitIsLocalMax: boolean | undefined;
  const nearLimit = (theta: Float64Array, f: number) => {
    if (!limitOk || !(-f * N < limitLL && 1 / (1 + Math.exp(theta[3] - theta[2])) < 1e-3)) return false;
    limitIsLocalMax ??= noDropoutIsLocalMaximum(Math.exp(limit.x[0]), Math.exp(limit.x[1]), d);
    return limitIsLocalMax;
  };
  const sp = start?.params;
  const bgBox = box(4);
  const res = minimizeNewton(
    bgnbdObjective(d),
    sp
      ? [Math.log(sp.r), Math.log(sp.alpha), Math.log(Math.max(sp.a, 1e-6)), Math.log(sp.b)]
      : [limit.x[0], limit.x[1], 0, 1],
    bgBox.lower,
    bgBox.upper,
    { stopWhen: nearLimit },
  );
  const interiorLL = -res.value * N;
  const iterations = limit.iterations + res.iterations;
  // Rounding: in the drift the interior likelihood approaches the limit's to the last digits.
  const tolerance = LIMIT_TOLERANCE + 1e-12 * Math.abs(limitLL);
  if (limitOk && (res.stopped || limitLL >= interiorLL - tolerance)) {
    return {
      params: { r: Math.exp(limit.x[0]), alpha: Math.exp(limit.x[1]), a: 0, b: Math.exp(res.x[3]) },
      logLik: limitLL,
      converged: true,
      iterations,
      message: res.stopped
        ? "no-dropout limit a = 0 (a local maximum, and the search was heading for it)"
        : `no-dropout limit a = 0 (log-likelihood ${limitLL.toFixed(6)} >= ${interiorLL.toFixed(6)} inside)`,
      atBound: false,
      notIdentified: ["a", "b"],
      limit: "no-dropout",
    };
  }
  const params = { r: Math.exp(res.x[0]), alpha: Math.exp(res.x[1]), a: Math.exp(res.x[2]), b: Math.exp(res.x[3]) };
  const rays = res.converged ? raysToInfinity(res.x) : null;
  return {
    params,
    logLik: interiorLL,
    converged: res.converged,
    iterations,
    message: rays ? `${res.message}; ${rays.notIdentified.join(", ")} grow without bound` : res.message,
    atBound: rays ? false : res.atBound.some(Boolean),
    notIdentified: rays?.notIdentified ?? [],
    limit: rays?.limit ?? null,
  };
}

/**
 * A converged search that holds parameters on the upper edge of the box (and
 * none on the lower edge) has followed the likelihood along a ray to one of
 * the model's homogeneous limits, where only a ratio is identified; the
 * likelihood there differs from the supremum by O(e^-16). Null otherwise.
 */
function raysToInfinity(
  theta: readonly number[],
): { notIdentified: BgNbdParamName[]; limit: BgNbdLimit | null } | null {
  if (theta.some((v) => v <= LOG_LOWER)) return null;
  const up = (i: number) => theta[i] >= LOG_UPPER;
  const notIdentified: BgNbdParamName[] = [];
  if (up(0) || up(1)) notIdentified.push("r", "alpha");
  if (up(2) || up(3)) notIdentified.push("a", "b");
  if (notIdentified.length === 0) return null;
  return { notIdentified, limit: up(2) || up(3) ? "homogeneous-dropout" : null };
}

/** Warm start for a big shop: the fit on a subsample. */
export function bgnbdWarmStart(sample: CompressedTriples): WarmStart<BgNbdParams> | undefined {
  const fit = fitBgNbd(sample);
  if (!fit.converged || fit.atBound || fit.limit) return undefined;
  return { params: fit.params };
}

/** P(alive | x, t_x, T). A customer without repeat purchases is alive with probability 1 under BG/NBD. */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  // 1 / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)): the conditional expectation's denominator (1 when x = 0).
  return 1 / bgnbdExpectedDenominator(p, x, tx, T);
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] (equation 10 of the paper):
 *   (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x))
 * with z = t/(α+T+t). The product of the power and the series is formed in
 * log space (the series alone overflows for heavy buyers or large a, b).
 */
export function bgnbdConditionalExpected(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  // The no-dropout limit: every customer is alive, E[Y(t)] = E[λ | x, T] t (b plays no part).
  if (p.a === 0) return ((p.r + x) / (p.alpha + T)) * t;
  if (Math.abs(p.a - 1) < 1e-6) {
    // The closed form has a removable singularity at a = 1: average both sides.
    const h = 1e-5;
    return (
      (bgnbdConditionalExpected({ ...p, a: 1 + h }, t, x, tx, T) +
        bgnbdConditionalExpected({ ...p, a: 1 - h }, t, x, tx, T)) /
      2
    );
  }
  return bgnbdExpectedNumerator(p, t, x, T) / bgnbdExpectedDenominator(p, x, tx, T);
}

/** Whether bgnbdConditionalExpected is the ratio of its numerator and denominator below (a is neither 0 nor about 1). */
export function bgnbdHasRatioForm(p: BgNbdParams): boolean {
  return p.a !== 0 && !(Math.abs(p.a - 1) < 1e-6);
}

/**
 * The numerator of E[Y(t) | x, t_x, T] (where bgnbdHasRatioForm):
 *   (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)].
 * It holds the series, the cost of a prediction, and does not depend on t_x:
 * customers with the same x and T share it (predict.ts keeps it per (x, T)).
 */
export function bgnbdExpectedNumerator(p: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  // c <= 0 happens only for x = 0 with a + b < 1: then all parameters are
  // small, the plain (signed) series cannot overflow, and is used instead.
  const oneMinusProduct =
    c > 0
      ? -Math.expm1((r + x) * Math.log1p(-z) + logHyp2f1Positive(r + x, b + x, c, z))
      : 1 - Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x, c, z);
  return (c / (a - 1)) * oneMinusProduct;
}

/** The denominator of E[Y(t) | x, t_x, T]: 1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x), cheap (no series). */
export function bgnbdExpectedDenominator(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  return x > 0 ? 1 + Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx))) : 1;
}

/** Expected purchase rate of a customer who is alive: E[λ | x, T] = (r + x) / (α + T). */
export function bgnbdExpectedRate(p: BgNbdParams, x: number, T: number): number {
  return (p.r + x) / (p.alpha + T);
}
