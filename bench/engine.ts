// Benchmark of the pure segmentation engine on a synthetic store generated
// deterministically (seeded): features from orders -> fitShop (RFM edges,
// BG/NBD + Gamma-Gamma on compressed triples, spend tiers) -> assignment of
// every customer. Orders are generated in chunks and only the time spent in
// the engine is counted. On every core (issue 18): one worker thread per core
// (bench/engine-worker.ts) generates and accumulates a customer range, the
// main thread merges the tables' fit columns and fits, each thread assigns its range.
// Run alone: `npx tsx bench/engine.ts [customers] [orders]`.
import os from "node:os";
import { isMainThread, Worker } from "node:worker_threads";
import { type FitTimings, fitShop } from "../app/segmentation/cutoffs";
import { concatFitColumns, decodeFitColumns } from "../app/segmentation/features/fit-columns";
import { parseSettings } from "../app/segmentation/settings";
import type { EngineOrder } from "../app/segmentation/types";
import { seededRandom } from "../app/utils/seeded-random";

export interface EngineBenchResult {
  /** Customers generated (some end up without a counted order: guest or cancelled only). */
  customers: number;
  orders: number;
  /** Features from orders: accumulating every order and grouping per customer. */
  featuresMs: number;
  /**
   * The whole fit step, fitShop: RFM and usage edges, price quantiles, the
   * BG/NBD + Gamma-Gamma fit and the spend-tier edges (the models alone are
   * details.modelFitMs).
   */
  fitMs: number;
  /** Segment assignment of every customer (memberships with reasons, predictions). */
  assignMs: number;
  /** Peak resident memory of the process (its worker threads included). */
  peakRssMb: number;
  /** Worker threads (one per core). */
  threads: number;
  /** Load average (1 min) at the start and the end: the machine is shared. */
  loadAverage: number[];
  details: {
    customersWithOrders: number;
    /** The BG/NBD + Gamma-Gamma fit alone (triple compression, warm start, full fit): what fitMs counted until 2026-12-05. */
    modelFitMs: number;
    /** featuresMs + fitMs + assignMs: the whole engine. */
    totalMs: number;
    /** CPU time (user + system, all threads) of each phase: robust to other processes on the machine (features: see addPerThreadCpuMs). */
    cpuMs: { features: number; fit: number; assign: number };
    /** Each thread's engine time for its range's features; the merge of their fit columns. */
    featuresPerThreadMs: number[];
    /** Of which the add() calls (wall and CPU); the rest is finish() and encoding. */
    addPerThreadMs: number[];
    /**
     * Summed per 256-order chunk, and a worker's process.cpuUsage() (Node 22 has no
     * process.threadCpuUsage) is the thread's getrusage, which Linux advances at
     * scheduler ticks: summed over chunks it counts about half to three quarters
     * of the time (docs/performance.md). Compare addPerThreadMs.
     */
    addPerThreadCpuMs: number[];
    mergeMs: number;
    assignPerThreadMs: number[];
    /** Wall time of the threads generating and accumulating (generation included, not counted above). */
    generateAndFeaturesWallMs: number;
    bgnbdMs: number;
    gammaGammaMs: number;
    spendTierMs: number;
    distinctSegments: number;
    memberships: number;
    predictive: string;
  };
}

const DAY = 86_400_000;
const AS_OF = Date.UTC(2025, 5, 30, 12);
const HISTORY_DAYS = 3 * 365;
// Small chunks: the recompute hands the accumulator each order as its COPY row
// is parsed, so orders die young. Chunks of 10,000 orders (~4 MB) outlived
// scavenges and were promoted, and the garbage collection they caused landed
// in the timed accumulator calls: 2.5M orders took 4.3 s of CPU in add()
// with 10,000-order chunks, 1.3-1.9 s with 256 (docs/performance.md, issue 18).
export const CHUNK = 256;

/** Orders per customer: 1 + geometric, then nudged so the total is exactly `orders`. */
function orderCounts(customers: number, orders: number, rnd: () => number): Int32Array {
  if (orders < customers) throw new RangeError("need at least one order per customer");
  const counts = new Int32Array(customers);
  const meanExtra = orders / customers - 1;
  const q = meanExtra / (1 + meanExtra);
  let total = 0;
  for (let c = 0; c < customers; c++) {
    counts[c] = 1 + (q > 0 ? Math.floor(Math.log(1 - rnd()) / Math.log(q)) : 0);
    total += counts[c];
  }
  let k = 0;
  while (total !== orders) {
    const c = (k++ * 7919) % customers;
    if (total < orders) {
      counts[c]++;
      total++;
    } else if (counts[c] > 1) {
      counts[c]--;
      total--;
    }
  }
  return counts;
}

const PRODUCTS = Array.from({ length: 5000 }, (_, i) => `gid://shopify/Product/${1000 + i}`);
const TYPES = Array.from({ length: 40 }, (_, i) => `type-${i}`);
const SOURCES: [string | null, string | null, string | null][] = [
  [null, null, null],
  ["google", "cpc", null],
  ["facebook", "paid_social", null],
  ["newsletter", "email", "spring"],
  [null, null, "www.google.com"],
  [null, null, "l.instagram.com"],
  [null, null, "blog.example.com"],
];

/** Customers per generator block: each block has its own seeded sequence, so any range of blocks can be generated alone. */
const BLOCK = 10_000;

/**
 * Yields the store's orders in chunks, customer by customer (as a database
 * export would), for customers [from, to) (block-aligned; default: all).
 * With `customerOf` (CHUNK long), customerOf[k] is set to the customer
 * number of the chunk's order k (-1 for a guest order) before each yield.
 * Each block of BLOCK customers draws from its own seeded sequence and order
 * numbers follow the customers, so generating ranges in separate threads
 * gives exactly the orders of generating everything in one.
 */
export function* generateOrders(
  customers: number,
  orders: number,
  seed: number,
  from = 0,
  to = customers,
  customerOf?: Int32Array,
): Generator<EngineOrder[]> {
  const counts = orderCounts(customers, orders, seededRandom(seed));
  let orderNo = 0;
  for (let c = 0; c < from; c++) orderNo += counts[c];
  let chunk: EngineOrder[] = [];
  let rnd = seededRandom(seed);
  for (let c = from; c < to; c++) {
    if (c % BLOCK === 0 || c === from) rnd = seededRandom(seed * 7919 + 1 + Math.floor(c / BLOCK));
    const id = `gid://shopify/Customer/${10_000_000 + c}`;
    const n = counts[c];
    const first = AS_OF - Math.floor(rnd() * HISTORY_DAYS) * DAY - Math.floor(rnd() * DAY);
    const window = AS_OF - first;
    // Heterogeneous purchase rates; histories that would overrun today are compressed into the window.
    const meanGap = 20 + 400 * rnd() * rnd();
    const gaps: number[] = [0];
    for (let k = 1; k < n; k++) gaps.push(gaps[k - 1] - Math.log(1 - rnd()) * meanGap * DAY);
    const scale = n > 1 && gaps[n - 1] > window ? window / gaps[n - 1] : 1;
    const src = SOURCES[Math.floor(rnd() * SOURCES.length)];
    const discounter = rnd() < 0.25;
    for (let k = 0; k < n; k++) {
      const discounted = discounter ? rnd() < 0.8 : rnd() < 0.15;
      const items = 1 + Math.floor(rnd() * 4);
      const unit = 800 + Math.floor(rnd() * rnd() * 12_000);
      const subtotal = items * unit;
      const discount = discounted ? Math.floor(subtotal * 0.15) : 0;
      const shipping = rnd() < 0.6 ? 0 : 695;
      const p1 = PRODUCTS[Math.floor(rnd() * rnd() * PRODUCTS.length)];
      const campaign = k > 0 && rnd() < 0.2;
      const guest = rnd() < 0.03;
      if (customerOf) customerOf[chunk.length] = guest ? -1 : c;
      chunk.push({
        id: `gid://shopify/Order/${orderNo++}`,
        customerId: guest ? null : id,
        processedAt: Math.floor(first + gaps[k] * scale),
        cancelled: rnd() < 0.01,
        totalMinor: subtotal - discount + shipping,
        subtotalMinor: subtotal - discount,
        discountMinor: discount,
        discountCodes: discounted ? ["SAVE15"] : [],
        itemQuantity: items,
        lineCount: items > 2 ? 2 : 1,
        productIds: items > 2 ? [p1, PRODUCTS[Math.floor(rnd() * PRODUCTS.length)]] : [p1],
        productTypes: [TYPES[Math.floor(rnd() * TYPES.length)]],
        avgUnitPriceMinor: unit,
        shippingMinor: shipping,
        expressShipping: rnd() < 0.1,
        utmSource: k === 0 ? src[0] : campaign ? "newsletter" : null,
        utmMedium: k === 0 ? src[1] : campaign ? "email" : null,
        utmCampaign: k === 0 ? (src[1] === "email" ? "welcome" : null) : campaign ? "winback" : null,
        referrerDomain: k === 0 ? src[2] : null,
        sourceName: "web",
      });
      if (chunk.length === CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length) yield chunk;
}

function peakRssMb(): number {
  // maxRSS is in kilobytes: the peak resident set of this process so far.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

interface WorkerFeatures {
  bytes: Uint8Array;
  featuresMs: number;
  featuresCpu: number;
  /** The add() calls alone (the rest: finish and encoding). */
  addMs: number;
  addCpu: number;
}

interface WorkerAssignment {
  counts: Record<string, number>;
  memberships: number;
  assignMs: number;
  assignCpu: number;
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once("error", onError);
    worker.once("message", (message: T) => {
      worker.off("error", onError);
      resolve(message);
    });
  });
}

/**
 * The engine on every core: one worker thread per core generates and
 * accumulates its customer range (block-aligned), the main thread merges the
 * tables' fit columns (concatFitColumns) and fits the shop, then each thread assigns its
 * own customers. `featuresMs` is the slowest thread's engine time (its calls
 * to the accumulator, finish and encoding; generation excluded, as in one
 * thread) plus the merge; `assignMs` the wall time from sending the cut-offs
 * to the last thread's answer.
 */
export async function benchEngine(
  opts: { customers?: number; orders?: number; seed?: number; threads?: number } = {},
): Promise<EngineBenchResult> {
  const customers = opts.customers ?? 1_000_000;
  const orders = opts.orders ?? 5_000_000;
  const seed = opts.seed ?? 42;
  const threads = opts.threads ?? os.availableParallelism();
  const settings = parseSettings({ timeZone: "America/New_York" });
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const loadAverage = [os.loadavg()[0]];

  // Block-aligned customer ranges, one per thread.
  const blocks = Math.ceil(customers / BLOCK);
  const t0 = performance.now();
  const workers = Array.from({ length: threads }, (_, k) => {
    const from = Math.min(customers, Math.round((blocks * k) / threads) * BLOCK);
    const to = Math.min(customers, Math.round((blocks * (k + 1)) / threads) * BLOCK);
    return new Worker(new URL("./engine-worker.ts", import.meta.url), {
      workerData: { customers, orders, seed, from, to, timeZone: settings.timeZone, asOf: AS_OF },
      // The loader flags (tsx) only: V8 heap flags are the process's, not a thread's.
      execArgv: process.execArgv.filter((flag) => !flag.startsWith("--max-old-space-size")),
    });
  });
  try {
    const parts = await Promise.all(workers.map((w) => nextMessage<WorkerFeatures>(w)));
    const phaseMs = performance.now() - t0;
    const tm = performance.now();
    const cm = cpu();
    // view: the transferred buffers are the threads' own, as in the recompute (read-features-on-cores.server.ts),
    // which also merges only the columns the fit reads (ADR 044).
    const table = concatFitColumns(parts.map((p) => decodeFitColumns(p.bytes, { view: true })));
    const mergeMs = performance.now() - tm;
    const mergeCpu = cpu() - cm;
    const featuresMs = Math.max(...parts.map((p) => p.featuresMs)) + mergeMs;

    const timings: FitTimings = {
      ms: { rfm: 0, models: 0, bgnbd: 0, gammaGamma: 0, spendTiers: 0 },
    };
    const t2 = performance.now();
    const c2 = cpu();
    const cutoffs = fitShop(table, settings, AS_OF, timings);
    const fitStepMs = performance.now() - t2;
    const fitStepCpu = cpu() - c2;

    const t3 = performance.now();
    const assigned = await Promise.all(
      workers.map((w) => {
        const answer = nextMessage<WorkerAssignment>(w);
        w.postMessage(cutoffs);
        return answer;
      }),
    );
    const assignMs = performance.now() - t3;
    const counts = new Map<string, number>();
    for (const a of assigned) for (const [k, v] of Object.entries(a.counts)) counts.set(k, (counts.get(k) ?? 0) + v);

    const r = (v: number) => Math.round(v);
    loadAverage.push(os.loadavg()[0]);
    return {
      customers,
      orders,
      featuresMs: r(featuresMs),
      fitMs: r(fitStepMs),
      assignMs: r(assignMs),
      peakRssMb: peakRssMb(),
      threads,
      loadAverage: loadAverage.map((l) => Number(l.toFixed(1))),
      details: {
        customersWithOrders: table.n,
        modelFitMs: r(timings.ms.bgnbd + timings.ms.gammaGamma),
        totalMs: r(featuresMs + fitStepMs + assignMs),
        cpuMs: {
          features: r(parts.reduce((a, p) => a + p.featuresCpu, 0) + mergeCpu),
          fit: r(fitStepCpu),
          assign: r(assigned.reduce((a, p) => a + p.assignCpu, 0)),
        },
        featuresPerThreadMs: parts.map((p) => r(p.featuresMs)),
        addPerThreadMs: parts.map((p) => r(p.addMs)),
        addPerThreadCpuMs: parts.map((p) => r(p.addCpu)),
        mergeMs: r(mergeMs),
        assignPerThreadMs: assigned.map((a) => r(a.assignMs)),
        generateAndFeaturesWallMs: r(phaseMs),
        bgnbdMs: r(timings.ms.bgnbd),
        gammaGammaMs: r(timings.ms.gammaGamma),
        spendTierMs: r(timings.ms.spendTiers),
        distinctSegments: counts.size,
        memberships: assigned.reduce((a, p) => a + p.memberships, 0),
        predictive: cutoffs.predictive.status === "ok" ? "ok" : `not-enough-data: ${cutoffs.predictive.reason}`,
      },
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

if (isMainThread && process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"))) {
  const [c, o] = process.argv.slice(2).map(Number);
  benchEngine({ customers: c || undefined, orders: o || undefined }).then((res) => {
    process.stdout.write(`${JSON.stringify(res)}\n`);
  });
}
