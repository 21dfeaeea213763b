// Benchmark of the pure segmentation engine on a synthetic store generated
// deterministically (seeded): features from orders -> fitShop (RFM edges,
// BG/NBD + Gamma-Gamma on compressed triples, spend tiers) -> assignment of
// every customer. Orders are generated in chunks and only the time spent in
// the engine is counted. Run alone: `npx tsx bench/engine.ts [customers] [orders]`.
import { assignTable } from "../app/segmentation/assign";
import { type FitTimings, fitShop } from "../app/segmentation/cutoffs";
import { FeatureAccumulator } from "../app/segmentation/features/accumulator";
import { parseSettings } from "../app/segmentation/settings";
import type { EngineOrder } from "../app/segmentation/types";
import { seededRandom } from "../app/utils/seeded-random";

export interface EngineBenchResult {
  /** Customers generated (some end up without a counted order: guest or cancelled only). */
  customers: number;
  orders: number;
  /** Features from orders: accumulating every order and grouping per customer. */
  featuresMs: number;
  /** The BG/NBD + Gamma-Gamma fit (triple compression, warm start, full fit). */
  fitMs: number;
  /** Segment assignment of every customer (memberships with reasons, predictions). */
  assignMs: number;
  /** Peak resident memory of the process. */
  peakRssMb: number;
  details: {
    customersWithOrders: number;
    /** All of fitShop: RFM/usage edges, price quantiles, the model fit, spend-tier edges. */
    cutoffsMs: number;
    /** featuresMs + cutoffsMs + assignMs: the whole engine. */
    totalMs: number;
    /** CPU time (user + system, all threads) of each phase: robust to other processes on the machine. */
    cpuMs: { features: number; cutoffs: number; assign: number };
    /** Time spent generating the synthetic orders (not counted above). */
    generateMs: number;
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
// Small chunks, like database pages: big ones survive scavenges and inflate old-generation GC.
const CHUNK = 10_000;

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

/** Yields the store's orders in chunks, customer by customer (as a database export would). */
export function* generateOrders(customers: number, orders: number, seed: number): Generator<EngineOrder[]> {
  const rnd = seededRandom(seed);
  const counts = orderCounts(customers, orders, rnd);
  const ids = Array.from({ length: customers }, (_, c) => `gid://shopify/Customer/${10_000_000 + c}`);
  let chunk: EngineOrder[] = [];
  let orderNo = 0;
  for (let c = 0; c < customers; c++) {
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
      chunk.push({
        id: `gid://shopify/Order/${orderNo++}`,
        customerId: rnd() < 0.03 ? null : ids[c],
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

export async function benchEngine(
  opts: { customers?: number; orders?: number; seed?: number } = {},
): Promise<EngineBenchResult> {
  const customers = opts.customers ?? 1_000_000;
  const orders = opts.orders ?? 5_000_000;
  const settings = parseSettings({ timeZone: "America/New_York" });

  let featuresMs = 0;
  let generateMs = 0;
  let featuresCpu = 0;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const acc = new FeatureAccumulator({
    timeZone: settings.timeZone,
    expectedCustomers: customers,
    expectedOrders: orders,
  });
  let t = performance.now();
  for (const chunk of generateOrders(customers, orders, opts.seed ?? 42)) {
    const t1 = performance.now();
    const c1 = cpu();
    generateMs += t1 - t;
    for (let i = 0; i < chunk.length; i++) acc.add(chunk[i]);
    featuresCpu += cpu() - c1;
    t = performance.now();
    featuresMs += t - t1;
  }
  const tf = performance.now();
  const cf = cpu();
  const table = acc.finish();
  featuresCpu += cpu() - cf;
  featuresMs += performance.now() - tf;

  const timings: FitTimings = {
    ms: { rfm: 0, models: 0, bgnbd: 0, gammaGamma: 0, spendTiers: 0 },
  };
  const t2 = performance.now();
  const c2 = cpu();
  const cutoffs = fitShop(table, settings, AS_OF, timings);
  const cutoffsMs = performance.now() - t2;
  const cutoffsCpu = cpu() - c2;

  let memberships = 0;
  const t3 = performance.now();
  const c3 = cpu();
  const summary = assignTable(table, cutoffs, settings, AS_OF, (a) => {
    memberships += a.memberships.length;
  });
  const assignMs = performance.now() - t3;
  const assignCpu = cpu() - c3;

  const r = (v: number) => Math.round(v);
  return {
    customers,
    orders,
    featuresMs: r(featuresMs),
    fitMs: r(timings.ms.bgnbd + timings.ms.gammaGamma),
    assignMs: r(assignMs),
    peakRssMb: peakRssMb(),
    details: {
      customersWithOrders: table.size,
      cutoffsMs: r(cutoffsMs),
      totalMs: r(featuresMs + cutoffsMs + assignMs),
      cpuMs: {
        features: r(featuresCpu),
        cutoffs: r(cutoffsCpu),
        assign: r(assignCpu),
      },
      generateMs: r(generateMs),
      bgnbdMs: r(timings.ms.bgnbd),
      gammaGammaMs: r(timings.ms.gammaGamma),
      spendTierMs: r(timings.ms.spendTiers),
      distinctSegments: Object.keys(summary.counts).length,
      memberships,
      predictive: cutoffs.predictive.status === "ok" ? "ok" : `not-enough-data: ${cutoffs.predictive.reason}`,
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, "/bench/"))) {
  const [c, o] = process.argv.slice(2).map(Number);
  benchEngine({ customers: c || undefined, orders: o || undefined }).then((res) => {
    process.stdout.write(`${JSON.stringify(res)}\n`);
  });
}
