import { describe, expect, it } from "vitest";
import { minimizeNewton, type ObjectiveWithHessian } from "./newton";

const rosenbrock: ObjectiveWithHessian = (x, g, H) => {
  const a = 1 - x[0];
  const b = x[1] - x[0] * x[0];
  g[0] = -2 * a - 400 * x[0] * b;
  g[1] = 200 * b;
  H[0] = 2 - 400 * b + 800 * x[0] * x[0];
  H[1] = H[2] = -400 * x[0];
  H[3] = 200;
  return a * a + 100 * b * b;
};

describe("minimizeNewton", () => {
  it("finds the minimum of the Rosenbrock function, through its indefinite region", () => {
    const res = minimizeNewton(rosenbrock, [-1.2, 1], [-5, -5], [5, 5]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 8);
    expect(res.x[1]).toBeCloseTo(1, 8);
    expect(res.iterations).toBeLessThan(40);
  });

  it("leaves a saddle point instead of stopping on it (zero gradient, indefinite Hessian)", () => {
    // f = x² - y² + y⁴/4 has a saddle at (0, 0) and minima at (0, ±√2).
    const f: ObjectiveWithHessian = (x, g, H) => {
      g[0] = 2 * x[0];
      g[1] = -2 * x[1] + x[1] ** 3;
      H[0] = 2;
      H[1] = H[2] = 0;
      H[3] = -2 + 3 * x[1] ** 2;
      return x[0] ** 2 - x[1] ** 2 + x[1] ** 4 / 4;
    };
    const res = minimizeNewton(f, [0.5, 1e-3], [-3, -3], [3, 3]);
    expect(res.converged).toBe(true);
    expect(Math.abs(res.x[1])).toBeCloseTo(Math.SQRT2, 8);
  });

  it("stops on an active bound and reports it", () => {
    // Unconstrained minimum at (3, -2); the box cuts x0 at 1.
    const res = minimizeNewton(
      (x, g, H) => {
        g[0] = 2 * (x[0] - 3);
        g[1] = 2 * (x[1] + 2);
        H.set([2, 0, 0, 2]);
        return (x[0] - 3) ** 2 + (x[1] + 2) ** 2;
      },
      [0, 0],
      [-1, -10],
      [1, 10],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBe(1);
    expect(res.x[1]).toBeCloseTo(-2, 10);
    expect(res.atBound).toEqual([true, false]);
  });

  it("ends the search when the caller's stop test says so", () => {
    const res = minimizeNewton(rosenbrock, [-1.2, 1], [-5, -5], [5, 5], { stopWhen: (_x, f) => f < 1 });
    expect(res.stopped).toBe(true);
    expect(res.converged).toBe(false);
    expect(res.value).toBeLessThan(1);
  });

  it("rejects inconsistent bounds and reports a non-finite start", () => {
    expect(() => minimizeNewton(rosenbrock, [0], [1], [0])).toThrow(/empty box/);
    const res = minimizeNewton(() => NaN, [0], [-1], [1]);
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/not finite/);
  });
});
