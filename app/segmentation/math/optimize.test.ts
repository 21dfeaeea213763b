import { describe, expect, it } from "vitest";
import { invertPositiveDefinite, minimizeBounded, numericalHessian } from "./optimize";

describe("minimizeBounded", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const res = minimizeBounded(
      (x, g) => {
        const a = 1 - x[0];
        const b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
      },
      [-1.2, 1],
      [-5, -5],
      [5, 5],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
  });

  it("stops on an active bound and reports it", () => {
    // Unconstrained minimum at (3, -2); the box cuts x0 at 1.
    const res = minimizeBounded(
      (x, g) => {
        g[0] = 2 * (x[0] - 3);
        g[1] = 2 * (x[1] + 2);
        return (x[0] - 3) ** 2 + (x[1] + 2) ** 2;
      },
      [0, 0],
      [-1, -10],
      [1, 10],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBe(1);
    expect(res.x[1]).toBeCloseTo(-2, 8);
    expect(res.atBound).toEqual([true, false]);
  });

  it("rejects inconsistent bounds", () => {
    expect(() => minimizeBounded(() => 0, [0], [1], [0])).toThrow(/empty box/);
  });
});

describe("curvature helpers", () => {
  const quadratic = (x: Float64Array, g: Float64Array) => {
    // f = 2x² + xy + y², Hessian [[4, 1], [1, 2]]
    g[0] = 4 * x[0] + x[1];
    g[1] = x[0] + 2 * x[1];
    return 2 * x[0] ** 2 + x[0] * x[1] + x[1] ** 2;
  };
  it("estimates the Hessian and inverts it", () => {
    const H = numericalHessian(quadratic, [0.3, -0.2]);
    expect(H[0][0]).toBeCloseTo(4, 6);
    expect(H[0][1]).toBeCloseTo(1, 6);
    expect(H[1][1]).toBeCloseTo(2, 6);
    const inv = invertPositiveDefinite(H)!;
    // [[4,1],[1,2]]^-1 = [[2,-1],[-1,4]] / 7
    expect(inv[0][0]).toBeCloseTo(2 / 7, 6);
    expect(inv[0][1]).toBeCloseTo(-1 / 7, 6);
    expect(inv[1][1]).toBeCloseTo(4 / 7, 6);
    expect(
      invertPositiveDefinite([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });
  it("takes a Newton step when given the inverse Hessian", () => {
    const inv = invertPositiveDefinite([
      [4, 1],
      [1, 2],
    ])!;
    const res = minimizeBounded(quadratic, [3, -4], [-10, -10], [10, 10], {
      initialInverseHessian: inv,
    });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBeLessThanOrEqual(2);
    expect(res.x[0]).toBeCloseTo(0, 8);
  });
});
