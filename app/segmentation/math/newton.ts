// Bounded Newton minimizer for the small (2-4 parameter) likelihoods of the
// customer-base models, which have cheap analytic Hessians. Newton steps on
// the variables not held at a bound, Levenberg damping (H + μI) where the
// Hessian is not positive definite, a step cap, and a projected backtracking
// line search. Quadratic convergence means a fit takes a handful of
// likelihood evaluations where a quasi-Newton method needs dozens, and it
// does not stall in the long flat valleys these likelihoods have when the
// data hardly identify a parameter.

/** Writes the gradient and the Hessian (row-major n x n) at x into `grad` and `hess`; returns f(x). */
export type ObjectiveWithHessian = (x: Float64Array, grad: Float64Array, hess: Float64Array) => number;

export interface NewtonOptions {
  /** Maximum number of Newton iterations (default 200). */
  maxIterations?: number;
  /**
   * Stop when the predicted decrease of f, half the Newton decrement
   * g'H⁻¹g / 2, is below this times max(1, |f|) (default 1e-15).
   */
  decrementTolerance?: number;
  /** Largest change of one variable in one iteration (default 4). */
  maxStep?: number;
  /** Called after each accepted step; returning true ends the search (result message "stopped by the caller"). */
  stopWhen?: (x: Float64Array, f: number) => boolean;
}

export interface NewtonResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
  /** Per variable: true when the solution sits on its lower or upper bound. */
  atBound: boolean[];
  /** True when options.stopWhen ended the search. */
  stopped: boolean;
}

/** Distance to a bound below which a variable pushed outwards is put on the bound. */
const SNAP = 1e-6;
/** The same after a failed line search. */
const SNAP_AFTER_FAILURE = 1e-2;

/** Puts variables within `within` of a bound, with the gradient pushing them out, on the bound; true if any moved. */
function snapToBounds(
  x: Float64Array,
  g: Float64Array,
  lower: readonly number[],
  upper: readonly number[],
  within: number,
): boolean {
  let snapped = false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > lower[i] && x[i] - lower[i] < within && g[i] > 0) {
      x[i] = lower[i];
      snapped = true;
    } else if (x[i] < upper[i] && upper[i] - x[i] < within && g[i] < 0) {
      x[i] = upper[i];
      snapped = true;
    }
  }
  return snapped;
}

export function minimizeNewton(
  objective: ObjectiveWithHessian,
  start: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  options: NewtonOptions = {},
): NewtonResult {
  const n = start.length;
  if (lower.length !== n || upper.length !== n) throw new RangeError("bounds must match the start vector");
  for (let i = 0; i < n; i++) if (!(lower[i] < upper[i])) throw new RangeError(`empty box for variable ${i}`);
  const maxIterations = options.maxIterations ?? 200;
  const tol = options.decrementTolerance ?? 1e-15;
  const maxStep = options.maxStep ?? 4;

  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.min(upper[i], Math.max(lower[i], start[i]));
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const HNew = new Float64Array(n * n);
  const xTry = new Float64Array(n);
  const gTry = new Float64Array(n);
  const HTry = new Float64Array(n * n);
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const work = new Float64Array(n * n);
  let f = objective(x, g, H);
  let evaluations = 1;
  const done = (iterations: number, converged: boolean, message: string, stopped = false): NewtonResult => ({
    x: Array.from(x),
    value: f,
    gradient: Array.from(g),
    iterations,
    evaluations,
    converged,
    message,
    atBound: Array.from(x, (v, i) => v <= lower[i] || v >= upper[i]),
    stopped,
  });
  if (!Number.isFinite(f)) return done(0, false, "objective is not finite at the start point");

  let outranBefore = false;
  for (let iter = 0; iter < maxIterations; iter++) {
    // A variable on a bound whose gradient points out of the box stays there
    // this iteration. One within SNAP of a bound, pushed outwards, is put on it
    // first: along a flat ray to infinity, Newton steps are long and clipped
    // by the box, and the clipped step is no descent direction for the rest.
    if (snapToBounds(x, g, lower, upper, SNAP)) {
      const fSnapped = objective(x, g, H);
      evaluations++;
      if (!Number.isFinite(fSnapped)) return done(iter, false, "objective is not finite on the bound");
      f = fSnapped;
    }
    let anyFree = false;
    for (let i = 0; i < n; i++) {
      free[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) ? 0 : 1;
      if (free[i]) anyFree = true;
    }
    if (!anyFree) return done(iter, true, "every variable is held at a bound");
    const damped = dampedNewtonStep(H, g, free, n, d, work);
    // Predicted decrease of the quadratic model for the full step: -g'd / 2.
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (!damped && -slope / 2 <= tol * Math.max(1, Math.abs(f))) {
      return done(iter, true, "Newton decrement below tolerance");
    }
    let longest = 0;
    for (let i = 0; i < n; i++) longest = Math.max(longest, Math.abs(d[i]));
    let step = longest > maxStep ? maxStep / longest : 1;
    let accepted = false;
    let fNew = NaN;
    for (let bt = 0; bt < 40; bt++) {
      let moved = 0;
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        xNew[i] = Math.min(upper[i], Math.max(lower[i], x[i] + step * d[i]));
        moved = Math.max(moved, Math.abs(xNew[i] - x[i]));
        decrease += g[i] * (xNew[i] - x[i]);
      }
      if (moved === 0) break;
      fNew = objective(xNew, gNew, HNew);
      evaluations++;
      // The second test accepts steps whose change of f is lost in rounding.
      if (Number.isFinite(fNew) && (fNew <= f + 1e-4 * decrease || fNew - f <= 1e-15 * Math.abs(f))) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted && snapToBounds(x, g, lower, upper, SNAP_AFTER_FAILURE)) {
      // The step was clipped into uselessness by a bound the variable is heading for: hold it there.
      f = objective(x, g, H);
      evaluations++;
      if (!Number.isFinite(f)) return done(iter, false, "objective is not finite on the bound");
      continue;
    }
    if (!accepted) {
      // No representable improvement along a descent direction: at the optimum to rounding, or stuck.
      const small = -slope / 2 <= 1e-10 * Math.max(1, Math.abs(f));
      return done(iter, small, small ? "no further decrease at double precision" : "line search failed");
    }
    // Two iterations in a row, so that one lucky step in a curved valley does not trigger it.
    const outrun = step === 1 && f - fNew > 1.2 * (-slope / 2);
    if (outrun && outranBefore) {
      // f fell by more than its quadratic model predicted: along d it is more
      // like c·e^(-t) levelling off towards an asymptote (a parameter running
      // to a limit of the model) than like a bowl, and Newton would creep
      // towards it one unit per iteration. Double the step while f falls.
      for (let k = 0, s2 = 2; k < 8; k++, s2 *= 2) {
        let beyond = false;
        for (let i = 0; i < n; i++) {
          xTry[i] = Math.min(upper[i], Math.max(lower[i], x[i] + s2 * d[i]));
          if (xTry[i] !== xNew[i]) beyond = true;
        }
        if (!beyond) break;
        const fTry = objective(xTry, gTry, HTry);
        evaluations++;
        if (!(fTry < fNew)) break;
        fNew = fTry;
        xNew.set(xTry);
        gNew.set(gTry);
        HNew.set(HTry);
      }
    }
    outranBefore = outrun;
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    H.set(HNew);
    f = fNew;
    if (options.stopWhen?.(x, f)) return done(iter + 1, false, "stopped by the caller", true);
    if (fOld - f <= 0 && -slope / 2 <= 1e-12 * Math.max(1, Math.abs(f))) {
      return done(iter + 1, true, "no further decrease at double precision");
    }
  }
  return done(maxIterations, false, "iteration limit reached");
}

/**
 * Newton direction on the free variables from the eigen-decomposition of
 * H_ff: d = -Σ v (v'g) / max(|λ|, floor). Where H_ff is positive definite
 * this is the Newton step; where it is not, negative curvature is turned
 * into positive ("saddle-free" Newton), which walks away from saddles and
 * along curved valleys instead of crawling with a heavily damped step.
 * Returns whether any eigenvalue had to be changed.
 */
function dampedNewtonStep(
  H: Float64Array,
  g: Float64Array,
  free: Uint8Array,
  n: number,
  d: Float64Array,
  work: Float64Array,
): boolean {
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (free[i]) idx.push(i);
  const m = idx.length;
  const A = work.subarray(0, m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j] = H[idx[i] * n + idx[j]];
  const V = new Float64Array(m * m);
  jacobiEigen(A, V, m);
  let largest = 0;
  for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(A[i * m + i]));
  const floor = Math.max(largest * 1e-10, 1e-300);
  let modified = false;
  d.fill(0);
  for (let e = 0; e < m; e++) {
    let lambda = A[e * m + e];
    if (!(lambda > floor)) {
      modified = true;
      lambda = Math.max(Math.abs(lambda), floor);
    }
    let vg = 0;
    for (let i = 0; i < m; i++) vg += V[i * m + e] * g[idx[i]];
    for (let i = 0; i < m; i++) d[idx[i]] -= (V[i * m + e] * vg) / lambda;
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(d[i])) d[i] = 0;
  return modified;
}

/** Cyclic Jacobi: diagonalizes the symmetric m x m matrix A in place; the columns of V are its eigenvectors. */
function jacobiEigen(A: Float64Array, V: Float64Array, m: number): void {
  V.fill(0);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < m; i++) {
      diag += A[i * m + i] * A[i * m + i];
      for (let j = i + 1; j < m; j++) off += A[i * m + j] * A[i * m + j];
    }
    if (off <= 1e-30 * diag || off === 0) return;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (apq === 0) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          // Rotate rows/columns p and q of A, and columns of V.
          const akp = A[k * m + p];
          const akq = A[k * m + q];
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k];
          const aqk = A[q * m + k];
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p];
          const vkq = V[k * m + q];
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
}
