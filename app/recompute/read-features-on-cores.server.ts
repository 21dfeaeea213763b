// A big shop's features read on every core (docs/decisions/040-recompute-read-on-cores.md):
// the customer id space is split into contiguous ranges of about equal
// customer counts, one worker thread per range reads its customers and their
// orders on its own connection (COPY of a sequential scan, the table's
// physical order) into its own FeatureAccumulator, and the tables are
// concatenated in range order. Customer ids are disjoint between ranges and
// every order of a customer is in its customer's range, so each customer's
// features are those of one accumulator over all orders; the guest orders
// (shop statistics only) are read by the first range.
import { existsSync } from "node:fs";
import os from "node:os";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import { concatFeatureTables, decodeFeatureTable, type FeatureTable } from "../segmentation";
import { countLiveCustomers, customerIdsAtRanks } from "../stores/customers.server";
import { estimatedOrdersPerCustomer } from "../stores/orders.server";
import type { PgClient } from "../stores/pg/pool.server";
import { readShopFeatures, type CustomerIdRange } from "./read-features.server";

/** Below this many customers one read on the calling thread is faster than starting threads. */
const MIN_CUSTOMERS_PER_THREAD = 25_000;
const MIN_CUSTOMER_ID = "-9223372036854775808";
const MAX_CUSTOMER_ID = "9223372036854775807";

/** What a thread is asked to read (./read-features.thread.ts). */
export interface RangeReadRequest {
  connection: pg.ClientConfig;
  shopId: string;
  timeZone: string;
  range: CustomerIdRange;
  hints: { expectedCustomers: number; expectedOrders?: number };
}

/** A thread's answer: its range's table encoded (transferred, not copied), or the error that stopped it. */
export type RangeReadReply = { bytes: Uint8Array; orders: number } | { error: string };

/** The calling client's connection settings, for the threads' own connections to the same database. */
function connectionOf(client: PgClient): pg.ClientConfig {
  const c = client as pg.Client;
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    database: c.database,
    ...(typeof c.password === "string" ? { password: c.password } : {}),
    ...(c.ssl ? { ssl: c.ssl } : {}),
  };
}

/**
 * Starts a read thread. Its script is TypeScript beside this module under tsx
 * or vitest (development, tests, benchmarks) and the bundle's
 * read-features-thread.mjs in production (vite.worker.config.ts builds it
 * beside worker.mjs; shared code may put this module one folder down, in
 * chunks/). A thread does not inherit the process's TypeScript loader (tsx
 * or vitest): it starts from read-features.thread-dev.mjs, which registers tsx.
 */
function startThread(request: RangeReadRequest): Worker {
  const here = import.meta.url;
  // The process's flags, without the V8 heap flags, which are the process's.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith("--max-old-space-size"));
  if (here.endsWith(".ts")) {
    return new Worker(new URL("./read-features.thread-dev.mjs", here), { workerData: request, execArgv });
  }
  const name = "read-features-thread.mjs";
  const script = [new URL(`./${name}`, here), new URL(`../${name}`, here)].find((u) => existsSync(u));
  if (!script) throw new Error(`the recompute's read thread (${name}) is missing beside ${here}`);
  return new Worker(script, { workerData: request, execArgv });
}

function readRange(request: RangeReadRequest): Promise<{ table: FeatureTable; orders: number }> {
  return new Promise((resolve, reject) => {
    const worker = startThread(request);
    let settled = false;
    worker.once("message", (reply: RangeReadReply) => {
      settled = true;
      if ("error" in reply) reject(new Error(reply.error));
      else resolve({ table: decodeFeatureTable(reply.bytes), orders: reply.orders });
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the recompute's read thread exited with code ${code} before answering`));
    });
  });
}

/** How many threads a shop of `customers` is read with on this machine (1: on the calling thread). */
export function readThreads(customers: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.floor(customers / MIN_CUSTOMERS_PER_THREAD)));
}

/**
 * The features of every customer of the shop, as readShopFeatures gives
 * them, read by `threads` worker threads over customer id ranges (by default
 * one per core for a big shop; a small shop is read on the calling thread).
 */
export async function readShopFeaturesOnCores(
  client: PgClient,
  shopId: string,
  timeZone: string,
  options: { threads?: number } = {},
): Promise<{ table: FeatureTable; orders: number }> {
  const customers = await countLiveCustomers(client, shopId);
  const threads = options.threads ?? readThreads(customers);
  if (threads <= 1 || customers < threads) return readShopFeatures(client, shopId, timeZone);
  // Split points: the ids at ranks customers * k / threads; the ranges cover the whole id
  // space, so customers known only from their orders fall in one of them too.
  const splits = await customerIdsAtRanks(
    client,
    shopId,
    Array.from({ length: threads - 1 }, (_, k) => Math.floor((customers * (k + 1)) / threads)),
  );
  const ranges: CustomerIdRange[] = [];
  let from = MIN_CUSTOMER_ID;
  for (const split of splits) {
    ranges.push({ from, to: String(BigInt(split) - 1n) });
    from = split;
  }
  ranges.push({ from, to: MAX_CUSTOMER_ID });
  ranges[0].withGuests = true;
  const perCustomer = await estimatedOrdersPerCustomer(client);
  const perRange = Math.ceil(customers / ranges.length);
  const connection = connectionOf(client);
  const parts = await Promise.all(
    ranges.map((range) =>
      readRange({
        connection,
        shopId,
        timeZone,
        range,
        hints: {
          expectedCustomers: perRange,
          ...(perCustomer ? { expectedOrders: Math.round(perRange * Math.min(perCustomer, 100)) } : {}),
        },
      }),
    ),
  );
  return {
    table: concatFeatureTables(parts.map((p) => p.table)),
    orders: parts.reduce((n, p) => n + p.orders, 0),
  };
}
