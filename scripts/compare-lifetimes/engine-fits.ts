/**
 * Our side of scripts/compare-lifetimes.py: fits BG/NBD and Gamma-Gamma with
 * the engine's fitSummaryModels (the code fitShop runs, from whole-day
 * summaries: compression + fit, as its timings count them) on the summaries
 * written by summaries.ts, and prints JSON: per data set and model the median
 * wall-clock and CPU time of `--runs` fits after `--warmup` fits, the parameters
 * and log-likelihood.
 *
 *   npx tsx scripts/compare-lifetimes/engine-fits.ts SUMMARY_DIR [--runs 9] [--warmup 3]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fitSummaryModels, type ShopModelFits } from "../../app/segmentation/models/predict";
import type { SummaryManifestEntry } from "./summaries";

interface Columns {
  x: Int32Array;
  txDays: Int32Array;
  Tdays: Int32Array;
  ggX: number[];
  ggTotals: number[];
}

function readSummary(file: string, unitDays: number): Columns {
  const lines = readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const col = (name: string) => header.indexOf(name);
  const [fi, ri, Ti, rdi, Tdi, mi] = ["frequency", "recency", "T", "recency_days", "T_days", "repeat_total_minor"].map(
    col,
  );
  const n = lines.length - 1;
  const out: Columns = {
    x: new Int32Array(n),
    txDays: new Int32Array(n),
    Tdays: new Int32Array(n),
    ggX: [],
    ggTotals: [],
  };
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(",").map(Number);
    out.x[i] = f[fi];
    out.txDays[i] = f[rdi];
    out.Tdays[i] = f[Tdi];
    // The engine converts whole days to units itself: check it gets the very numbers lifetimes reads.
    if (f[rdi] / unitDays !== f[ri] || f[Tdi] / unitDays !== f[Ti]) throw new Error(`${file}:${i + 2}: days/units`);
    if (f[fi] > 0 && f[mi] > 0) {
      out.ggX.push(f[fi]);
      out.ggTotals.push(f[mi]);
    }
  }
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: "string", default: "9" }, warmup: { type: "string", default: "3" } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error("usage: engine-fits.ts SUMMARY_DIR [--runs N] [--warmup N]");
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")) as SummaryManifestEntry[];
  const inputs = manifest.map((m) => {
    const c = readSummary(path.join(dir, m.file), m.unitDays);
    const summary = { frequency: c.x, recencyDays: c.txDays, ageDays: c.Tdays, length: c.x.length };
    const fitOnce = (clock?: () => number) =>
      fitSummaryModels(summary, { frequency: c.ggX, repeatTotals: c.ggTotals }, m.unitDays, 0.01, undefined, clock);
    return { m, fitOnce };
  });
  // Process warm-up: the engine fits in a long-running worker, whose JIT has compiled the fit code
  // long before; one fit of every data set first, so the first data set is not timed half-interpreted.
  for (const { fitOnce } of inputs) fitOnce();
  const results = inputs.map(({ m, fitOnce }) => {
    const cpuClock = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    for (let i = 0; i < warmup; i++) fitOnce();
    const bgMs: number[] = [];
    const ggMs: number[] = [];
    const bgCpuMs: number[] = [];
    const ggCpuMs: number[] = [];
    let last: ShopModelFits | null = null;
    for (let i = 0; i < runs; i++) {
      last = fitOnce();
      bgMs.push(last.bgnbdMs);
      ggMs.push(last.gammaGammaMs);
    }
    // The same fits timed in CPU time: less sensitive to other processes on a shared machine.
    for (let i = 0; i < runs; i++) {
      const cpu = fitOnce(cpuClock);
      bgCpuMs.push(cpu.bgnbdMs);
      ggCpuMs.push(cpu.gammaGammaMs);
    }
    if (!last) throw new Error("--runs must be at least 1");
    const bg = last.bgnbd;
    const gg = last.gammaGamma;
    return {
      name: m.name,
      customers: last.customers,
      distinctTriples: last.distinctTriples,
      bgnbd: {
        medianMs: median(bgMs),
        medianCpuMs: median(bgCpuMs),
        ms: bgMs,
        params: bg.params,
        logLik: bg.logLik,
        converged: bg.converged,
        iterations: bg.iterations,
        message: bg.message,
        notIdentified: bg.notIdentified,
        limit: bg.limit,
      },
      gammaGamma: gg && {
        medianMs: median(ggMs),
        medianCpuMs: median(ggCpuMs),
        ms: ggMs,
        params: gg.params,
        logLik: gg.logLik,
        customers: gg.customers,
        converged: gg.converged,
        iterations: gg.iterations,
        message: gg.message,
        notIdentified: gg.notIdentified,
      },
    };
  });
  console.log(JSON.stringify({ node: process.version, runs, warmup, results }, null, 1));
}

main();
