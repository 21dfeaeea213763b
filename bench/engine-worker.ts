// One worker thread of the engine bench (bench/engine.ts): generates its
// customer range's orders, accumulates their features (only the engine's
// calls are timed), sends its table's fit columns to the main thread for the fit,
// then assigns its own customers with the cut-offs the main thread sends back.
import { parentPort, workerData } from "node:worker_threads";
import { assignTable } from "../app/segmentation/assign";
import type { ShopCutoffs } from "../app/segmentation/cutoffs";
import { FeatureAccumulator } from "../app/segmentation/features/accumulator";
import { encodeFitColumns } from "../app/segmentation/features/fit-columns";
import { parseSettings } from "../app/segmentation/settings";
import { CHUNK, generateOrders } from "./engine";

export interface EngineWorkerData {
  customers: number;
  orders: number;
  seed: number;
  from: number;
  to: number;
  timeZone: string;
  asOf: number;
}

const data = workerData as EngineWorkerData;
const settings = parseSettings({ timeZone: data.timeZone });
const cpu = () => {
  const u = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let featuresMs = 0;
let featuresCpu = 0;
const acc = new FeatureAccumulator({
  timeZone: settings.timeZone,
  expectedCustomers: data.to - data.from,
  expectedOrders: Math.round((data.orders * (data.to - data.from)) / data.customers),
});
// Customer ids resolved as the recompute resolves them (app/recompute/read-features.server.ts:
// a numeric table, then add(order, index)), not by the accumulator's Map of a million id strings.
// Here the generator says whose each order is and an Int32Array remembers the index add()
// returned; a customer is registered by add() at its first counted order, as before.
const customerOf = new Int32Array(CHUNK);
const indexOf = new Int32Array(data.to - data.from).fill(-1);
for (const chunk of generateOrders(data.customers, data.orders, data.seed, data.from, data.to, customerOf)) {
  const t = performance.now();
  const c = cpu();
  for (let i = 0; i < chunk.length; i++) {
    const who = customerOf[i];
    if (who < 0) acc.add(chunk[i]);
    else if (indexOf[who - data.from] >= 0) acc.add(chunk[i], indexOf[who - data.from]);
    else indexOf[who - data.from] = acc.add(chunk[i]);
  }
  featuresCpu += cpu() - c;
  featuresMs += performance.now() - t;
}
const addMs = featuresMs;
const addCpu = featuresCpu;
let t = performance.now();
let c = cpu();
const table = acc.finish();
// What the recompute's read threads send the fitting thread: the fit columns, not the whole table (ADR 044).
const bytes = encodeFitColumns(table);
featuresCpu += cpu() - c;
featuresMs += performance.now() - t;
parentPort!.postMessage({ bytes, featuresMs, featuresCpu, addMs, addCpu }, [bytes.buffer as ArrayBuffer]);

parentPort!.once("message", (cutoffs: ShopCutoffs) => {
  t = performance.now();
  c = cpu();
  let memberships = 0;
  const summary = assignTable(table, cutoffs, settings, data.asOf, (a) => {
    memberships += a.memberships.length;
  });
  parentPort!.postMessage({
    counts: summary.counts,
    memberships,
    assignMs: performance.now() - t,
    assignCpu: cpu() - c,
  });
});
