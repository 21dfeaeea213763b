// Seeded simulation of a customer base, for tests and benchmarks of the fits:
// purchase rates λ ~ Gamma(r, α) (per week), purchases a Poisson process in
// continuous time, counted on whole days as the engine counts them (several
// purchases on one day are one purchase day), and after each purchase day
// the customer drops out with probability p ~ Beta(a, b) (or never, when
// `dropout` is null: the no-dropout data where the BG/NBD optimum lies at
// a → 0). Spend per purchase day ~ Gamma(shape, ν) with ν ~ Gamma(q, γ) rate.
// Same seed, same customers.

export interface SimulationOptions {
  customers: number;
  seed: number;
  r: number;
  alpha: number;
  /** Beta(a, b) of the dropout probability; null for no dropout at all. */
  dropout: { a: number; b: number } | null;
  /** Customers' ages T are uniform whole days in [1, maxAgeDays]. */
  maxAgeDays: number;
  spend: { p: number; q: number; gamma: number };
}

export interface SimulatedSummary {
  frequency: Int32Array;
  recencyDays: Int32Array;
  ageDays: Int32Array;
  /** Total of the repeat purchase days, in minor units. */
  repeatTotals: Float64Array;
  length: number;
}

export function simulateCustomerBase(o: SimulationOptions): SimulatedSummary {
  const rand = mulberry32(o.seed);
  const n = o.customers;
  const out: SimulatedSummary = {
    frequency: new Int32Array(n),
    recencyDays: new Int32Array(n),
    ageDays: new Int32Array(n),
    repeatTotals: new Float64Array(n),
    length: n,
  };
  for (let i = 0; i < n; i++) {
    const T = 1 + Math.floor(rand() * o.maxAgeDays);
    const ratePerDay = gammaVariate(rand, o.r) / o.alpha / 7;
    const dropP = o.dropout ? betaVariate(rand, o.dropout.a, o.dropout.b) : 0;
    const nu = gammaVariate(rand, o.spend.q) / o.spend.gamma;
    let t = 0;
    let lastDay = 0;
    let x = 0;
    let total = 0;
    // As in the model, only repeat purchases can end a customer's life.
    let alive = true;
    while (alive && ratePerDay > 0) {
      t += -Math.log(1 - rand()) / ratePerDay;
      if (t >= T) break;
      const day = Math.floor(t);
      if (day === lastDay) continue; // another purchase on the same day
      lastDay = day;
      x++;
      total += Math.max(1, Math.round((gammaVariate(rand, o.spend.p) / nu) * 100));
      alive = rand() >= dropP;
    }
    out.frequency[i] = x;
    out.recencyDays[i] = lastDay;
    out.ageDays[i] = T;
    out.repeatTotals[i] = total;
  }
  return out;
}

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

function normalVariate(rand: () => number): number {
  // Box-Muller; 1 - u keeps the log finite.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) by Marsaglia & Tsang, with the shape + 1 boost below 1. */
function gammaVariate(rand: () => number, shape: number): number {
  if (shape < 1) return gammaVariate(rand, shape + 1) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normalVariate(rand);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - rand();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

function betaVariate(rand: () => number, a: number, b: number): number {
  const x = gammaVariate(rand, a);
  return x / (x + gammaVariate(rand, b));
}
