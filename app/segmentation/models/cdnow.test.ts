// Reproduces the published CDNOW results (Fader, Hardie & Lee 2005) through
// the same path the CLI uses: CSV -> features -> calibration summary -> fits.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runFit } from "../cli/commands";
import { bgnbdConditionalExpected } from "./bgnbd";

const csv = readFileSync(resolve(__dirname, "../../../data/cdnow/cdnow_sample_transactions.csv"), "utf8");

function sig3(v: number): number {
  return Number(v.toPrecision(3));
}

describe("CDNOW sample (2,357 customers, calibration to 1997-09-30, weeks)", () => {
  const { summary, predictionsCsv } = runFit({
    transactionsCsv: csv,
    fileName: "cdnow_sample_transactions.csv",
    calibrationEnd: "1997-09-30",
    unit: "week",
    horizon: 39,
    wantPredictions: true,
  });

  it("reproduces the published BG/NBD parameters and log-likelihood to 3 significant digits", () => {
    expect(summary.customers).toBe(2357);
    expect(sig3(summary.bgnbd.r)).toBe(0.243);
    expect(sig3(summary.bgnbd.alpha)).toBe(4.41);
    expect(sig3(summary.bgnbd.a)).toBe(0.793);
    expect(sig3(summary.bgnbd.b)).toBe(2.43);
    expect(sig3(summary.bgnbd.logLik)).toBe(-9580);
    expect(summary.bgnbd.logLik).toBeCloseTo(-9582.4, 1);
  });

  it("reproduces the published Gamma-Gamma parameters on the 946 repeat customers", () => {
    expect(summary.gammaGamma).not.toBeNull();
    const gg = summary.gammaGamma!;
    expect(gg.customers).toBe(946);
    expect(sig3(gg.p)).toBe(6.25);
    expect(sig3(gg.q)).toBe(3.74);
    expect(sig3(gg.gamma)).toBe(15.4);
    expect(gg.gamma).toBeCloseTo(15.44, 2);
  });

  it("matches the paper's conditional expectation check (x=2, t_x=30.43, T=38.86 -> 1.226 in 39 weeks)", () => {
    const p = {
      r: summary.bgnbd.r,
      alpha: summary.bgnbd.alpha,
      a: summary.bgnbd.a,
      b: summary.bgnbd.b,
    };
    expect(bgnbdConditionalExpected(p, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it("writes one prediction row per customer with the paper's totals", () => {
    const rows = predictionsCsv!.trim().split("\n");
    expect(rows[0]).toBe("customer_id,frequency,recency,T,p_alive,expected_purchases,expected_value");
    expect(rows).toHaveLength(2358);
    const sumX = rows.slice(1).reduce((s, r) => s + Number(r.split(",")[1]), 0);
    expect(sumX).toBe(2457);
    for (const r of rows.slice(1)) {
      const pAlive = Number(r.split(",")[4]);
      expect(pAlive).toBeGreaterThan(0);
      expect(pAlive).toBeLessThanOrEqual(1);
    }
  });
});

describe("warm start from a subsample (the path big shops take)", () => {
  it("reaches the same optimum as the cold fit", async () => {
    const { parseTransactionsCsv } = await import("../cli/transactions");
    const { computeFeatureTable } = await import("../features/accumulator");
    const { fitShopModels } = await import("./predict");
    const table = computeFeatureTable(parseTransactionsCsv(csv, "cdnow"), {
      timeZone: "UTC",
    });
    const input = {
      customers: table.size,
      dayOffsets: table.dayOffsets,
      days: table.days,
      dayTotals: table.dayTotalsMinor,
    };
    const end = Date.UTC(1997, 8, 30) / 86_400_000;
    const cold = fitShopModels(input, end, 7, 0.01, Infinity);
    const warm = fitShopModels(input, end, 7, 0.01, 300);
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(warm.bgnbd.params[k] / cold.bgnbd.params[k]).toBeCloseTo(1, 5);
    }
    for (const k of ["p", "q", "gamma"] as const) {
      expect(warm.gammaGamma!.params[k] / cold.gammaGamma!.params[k]).toBeCloseTo(1, 4);
    }
    expect(warm.bgnbd.logLik).toBeCloseTo(cold.bgnbd.logLik, 4);
  });
});
