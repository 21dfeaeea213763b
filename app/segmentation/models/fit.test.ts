// The fits' building blocks: exact derivatives against finite differences,
// the finite-sum x-parts against the special functions, and compression.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseTransactionsCsv } from "../cli/transactions";
import { computeFeatureTable } from "../features/accumulator";
import { digamma, gammaln, trigamma } from "../math/special";
import { bgnbdLogLikelihoodTheta, newXParts, prepareBgNbd, xParts } from "./bgnbd-likelihood";
import { compressCustomerBase } from "./customer-base";
import { gammaGammaLogLikelihoodTheta } from "./gamma-gamma";
import { summarizePurchases } from "./predict";

const csv = readFileSync(resolve(__dirname, "../../../data/cdnow/cdnow_sample_transactions.csv"), "utf8");
const table = computeFeatureTable(parseTransactionsCsv(csv, "cdnow"), { timeZone: "UTC" });
const end = Date.UTC(1997, 8, 30) / 86_400_000;
const xs: number[] = [];
const txs: number[] = [];
const Ts: number[] = [];
const spendX: number[] = [];
const spendM: number[] = [];
for (let i = 0; i < table.size; i++) {
  const s = summarizePurchases(table.days, table.dayTotalsMinor, table.dayOffsets[i], table.dayOffsets[i + 1], end);
  if (!s) continue;
  xs.push(s.x);
  txs.push(s.txDays);
  Ts.push(s.Tdays);
  if (s.x > 0 && s.repeatMean > 0) {
    spendX.push(s.x);
    spendM.push(s.repeatMean / 100);
  }
}
const summary = { frequency: xs, recencyDays: txs, ageDays: Ts, length: xs.length };
const triples = compressCustomerBase(summary, 7);

/** Central differences of a gradient function, to check an analytic Hessian. */
function checkDerivatives(
  f: (theta: number[], g?: Float64Array, H?: Float64Array) => number,
  theta: number[],
  n: number,
): void {
  const g = new Float64Array(n);
  const H = new Float64Array(n * n);
  f(theta, g, H);
  const h = 1e-5;
  for (let i = 0; i < n; i++) {
    const up = theta.slice();
    const down = theta.slice();
    up[i] += h;
    down[i] -= h;
    const gu = new Float64Array(n);
    const gd = new Float64Array(n);
    const numeric = (f(up, gu) - f(down, gd)) / (2 * h);
    expect(g[i]).toBeCloseTo(numeric, 4);
    for (let j = 0; j < n; j++) {
      const scale = Math.max(1, Math.abs(H[i * n + j]));
      expect(H[i * n + j] / scale).toBeCloseTo((gu[j] - gd[j]) / (2 * h) / scale, 4);
    }
  }
}

describe("BG/NBD likelihood derivatives", () => {
  const d = prepareBgNbd(triples);
  const f = (t: number[], g?: Float64Array, H?: Float64Array) =>
    bgnbdLogLikelihoodTheta(
      { r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) },
      d,
      g,
      H,
    );
  it("gradient and Hessian in log parameters match finite differences", () => {
    checkDerivatives(f, [Math.log(0.24), Math.log(4.4), Math.log(0.79), Math.log(2.4)], 4);
    checkDerivatives(f, [Math.log(1.3), Math.log(20), Math.log(3), Math.log(0.4)], 4);
  });
  it("stay exact near the no-dropout limit (tiny a, huge b)", () => {
    checkDerivatives(f, [Math.log(0.3), Math.log(5), Math.log(1e-5), Math.log(3e4)], 4);
  });
});

describe("x-parts as finite sums", () => {
  it("equal the special-function differences, including above the summing cap", () => {
    const xValues = Float64Array.from([0, 1, 2, 7, 40, 2048, 2049, 5000]);
    const [r, a, b] = [0.37, 0.81, 2.9];
    const out = xParts(r, a, b, xValues, newXParts(xValues.length));
    xValues.forEach((x, k) => {
      const rel = (v: number) => Math.max(1, Math.abs(v));
      const lgR = gammaln(r + x) - gammaln(r);
      expect(out.lgR[k] / rel(lgR)).toBeCloseTo(lgR / rel(lgR), 11);
      expect(out.psiR[k]).toBeCloseTo(digamma(r + x) - digamma(r), 10);
      expect(out.triR[k]).toBeCloseTo(trigamma(r + x) - trigamma(r), 10);
      const A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
      expect(out.A2[k]).toBeCloseTo(A2, 9);
      expect(out.dA2a[k]).toBeCloseTo(digamma(a + b) - digamma(a + b + x), 10);
      expect(out.dA2b[k]).toBeCloseTo(digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x), 10);
      expect(out.haa[k]).toBeCloseTo(trigamma(a + b) - trigamma(a + b + x), 10);
      expect(out.hbb[k]).toBeCloseTo(trigamma(a + b) + trigamma(b + x) - trigamma(b) - trigamma(a + b + x), 10);
    });
  });
});

describe("Gamma-Gamma likelihood derivatives", () => {
  const data = { frequency: spendX, meanValue: spendM, length: spendX.length };
  it("gradient and Hessian in log parameters match finite differences", () => {
    const f = (t: number[], g?: Float64Array, H?: Float64Array) =>
      gammaGammaLogLikelihoodTheta({ p: Math.exp(t[0]), q: Math.exp(t[1]), gamma: Math.exp(t[2]) }, data, g, H);
    checkDerivatives(f, [Math.log(6.2), Math.log(3.7), Math.log(15.4)], 3);
    checkDerivatives(f, [Math.log(0.5), Math.log(12), Math.log(300)], 3);
  });
});

describe("compressCustomerBase", () => {
  it("groups identical (x, t_x, T) with their counts, in (x, t_x, T) order", () => {
    const naive = new Map<string, number>();
    for (let i = 0; i < xs.length; i++) {
      const key = `${xs[i]},${txs[i]},${Ts[i]}`;
      naive.set(key, (naive.get(key) ?? 0) + 1);
    }
    expect(triples.length).toBe(naive.size);
    expect(triples.customers).toBe(xs.length);
    for (let j = 0; j < triples.length; j++) {
      const key = `${triples.x[j]},${Math.round(triples.tx[j] * 7)},${Math.round(triples.T[j] * 7)}`;
      expect(triples.count[j]).toBe(naive.get(key));
      expect(triples.xValues[triples.xIndex[j]]).toBe(triples.x[j]);
      expect(triples.txValues[triples.txIndex[j]]).toBe(triples.tx[j]);
      expect(triples.TValues[triples.TIndex[j]]).toBe(triples.T[j]);
      if (j > 0) {
        const prev = [triples.x[j - 1], triples.tx[j - 1], triples.T[j - 1]];
        const cur = [triples.x[j], triples.tx[j], triples.T[j]];
        const cmp = prev[0] - cur[0] || prev[1] - cur[1] || prev[2] - cur[2];
        expect(cmp).toBeLessThan(0);
      }
    }
  });
  it("does not depend on the order of the customers", () => {
    const order = xs.map((_, i) => i).sort((i, j) => ((i * 7919) % 2357) - ((j * 7919) % 2357));
    const shuffled = compressCustomerBase(
      {
        frequency: order.map((i) => xs[i]),
        recencyDays: order.map((i) => txs[i]),
        ageDays: order.map((i) => Ts[i]),
        length: xs.length,
      },
      7,
    );
    expect(Array.from(shuffled.x)).toEqual(Array.from(triples.x));
    expect(Array.from(shuffled.tx)).toEqual(Array.from(triples.tx));
    expect(Array.from(shuffled.T)).toEqual(Array.from(triples.T));
    expect(Array.from(shuffled.count)).toEqual(Array.from(triples.count));
  });
  it("refuses bad summaries with the customer named", () => {
    const bad = (x: number, tx: number, T: number) =>
      compressCustomerBase({ frequency: [0, x], recencyDays: [0, tx], ageDays: [5, T], length: 2 }, 1);
    expect(() => bad(1, 6, 5)).toThrow(/customer 1: invalid/);
    expect(() => bad(1.5, 2, 5)).toThrow(/customer 1: invalid/);
    expect(() => bad(1, 2, 200_000)).toThrow(/customer 1: history of 200000 days is too long/);
  });
});
