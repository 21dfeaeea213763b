/**
 * Writes the per-customer summaries that both sides of scripts/compare-lifetimes.py
 * fit: frequency, recency, T (in weeks = days / 7, or in days) and monetary_value,
 * computed by the engine's own path (features -> summarizePurchases), which is
 * what lifetimes' summary_data_from_transaction_data(freq="D", freq_multiplier=7
 * or 1) computes: x = purchase days after the first, recency and T from the
 * first purchase day, monetary_value = mean of the repeat days' totals.
 *
 *   npx tsx scripts/compare-lifetimes/summaries.ts OUT_DIR [--cdnow-master PATH]
 *
 * Writes OUT_DIR/<name>.csv (frequency,recency,T,monetary_value,recency_days,T_days,
 * repeat_total_minor; lifetimes reads the first four) and OUT_DIR/manifest.json.
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { computeFeatureTable } from "../../app/segmentation/features/accumulator";
import { summarizePurchases } from "../../app/segmentation/models/predict";
import { simulateCustomerBase } from "../../app/segmentation/models/simulate";
import type { EngineOrder } from "../../app/segmentation/types";
import { parseTransactionsCsv } from "../../app/segmentation/cli/transactions";
import { parse } from "csv-parse";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DAY_MS = 86_400_000;

export interface SummaryManifestEntry {
  name: string;
  file: string;
  unitDays: number;
  customers: number;
  repeatCustomers: number;
  source: string;
}

interface Transaction {
  customerId: string;
  day: string; // YYYY-MM-DD
  amountMinor: number;
}

function toOrders(transactions: readonly Transaction[]): EngineOrder[] {
  return transactions.map((t, i) => ({
    id: `t${i}`,
    customerId: t.customerId,
    processedAt: Date.parse(`${t.day}T00:00:00Z`),
    totalMinor: t.amountMinor,
  }));
}

const HEADER = "frequency,recency,T,monetary_value,recency_days,T_days,repeat_total_minor";

/** One summary row; JavaScript's shortest round-trip number form, so Python's float() reads the very same doubles. */
function summaryRow(x: number, txDays: number, Tdays: number, repeatTotal: number, unitDays: number): string {
  // The same double the engine's compressSpend computes for the Gamma-Gamma fit (minor units -> currency).
  const monetary = x > 0 ? (repeatTotal / x) * 0.01 : 0;
  return [x, txDays / unitDays, Tdays / unitDays, monetary, txDays, Tdays, repeatTotal].map(String).join(",");
}

/** Summary CSV text as of `endDay` (inclusive), in units of `unitDays` days. */
function summaryCsv(
  orders: EngineOrder[],
  endDay: number,
  unitDays: number,
): { csv: string; n: number; repeat: number } {
  const table = computeFeatureTable(orders, { timeZone: "UTC", expectedOrders: orders.length });
  const lines = [HEADER];
  let repeat = 0;
  for (let i = 0; i < table.size; i++) {
    const s = summarizePurchases(
      table.days,
      table.dayTotalsMinor,
      table.dayOffsets[i],
      table.dayOffsets[i + 1],
      endDay,
    );
    if (!s) continue;
    if (s.x > 0) repeat++;
    lines.push(summaryRow(s.x, s.txDays, s.Tdays, s.repeatTotal, unitDays));
  }
  return { csv: `${lines.join("\n")}\n`, n: lines.length - 1, repeat };
}

/**
 * A simulated shop where nobody ever leaves (BG/NBD's optimum then tends to
 * the no-dropout limit a -> 0): 20,000 customers, rates Gamma(0.5, 8 weeks),
 * ages up to a year (app/segmentation/models/simulate.ts, fixed seed).
 */
function syntheticNoDropoutCsv(seed: number): { csv: string; n: number; repeat: number } {
  const sim = simulateCustomerBase({
    customers: 20_000,
    seed,
    r: 0.5,
    alpha: 8,
    dropout: null,
    maxAgeDays: 365,
    spend: { p: 6, q: 4, gamma: 15 },
  });
  const lines = [HEADER];
  let repeat = 0;
  for (let i = 0; i < sim.length; i++) {
    if (sim.frequency[i] > 0) repeat++;
    lines.push(summaryRow(sim.frequency[i], sim.recencyDays[i], sim.ageDays[i], sim.repeatTotals[i], 7));
  }
  return { csv: `${lines.join("\n")}\n`, n: sim.length, repeat };
}

/** CDNOW (the project's sample, or lifetimes' CDNOW_master.txt): customer id, yyyymmdd, CDs, dollars. */
function cdnowOrders(file: string): EngineOrder[] {
  if (file.endsWith(".csv")) return parseTransactionsCsv(readFileSync(file, "utf8"), path.basename(file));
  const transactions: Transaction[] = [];
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !/^\d{8}$/.test(f[f.length - 3])) continue; // header or blank line
    const date = f[f.length - 3];
    transactions.push({
      customerId: f[0],
      day: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
      amountMinor: Math.round(Number(f[f.length - 1]) * 100),
    });
  }
  return toOrders(transactions);
}

/**
 * Online Retail invoices with a customer, as orders on their (store-local) day:
 * invoices starting with C (cancellations) or A (bad debt) are left out, lines
 * with quantity <= 0 are skipped, a line is worth quantity x price in pence (as
 * the simulator maps it). Refunds are not netted: the gross order value.
 */
async function onlineRetailOrders(file: string): Promise<{ orders: EngineOrder[]; lastDay: string }> {
  const invoices = new Map<string, Transaction>();
  const records = createReadStream(file)
    .pipe(createGunzip())
    .pipe(parse({ bom: true, from_line: 2, relax_column_count: true, skip_empty_lines: true }));
  let lastDay = "";
  for await (const record of records) {
    const [invoice, , , quantityText, dateTime, priceText, customerText] = record as string[];
    if (!customerText || invoice.startsWith("C") || invoice.startsWith("A")) continue;
    const day = dateTime.slice(0, 10);
    if (day > lastDay) lastDay = day;
    let t = invoices.get(invoice);
    if (!t) {
      t = { customerId: String(Math.round(Number(customerText))), day, amountMinor: 0 };
      invoices.set(invoice, t);
    }
    const quantity = Number(quantityText);
    if (quantity > 0) t.amountMinor += quantity * Math.max(0, Math.round(Number(priceText) * 100));
  }
  return { orders: toOrders([...invoices.values()]), lastDay };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "cdnow-master": { type: "string" } },
  });
  const out = positionals[0];
  if (!out) throw new Error("usage: summaries.ts OUT_DIR [--cdnow-master PATH]");
  mkdirSync(out, { recursive: true });
  const manifest: SummaryManifestEntry[] = [];
  const save = (name: string, source: string, unitDays: number, s: { csv: string; n: number; repeat: number }) => {
    writeFileSync(path.join(out, `${name}.csv`), s.csv);
    manifest.push({ name, file: `${name}.csv`, unitDays, customers: s.n, repeatCustomers: s.repeat, source });
  };
  const write = (name: string, source: string, orders: EngineOrder[], endIso: string, unitDays: number) =>
    save(name, source, unitDays, summaryCsv(orders, Date.parse(`${endIso}T00:00:00Z`) / DAY_MS, unitDays));

  const sample = cdnowOrders(path.join(ROOT, "data/cdnow/cdnow_sample_transactions.csv"));
  write("cdnow-sample-weeks", "data/cdnow sample, calibration to 1997-09-30", sample, "1997-09-30", 7);
  if (values["cdnow-master"]) {
    const master = cdnowOrders(values["cdnow-master"]);
    write("cdnow-master-weeks", "lifetimes' CDNOW_master.txt, calibration to 1997-09-30", master, "1997-09-30", 7);
  }
  const retail = await onlineRetailOrders(path.join(ROOT, "data/online-retail/online_retail.csv.gz"));
  const source = `data/online-retail, to the last invoice day ${retail.lastDay}`;
  write("online-retail-weeks", source, retail.orders, retail.lastDay, 7);
  write("online-retail-days", source, retail.orders, retail.lastDay, 1);
  for (const seed of [2, 3]) {
    save(
      `synthetic-no-dropout-${seed}-weeks`,
      `simulated, nobody leaves (seed ${seed})`,
      7,
      syntheticNoDropoutCsv(seed),
    );
  }
  writeFileSync(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const m of manifest) console.error(`${m.name}: ${m.customers} customers, ${m.repeatCustomers} with x > 0`);
}

await main();
