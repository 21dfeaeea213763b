/**
 * The model fits on a big simulated shop: the calls fitSummaryModels makes
 * (compression, warm start from a hash subsample, fit) for BG/NBD and
 * Gamma-Gamma, timed in CPU and wall-clock ms, `--runs` times in one process.
 *
 *   npx tsx scripts/compare-lifetimes/big-shop.ts [--customers 1000000] [--runs 3] [--code DIR]
 *
 * --code runs the same calls against another copy of the code (a directory
 * holding app/segmentation, e.g. `git archive <commit> app | tar -x -C DIR`),
 * to compare before and after; the customers are simulated by this copy.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { simulateCustomerBase } from "../../app/segmentation/models/simulate";

const WARM_START_ABOVE = 40_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      customers: { type: "string", default: "1000000" },
      runs: { type: "string", default: "3" },
      code: { type: "string", default: path.resolve(import.meta.dirname, "../..") },
    },
  });
  const models = path.join(path.resolve(values.code), "app/segmentation/models");
  const cb = await import(path.join(models, "customer-base.ts"));
  const bg = await import(path.join(models, "bgnbd.ts"));
  const gg = await import(path.join(models, "gamma-gamma.ts"));
  const pr = await import(path.join(models, "predict.ts"));
  const sim = simulateCustomerBase({
    customers: Number(values.customers),
    seed: 11,
    r: 0.6,
    alpha: 6,
    dropout: { a: 0.7, b: 2.6 },
    maxAgeDays: 1100,
    spend: { p: 5, q: 3.5, gamma: 20 },
  });
  const spendX: number[] = [];
  const spendTotals: number[] = [];
  for (let i = 0; i < sim.length; i++) {
    if (sim.frequency[i] > 0 && sim.repeatTotals[i] > 0) {
      spendX.push(sim.frequency[i]);
      spendTotals.push(sim.repeatTotals[i]);
    }
  }
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let run = 0; run < Number(values.runs); run++) {
    const c0 = cpu();
    const w0 = performance.now();
    const triples = cb.compressCustomerBase(sim, 7);
    const start =
      triples.length > WARM_START_ABOVE
        ? bg.bgnbdWarmStart(cb.sampleTriples(triples, WARM_START_ABOVE / 2 / triples.length))
        : undefined;
    const bgFit = bg.fitBgNbd(triples, start);
    const c1 = cpu();
    const w1 = performance.now();
    const spend = pr.compressSpend(spendX, spendTotals, 0.01);
    let ggStart;
    if (spend.length > WARM_START_ABOVE) {
      // The subsample fitSummaryModels takes: records shared by 8+ customers, and a hash sample of the rest.
      const fraction = WARM_START_ABOVE / 2 / spend.length;
      const sample = { frequency: [] as number[], meanValue: [] as number[], count: [] as number[], length: 0 };
      for (let i = 0; i < spend.length; i++) {
        const c = spend.count[i];
        if (c >= 8 || cb.hashTriple(spend.frequency[i], spend.meanValue[i], 1) < fraction * 2 ** 32) {
          sample.frequency.push(spend.frequency[i]);
          sample.meanValue.push(spend.meanValue[i]);
          sample.count.push(c >= 8 ? c : c / fraction);
        }
      }
      sample.length = sample.frequency.length;
      ggStart = gg.gammaGammaWarmStart(sample);
    }
    const ggFit = gg.fitGammaGamma(spend, ggStart);
    const c2 = cpu();
    const w2 = performance.now();
    const ms = (v: number) => Math.round(v * 10) / 10;
    console.log(
      JSON.stringify({
        code: values.code,
        customers: sim.length,
        triples: triples.length,
        spendRecords: spend.length,
        bgnbd: { cpuMs: ms(c1 - c0), wallMs: ms(w1 - w0), logLik: bgFit.logLik, iterations: bgFit.iterations },
        gammaGamma: { cpuMs: ms(c2 - c1), wallMs: ms(w2 - w1), logLik: ggFit.logLik, iterations: ggFit.iterations },
      }),
    );
  }
}

await main();
