// A small bounded quasi-Newton minimizer (projected L-BFGS, in the spirit of
// L-BFGS-B): limited-memory BFGS directions on the variables that are not
// held at a bound, a projected backtracking (Armijo) line search, and
// convergence on the projected gradient. Enough for the 3-4 parameter
// likelihoods of the customer-base models; kept here so the core has no
// numerical dependency.

/** Writes the gradient of f at x into `grad` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  /** Maximum number of quasi-Newton iterations (default 500). */
  maxIterations?: number;
  /** Number of correction pairs kept (default 8). */
  memory?: number;
  /** Stop when the infinity norm of the projected gradient is below this (default 1e-9). */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over an iteration is below this (default 1e-15). */
  functionTolerance?: number;
  /**
   * Inverse Hessian to start from (row-major n x n, positive definite), e.g.
   * from a fit on a subsample: lets a warm-started run take Newton-like
   * steps at once instead of rebuilding curvature from steepest descent.
   */
  initialInverseHessian?: number[][];
}

export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
  /** Per variable: true when the solution sits on its lower or upper bound. */
  atBound: boolean[];
}

export function minimizeBounded(
  objective: ObjectiveWithGradient,
  start: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = start.length;
  if (lower.length !== n || upper.length !== n) throw new RangeError("bounds must match the start vector");
  for (let i = 0; i < n; i++) {
    if (!(lower[i] < upper[i])) throw new RangeError(`empty box for variable ${i}`);
  }
  const maxIterations = options.maxIterations ?? 500;
  const memory = options.memory ?? 8;
  const pgtol = options.gradientTolerance ?? 1e-9;
  const ftol = options.functionTolerance ?? 1e-15;

  const project = (v: Float64Array) => {
    for (let i = 0; i < n; i++) v[i] = Math.min(upper[i], Math.max(lower[i], v[i]));
  };
  const x = Float64Array.from(start);
  project(x);
  const g = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) {
    return result(x, f, 0, evaluations, false, "objective is not finite at the start point");
  }

  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alphaTmp = new Float64Array(memory);
  const free = new Uint8Array(n);

  for (let iter = 0; iter < maxIterations; iter++) {
    // Variables pinned at a bound by a gradient pointing outwards stay fixed this iteration.
    let pgNorm = 0;
    for (let i = 0; i < n; i++) {
      const atLower = x[i] <= lower[i] && g[i] > 0;
      const atUpper = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLower || atUpper ? 0 : 1;
      if (free[i]) pgNorm = Math.max(pgNorm, Math.abs(g[i]));
    }
    if (pgNorm < pgtol) return result(x, f, iter, evaluations, true, "projected gradient below tolerance");

    // Two-loop recursion on the free subspace.
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    const k = sList.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rhoList[j] * dotFree(sList[j], d, free);
      alphaTmp[j] = a;
      const y = yList[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] += a * y[i];
    }
    const H0 = options.initialInverseHessian;
    if (H0) {
      const tmp = Float64Array.from(d);
      for (let i = 0; i < n; i++) {
        if (!free[i]) continue;
        let acc = 0;
        for (let j = 0; j < n; j++) if (free[j]) acc += H0[i][j] * tmp[j];
        d[i] = acc;
      }
    } else if (k > 0) {
      const s = sList[k - 1];
      const y = yList[k - 1];
      const gammaScale = dotFree(s, y, free) / Math.max(dotFree(y, y, free), 1e-300);
      if (gammaScale > 0 && Number.isFinite(gammaScale)) for (let i = 0; i < n; i++) d[i] *= gammaScale;
    }
    for (let j = 0; j < k; j++) {
      const beta = rhoList[j] * dotFree(yList[j], d, free);
      const s = sList[j];
      for (let i = 0; i < n; i++) if (free[i]) d[i] += (alphaTmp[j] - beta) * s[i];
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i] * g[i];
    if (!(slope < 0)) {
      // Curvature information went stale: restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rhoList.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    }

    // Projected backtracking line search with the Armijo condition.
    let step = k === 0 && !H0 ? Math.min(1, 1 / Math.max(pgNorm, 1e-12)) : 1;
    let fNew = NaN;
    let accepted = false;
    for (let bt = 0; bt < 60; bt++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      project(xNew);
      fNew = objective(xNew, gNew);
      evaluations++;
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      return result(x, f, iter, evaluations, pgNorm < 1e-5, "line search could not decrease the objective");
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      ss += s[i] * s[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-12 * Math.sqrt(ss * yy)) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      return result(x, f, iter + 1, evaluations, true, "relative decrease below tolerance");
    }
  }
  return result(x, f, maxIterations, evaluations, false, "iteration limit reached");

  function result(
    xs: Float64Array,
    value: number,
    iterations: number,
    evals: number,
    converged: boolean,
    message: string,
  ): MinimizeResult {
    const out = Array.from(xs);
    return {
      x: out,
      value,
      iterations,
      evaluations: evals,
      converged,
      message,
      atBound: out.map((v, i) => v <= lower[i] || v >= upper[i]),
    };
  }
}

function dotFree(a: Float64Array, b: Float64Array, free: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (free[i]) s += a[i] * b[i];
  return s;
}

/** Hessian by central differences of the analytic gradient (symmetrized). */
export function numericalHessian(objective: ObjectiveWithGradient, x: readonly number[], h = 1e-4): number[][] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const xp = Float64Array.from(x);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xp[i] = x[i] + h;
    objective(xp, gp);
    xp[i] = x[i] - h;
    objective(xp, gm);
    xp[i] = x[i];
    for (let j = 0; j < n; j++) H[i][j] = (gp[j] - gm[j]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) H[i][j] = H[j][i] = (H[i][j] + H[j][i]) / 2;
  }
  return H;
}

/** Inverse of a symmetric matrix via Cholesky, or null when it is not positive definite. */
export function invertPositiveDefinite(A: readonly number[][]): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  // inv(A) = inv(L)^T inv(L)
  const Li = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    Li[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i][k] * Li[k][j];
      Li[i][j] = s / L[i][i];
    }
  }
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Li[k][i] * Li[k][j];
      inv[i][j] = s;
    }
  }
  return inv;
}
