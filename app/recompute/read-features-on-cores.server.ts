// A big shop's features read on every core (docs/decisions/040-recompute-read-on-cores.md):
// the customer id space is split into contiguous ranges of about equal
// customer counts, one worker thread per range reads its customers and their
// orders on its own connection (COPY of a sequential scan, the table's
// physical order) into its own FeatureAccumulator, and the columns the fit
// reads are concatenated in range order (ADR 044: each thread keeps its whole
// table for its chunks' slices). Customer ids are disjoint between ranges and
// every order of a customer is in its customer's range, so each customer's
// features are those of one accumulator over all orders; the guest orders
// (shop statistics only) are read by the first range.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type pg from "pg";
import { concatFitColumns, decodeFitColumns, type FeatureTable, type FitColumns } from "../segmentation";
import { countLiveCustomers, customerIdsAtRanks } from "../stores/customers.server";
import { estimatedOrdersPerCustomer } from "../stores/orders.server";
import type { PgClient } from "../stores/pg/pool.server";
import { clearRecomputeSlices, type SliceOwner } from "../stores/runs.server";
import { DEFAULT_CHUNK_SIZE, MAX_CUSTOMER_ID, type CustomerRange } from "./chunk-ranges";
import { readShopFeatures, type CustomerIdRange } from "./read-features.server";

const MIN_CUSTOMER_ID = "-9223372036854775808";

/** What a thread is asked to read (./read-features.thread.ts), and how to cut its part into chunks. */
export interface RangeReadRequest {
  connection: pg.ClientConfig;
  shopId: string;
  timeZone: string;
  range: CustomerIdRange;
  hints: { expectedCustomers: number; expectedOrders?: number };
  chunkSize: number;
  /** The recompute run (and read) whose chunk slices the thread writes (none: only the ranges are wanted). */
  slices?: SliceOwner;
}

/** A thread's answer: its range's fit columns encoded (transferred, not copied) and its chunks, or the error that stopped it. */
export type RangeReadReply = { bytes: Uint8Array; orders: number; ranges: CustomerRange[] } | { error: string };

/** A thread's second answer, once told where its chunks start: its slices are written. */
export type SlicesReply = { written: true } | { error: string };

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
  // No execArgv option: the thread inherits the process's flags as Node filters
  // them. Passing them explicitly fails on the V8 flags worker processes run
  // with (--max-semi-space-size: ERR_WORKER_INVALID_EXEC_ARGV).
  if (here.endsWith(".ts")) return new Worker(new URL("./read-features.thread-dev.mjs", here), { workerData: request });
  const name = "read-features-thread.mjs";
  const script = [new URL(`./${name}`, here), new URL(`../${name}`, here)].find((u) => existsSync(u));
  if (!script) throw new Error(`the recompute's read thread (${name}) is missing beside ${here}`);
  return new Worker(script, { workerData: request });
}

interface Part {
  worker: Worker;
  columns: FitColumns | undefined;
  orders: number;
  ranges: CustomerRange[];
}

/** The thread's next message, or its failure (an error, or an exit before answering). */
function nextReply<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: T) => {
      worker.off("error", onError).off("exit", onExit);
      if (reply && typeof reply === "object" && "error" in reply) reject(new Error(String(reply.error)));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      worker.off("message", onMessage).off("exit", onExit);
      reject(error);
    };
    const onExit = (code: number) => {
      worker.off("message", onMessage).off("error", onError);
      reject(new Error(`the recompute's read thread exited with code ${code} before answering`));
    };
    worker.once("message", onMessage).once("error", onError).once("exit", onExit);
  });
}

async function readPart(request: RangeReadRequest): Promise<Part> {
  const worker = startThread(request);
  try {
    const reply = await nextReply<Exclude<RangeReadReply, { error: string }>>(worker);
    return {
      worker,
      columns: decodeFitColumns(reply.bytes, { view: true }),
      orders: reply.orders,
      ranges: reply.ranges,
    };
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

/** What one read thread (the calling one) gives: the whole table; the caller cuts it into chunks. */
export type OneRead = { table: FeatureTable; orders: number; threads: 1; columns?: undefined; chunks?: undefined };

/**
 * What several threads give: the fit columns of the whole shop (what
 * fitColumnsOf(table) of one read would give, rows in range order) and the
 * chunks the threads cut, whose slices hold every customer's features.
 */
type ReadOnCores = {
  columns: FitColumns;
  orders: number;
  threads: number;
  table?: undefined;
  chunks: { ranges: CustomerRange[]; written: Promise<void> };
};

/**
 * The features of every customer of the shop read by `threads` worker
 * threads over customer id ranges (by default one: the calling thread reads
 * the whole table, as readShopFeatures does, and cuts it itself). With more,
 * each thread also cuts its part into chunks of `chunks.size` customers and,
 * with `chunks.slices`, writes their slices while the caller goes on
 * (`written`); the caller gets the columns the fit reads, not a merged table.
 */
export async function readShopFeaturesOnCores(
  client: PgClient,
  shopId: string,
  timeZone: string,
  options: { threads?: number; chunks?: { size: number; slices?: SliceOwner } } = {},
): Promise<OneRead | ReadOnCores> {
  const oneThread = async (): Promise<OneRead> => ({
    ...(await readShopFeatures(client, shopId, timeZone)),
    threads: 1,
  });
  // One thread unless asked (ADR 045): under the worker processes' flags (then 64 MB semi-spaces) two
  // threads read a million customers' orders 1-3 s faster but peaked at 1.6 GB, one at 1.05 GB.
  const threads = options.threads ?? 1;
  if (threads <= 1) return oneThread();
  const customers = await countLiveCustomers(client, shopId);
  if (customers < threads) return oneThread();
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
  const chunkSize = options.chunks?.size ?? DEFAULT_CHUNK_SIZE;
  const slices = options.chunks?.slices;
  const settled = await Promise.allSettled(
    ranges.map((range) =>
      readPart({
        connection,
        shopId,
        timeZone,
        range,
        hints: {
          expectedCustomers: perRange,
          ...(perCustomer ? { expectedOrders: Math.round(perRange * Math.min(perCustomer, 100)) } : {}),
        },
        chunkSize,
        slices,
      }),
    ),
  );
  const parts = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(parts.map((p) => p.worker.terminate()));
    throw failed.reason;
  }
  try {
    if (slices) await clearRecomputeSlices(client, slices.runId);
  } catch (error) {
    await Promise.all(parts.map((p) => p.worker.terminate()));
    throw error;
  }
  // Each thread writes its chunks' slices as the run's chunks firstIndex, firstIndex + 1, ...
  let firstIndex = 0;
  const written = Promise.all(
    parts.map((p) => {
      const reply = nextReply<SlicesReply>(p.worker);
      p.worker.postMessage({ firstIndex });
      firstIndex += p.ranges.length;
      return reply;
    }),
  ).then(() => undefined);
  const columns = concatFitColumns(parts.map((p) => p.columns!));
  const orders = parts.reduce((n, p) => n + p.orders, 0);
  const chunks = parts.flatMap((p) => p.ranges);
  // The parts' columns are garbage once merged (`written` keeps the parts for their threads).
  for (const p of parts) p.columns = undefined;
  return { columns, orders, threads: parts.length, chunks: { ranges: chunks, written } };
}
