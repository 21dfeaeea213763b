// BG/NBD log-likelihood (Fader, Hardie & Lee 2005, section 7) with its exact
// gradient and Hessian in log parameters θ = (log r, log α, log a, log b), on
// compressed (x, t_x, T) triples; and the likelihood of its no-dropout limit
// a → 0 (every customer stays alive: the NBD model), which is where the
// BG/NBD optimum lies when the data show hardly any customers leaving.
//
// Per triple with x > 0 the likelihood is e^(A1+A2) (e^A3 + e^A4) with
//   A1 = lnΓ(r+x) − lnΓ(r) + r ln α            (depends on x only)
//   A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
//   A3 = −(r+x) ln(α+T)
//   A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
// and e^(A1+A2+A3) for x = 0. With w4 = e^A4 / (e^A3 + e^A4), w3 = 1 − w4,
// the log of the sum has gradient w3∇A3 + w4∇A4 and Hessian
// w3∇²A3 + w4∇²A4 + w3w4 (∇A4 − ∇A3)(∇A4 − ∇A3)'. In θ, A4 is linear in
// log a and depends on b only through x, so the a and b rows reduce to sums
// per distinct x: the loop over triples carries eleven running sums.
import { digamma, gammaln, trigamma } from "../math/special";
import type { CompressedTriples } from "./customer-base";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** The triples rearranged once per fit so that an evaluation touches only typed arrays. */
export interface BgNbdPrepared {
  customers: number;
  /** Distinct x and the number of customers with each. */
  xValues: Float64Array;
  xCount: Float64Array;
  /** Distinct T; per T the number of customers and the sum of their x (for the no-dropout limit). */
  TValues: Float64Array;
  TCount: Float64Array;
  TxSum: Float64Array;
  txValues: Float64Array;
  /** Triples with x = 0: index of T and count. */
  zeroT: Int32Array;
  zeroCount: Float64Array;
  /** Triples with x > 0: x, index of x, of T, of t_x, count. */
  x: Float64Array;
  xk: Int32Array;
  Tk: Int32Array;
  txk: Int32Array;
  count: Float64Array;
  /** Scratch, reused by every evaluation. */
  scratch: Float64Array[];
  xParts: XParts;
}

export function prepareBgNbd(data: CompressedTriples): BgNbdPrepared {
  const nx = data.xValues.length;
  const nT = data.TValues.length;
  const xCount = new Float64Array(nx);
  const TCount = new Float64Array(nT);
  const TxSum = new Float64Array(nT);
  let zeros = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data.count[i];
    xCount[data.xIndex[i]] += c;
    TCount[data.TIndex[i]] += c;
    TxSum[data.TIndex[i]] += c * data.x[i];
    if (data.x[i] === 0) zeros++;
  }
  const m = data.length - zeros;
  const p: BgNbdPrepared = {
    customers: data.customers,
    xValues: data.xValues,
    xCount,
    TValues: data.TValues,
    TCount,
    TxSum,
    txValues: data.txValues,
    zeroT: new Int32Array(zeros),
    zeroCount: new Float64Array(zeros),
    x: new Float64Array(m),
    xk: new Int32Array(m),
    Tk: new Int32Array(m),
    txk: new Int32Array(m),
    count: new Float64Array(m),
    // Per x: A1+A2, ln a − ln(b+x−1), β = b/(b+x−1), W4, P0, Pr, Pα; per T: ln, 1/; per t_x: ln, 1/.
    scratch: [nx, nx, nx, nx, nx, nx, nx, nT, nT, data.txValues.length, data.txValues.length].map(
      (len) => new Float64Array(len),
    ),
    xParts: newXParts(nx),
  };
  let z = 0;
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    if (data.x[i] === 0) {
      p.zeroT[z] = data.TIndex[i];
      p.zeroCount[z++] = data.count[i];
    } else {
      p.x[j] = data.x[i];
      p.xk[j] = data.xIndex[i];
      p.Tk[j] = data.TIndex[i];
      p.txk[j] = data.txIndex[i];
      p.count[j++] = data.count[i];
    }
  }
  return p;
}

/**
 * Total log-likelihood at `params`; when given, writes its gradient (4) and
 * Hessian (4 x 4, row-major) with respect to θ = (log r, log α, log a, log b).
 */
export function bgnbdLogLikelihoodTheta(
  params: BgNbdParams,
  d: BgNbdPrepared,
  grad?: Float64Array,
  hess?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  const [A12, lA4, beta, W4, P0, Pr, Pa, lT, iT, lTx, iTx] = d.scratch;
  const nx = d.xValues.length;
  const xs = xParts(r, a, b, d.xValues, d.xParts);
  const logAlpha = Math.log(alpha);
  const logA = Math.log(a);
  // x-only parts, summed with the number of customers at each x.
  let ll = 0;
  let gr1 = 0; // Σ C (ψ(r+x) − ψ(r) + ln α)
  let hr1 = 0; // Σ C (ψ'(r+x) − ψ'(r))
  let ga2 = 0; // Σ C ∂A2/∂a
  let gb2 = 0; // Σ C ∂A2/∂b
  let haa2 = 0; // Σ C ∂²A2/∂a² (= ∂²A2/∂a∂b)
  let hbb2 = 0; // Σ C ∂²A2/∂b²
  for (let k = 0; k < nx; k++) {
    const x = d.xValues[k];
    const C = d.xCount[k];
    A12[k] = xs.lgR[k] + r * logAlpha + xs.A2[k];
    ll += C * A12[k];
    lA4[k] = x > 0 ? logA - Math.log(b + x - 1) : 0;
    beta[k] = x > 0 ? b / (b + x - 1) : 0;
    W4[k] = P0[k] = Pr[k] = Pa[k] = 0;
    gr1 += C * (xs.psiR[k] + logAlpha);
    hr1 += C * xs.triR[k];
    ga2 += C * xs.dA2a[k];
    gb2 += C * xs.dA2b[k];
    haa2 += C * xs.haa[k];
    hbb2 += C * xs.hbb[k];
  }
  for (let t = 0; t < d.TValues.length; t++) {
    lT[t] = Math.log(alpha + d.TValues[t]);
    iT[t] = 1 / (alpha + d.TValues[t]);
  }
  for (let s = 0; s < d.txValues.length; s++) {
    lTx[s] = Math.log(alpha + d.txValues[s]);
    iTx[s] = 1 / (alpha + d.txValues[s]);
  }
  // Running sums over triples (see the header): S* for w3∇A3 + w4∇A4, Q* for the w3w4 DD' term.
  let Slr = 0; // Σ c (w3 lT + w4 lTx)
  let Si = 0; // Σ c (r+x)(w3 iT + w4 iTx)
  let Sri = 0; // Σ c (w3 iT + w4 iTx)
  let Saa = 0; // Σ c (r+x)(w3 T iT² + w4 t_x iTx²)
  let Qrr = 0;
  let Qra = 0;
  let Qaa = 0;
  for (let i = 0, n = d.zeroT.length; i < n; i++) {
    const t = d.zeroT[i];
    const c = d.zeroCount[i];
    ll -= c * r * lT[t];
    Slr += c * lT[t];
    Si += c * r * iT[t];
    Sri += c * iT[t];
    Saa += c * r * d.TValues[t] * iT[t] * iT[t];
  }
  const wantGrad = grad !== undefined;
  const wantHess = hess !== undefined;
  for (let i = 0, n = d.x.length; i < n; i++) {
    const k = d.xk[i];
    const t = d.Tk[i];
    const s = d.txk[i];
    const c = d.count[i];
    const rx = r + d.x[i];
    const A3 = -rx * lT[t];
    const A4 = lA4[k] - rx * lTx[s];
    // log(e^A3 + e^A4) with one exp and one log1p.
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
    ll += c * L;
    if (!wantGrad) continue;
    const w3 = 1 - w4;
    Slr += c * (w3 * lT[t] + w4 * lTx[s]);
    const inv = w3 * iT[t] + w4 * iTx[s];
    Si += c * rx * inv;
    W4[k] += c * w4;
    if (!wantHess) continue;
    Sri += c * inv;
    Saa += c * rx * (w3 * d.TValues[t] * iT[t] * iT[t] + w4 * d.txValues[s] * iTx[s] * iTx[s]);
    const w34 = c * w3 * w4;
    const Dr = lT[t] - lTx[s];
    const Da = rx * (iT[t] - iTx[s]);
    Qrr += w34 * Dr * Dr;
    Qra += w34 * Dr * Da;
    Qaa += w34 * Da * Da;
    P0[k] += w34;
    Pr[k] += w34 * Dr;
    Pa[k] += w34 * Da;
  }
  if (!grad) return ll;
  let W4sum = 0;
  let bW4 = 0;
  for (let k = 0; k < nx; k++) {
    W4sum += W4[k];
    bW4 += beta[k] * W4[k];
  }
  const N = d.customers;
  grad[0] = r * gr1 - r * Slr;
  grad[1] = N * r - alpha * Si;
  grad[2] = a * ga2 + W4sum;
  grad[3] = b * gb2 - bW4;
  if (!hess) return ll;
  let P0s = 0;
  let Prs = 0;
  let Pas = 0;
  let bP0 = 0;
  let bPr = 0;
  let bPa = 0;
  let b2P0 = 0;
  let bbW4 = 0;
  for (let k = 0; k < nx; k++) {
    P0s += P0[k];
    Prs += Pr[k];
    Pas += Pa[k];
    bP0 += beta[k] * P0[k];
    bPr += beta[k] * Pr[k];
    bPa += beta[k] * Pa[k];
    b2P0 += beta[k] * beta[k] * P0[k];
    bbW4 += beta[k] * (1 - beta[k]) * W4[k];
  }
  // θ-Hessian: p_i p_j ∂²ℓ/∂p_i∂p_j + δ_ij p_i ∂ℓ/∂p_i, assembled term by term.
  const hrr = r * r * hr1 + r * gr1 - r * Slr + r * r * Qrr;
  const hra = r * N - r * alpha * Sri + r * alpha * Qra;
  const hal = -alpha * Saa + alpha * alpha * Qaa;
  const hraA = r * Prs;
  const halA = alpha * Pas;
  const hrb = -r * bPr;
  const halb = -alpha * bPa;
  const haa = a * a * haa2 + a * ga2 + P0s;
  const hab = a * b * haa2 - bP0;
  const hbb = b * b * hbb2 + b * gb2 + b2P0 - bbW4;
  hess.set([hrr, hra, hraA, hrb, hra, hal, halA, halb, hraA, halA, haa, hab, hrb, halb, hab, hbb]);
  return ll;
}

/**
 * Log-likelihood of the no-dropout limit (a → 0: P(alive) = 1, the NBD
 * model), with gradient and Hessian in (log r, log α). b drops out. Costs one
 * pass over the distinct x and T values, not over the triples.
 */
export function nbdLimitLogLikelihood(
  r: number,
  alpha: number,
  d: BgNbdPrepared,
  grad?: Float64Array,
  hess?: Float64Array,
): number {
  const xs = xParts(r, NaN, NaN, d.xValues, d.xParts);
  const logAlpha = Math.log(alpha);
  let ll = 0;
  let gr1 = 0;
  let hr1 = 0;
  for (let k = 0; k < d.xValues.length; k++) {
    const C = d.xCount[k];
    ll += C * (xs.lgR[k] + r * logAlpha);
    gr1 += C * (xs.psiR[k] + logAlpha);
    hr1 += C * xs.triR[k];
  }
  let Slr = 0; // Σ C_T ln(α+T)
  let Si = 0; // Σ (r C_T + X_T)/(α+T)
  let Sri = 0; // Σ C_T/(α+T)
  let Saa = 0; // Σ (r C_T + X_T) T/(α+T)²
  for (let t = 0; t < d.TValues.length; t++) {
    const T = d.TValues[t];
    const l = Math.log(alpha + T);
    const inv = 1 / (alpha + T);
    const w = r * d.TCount[t] + d.TxSum[t];
    ll -= w * l;
    Slr += d.TCount[t] * l;
    Si += w * inv;
    Sri += d.TCount[t] * inv;
    Saa += w * T * inv * inv;
  }
  const N = d.customers;
  if (grad) {
    grad[0] = r * gr1 - r * Slr;
    grad[1] = N * r - alpha * Si;
  }
  if (hess) {
    hess[0] = r * r * hr1 + r * gr1 - r * Slr;
    hess[1] = hess[2] = r * N - r * alpha * Sri;
    hess[3] = -alpha * Saa;
  }
  return ll;
}

/** Per distinct x: the parts of A1 and A2 (and their derivatives) that depend on x. */
export interface XParts {
  /** lnΓ(r+x) − lnΓ(r), ψ(r+x) − ψ(r), ψ'(r+x) − ψ'(r). */
  lgR: Float64Array;
  psiR: Float64Array;
  triR: Float64Array;
  /** A2 and ∂A2/∂a, ∂A2/∂b, ∂²A2/∂a² (= ∂²A2/∂a∂b), ∂²A2/∂b². */
  A2: Float64Array;
  dA2a: Float64Array;
  dA2b: Float64Array;
  haa: Float64Array;
  hbb: Float64Array;
}

export function newXParts(nx: number): XParts {
  const f = () => new Float64Array(nx);
  return { lgR: f(), psiR: f(), triR: f(), A2: f(), dA2a: f(), dA2b: f(), haa: f(), hbb: f() };
}

/** Up to this x the x-parts are exact finite sums; above it the special functions continue from there. */
const SUM_UP_TO_X = 2048;

/**
 * x is a whole number, so lnΓ(r+x) − lnΓ(r) = Σ_{j<x} ln(r+j) and
 * A2 = −Σ_{j<x} log1p(a/(b+j)), and likewise for the derivatives: running
 * sums over j, read off at each distinct x (sorted ascending). Besides being
 * cheaper than three special functions per x, the sums have no cancellation:
 * lnΓ(a+b) − lnΓ(b) − … loses digits when b is large or a tiny, just where
 * the no-dropout limit is decided. With a = NaN only the r parts are filled.
 */
export function xParts(r: number, a: number, b: number, xValues: Float64Array, out: XParts): XParts {
  const withAB = !Number.isNaN(a);
  let j = 0;
  let lg = 0;
  let ps = 0;
  let tr = 0;
  let A2 = 0;
  let da = 0;
  let db = 0;
  let haa = 0;
  let hbb = 0;
  for (let k = 0; k < xValues.length; k++) {
    const x = xValues[k];
    const upTo = Math.min(x, SUM_UP_TO_X);
    for (; j < upTo; j++) {
      const ir = 1 / (r + j);
      lg += Math.log(r + j);
      ps += ir;
      tr += ir * ir;
      if (withAB) {
        const ib = 1 / (b + j);
        const iab = 1 / (a + b + j);
        A2 += Math.log1p(a * ib);
        da += iab;
        const aibiab = a * ib * iab; // 1/(b+j) − 1/(a+b+j) without cancellation
        db += aibiab;
        haa += iab * iab;
        hbb += aibiab * (ib + iab);
      }
    }
    out.lgR[k] = lg;
    out.psiR[k] = ps;
    out.triR[k] = -tr;
    out.A2[k] = -A2;
    out.dA2a[k] = -da;
    out.dA2b[k] = db;
    out.haa[k] = haa;
    out.hbb[k] = -hbb;
    if (x > upTo) {
      // Rare: a customer with thousands of purchase days. Continue with the special functions.
      const m = upTo;
      out.lgR[k] += gammaln(r + x) - gammaln(r + m);
      out.psiR[k] += digamma(r + x) - digamma(r + m);
      out.triR[k] += trigamma(r + x) - trigamma(r + m);
      if (withAB) {
        out.A2[k] += gammaln(b + x) - gammaln(b + m) - (gammaln(a + b + x) - gammaln(a + b + m));
        out.dA2a[k] += digamma(a + b + m) - digamma(a + b + x);
        out.dA2b[k] += digamma(b + x) - digamma(b + m) - (digamma(a + b + x) - digamma(a + b + m));
        out.haa[k] += trigamma(a + b + m) - trigamma(a + b + x);
        out.hbb[k] += trigamma(b + x) - trigamma(b + m) - (trigamma(a + b + x) - trigamma(a + b + m));
      }
    }
  }
  return out;
}

/**
 * Whether the no-dropout limit (r, α, a = 0) is a local maximum of the BG/NBD
 * likelihood for every b: the one-sided derivative
 *   G(b) = ∂ℓ/∂a at a = 0 = Σ_{x>0} c [((α+T)/(α+t_x))^(r+x) / (b+x−1) − Σ_{j<x} 1/(b+j)]
 * is negative on a log grid of b from 1e-4 to 1e8 and as b → ∞ (where
 * b G(b) → Σ c (((α+T)/(α+t_x))^(r+x) − x)). (r, α) is the limit's own
 * optimum, so no other direction improves to first order. When this holds, a
 * BG/NBD search that heads for a → 0 is heading for the supremum.
 */
export function noDropoutIsLocalMaximum(r: number, alpha: number, d: BgNbdPrepared): boolean {
  const nx = d.xValues.length;
  const R = new Float64Array(nx); // Σ c ((α+T)/(α+t_x))^(r+x) per x
  for (let i = 0; i < d.x.length; i++) {
    const ratio = Math.exp((r + d.x[i]) * Math.log((alpha + d.TValues[d.Tk[i]]) / (alpha + d.txValues[d.txk[i]])));
    R[d.xk[i]] += d.count[i] * ratio;
  }
  let atInfinity = 0;
  for (let k = 0; k < nx; k++) {
    if (!Number.isFinite(R[k])) return false;
    atInfinity += R[k] - d.xValues[k] * d.xCount[k];
  }
  if (!(atInfinity < 0)) return false;
  for (let step = 0; step <= 48; step++) {
    const b = 10 ** (-4 + step / 4);
    let G = 0;
    let harmonic = 0; // Σ_{j<x} 1/(b+j), carried over the ascending distinct x
    let j = 0;
    for (let k = 0; k < nx; k++) {
      const x = d.xValues[k];
      if (x === 0) continue;
      const upTo = Math.min(x, SUM_UP_TO_X);
      for (; j < upTo; j++) harmonic += 1 / (b + j);
      const h = x > upTo ? harmonic + digamma(b + x) - digamma(b + upTo) : harmonic;
      G += R[k] / (b + x - 1) - d.xCount[k] * h;
    }
    if (!(G < 0)) return false;
  }
  return true;
}
