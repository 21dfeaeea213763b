// The first step of a full recompute: every stored order -> features ->
// fitShop; the cut-offs are stored, the customer id space is split into
// ranges of about `chunkSize` customers, and each range's features are kept
// as a slice so the chunk jobs need not read the orders again (ADR 010).
import { fitShop, type FeatureTable, type FitColumns, type Settings, type ShopCutoffs } from "../segmentation";
import { runtimeEnv } from "../config/env.server";
import type { ShopConfig } from "../settings/shop-config";
import { FEATURE_VERSION } from "../segmentation/features/accumulator";
import {
  consumeFeatureChanges,
  currentSnapshot,
  forgetFeatureRead,
  keepFeatureRead,
  startLoggingFeatureChanges,
} from "../stores/feature-reads.server";
import { hasMemberships, saveShopCutoffs } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { writeRecomputeSlices, type SliceOwner } from "../stores/runs.server";
import { BIG_JOB_GARBAGE_BYTES, collectGarbageIfGrown, collectGarbageOnGrowth } from "../utils/collect-garbage";
import { logger } from "../utils/logger.server";
import { chunksOf, DEFAULT_CHUNK_SIZE, type CustomerRange } from "./chunk-ranges";
import { currentKeptRead, readShopFeaturesInSnapshot, type ReusedRead } from "./kept-read.server";
import { readShopFeaturesOnCores, type OneRead } from "./read-features-on-cores.server";

export interface FitResult {
  cutoffs: ShopCutoffs;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
  /** True when the shop had no stored memberships before (no transitions are recorded then). */
  firstRun: boolean;
  /** When the orders were read (or found unchanged since a kept read): memberships computed from them are as of this instant. */
  readAt: Date;
  /** The slices' owner when they are a kept read's (ADR 051), not this run's. */
  slices?: SliceOwner;
  /** Threads the orders were read on (0: none, a kept read was used). */
  readThreads: number;
  /** The customers re-read and slices rewritten when the kept read was patched (ADR 065). */
  patched?: ReusedRead["patched"];
  /** collectMs: the garbage collection after the step (0 where gc is not exposed). */
  timings: { loadMs: number; fitMs: number; slicesMs: number; collectMs: number };
}

/** What the chunk jobs need to know, known once the cut-offs are stored. */
export interface ChunkPlan {
  ranges: CustomerRange[];
  firstRun: boolean;
  readAt: Date;
  /** The slices' owner when it is not this run at readAt: a kept read's (ADR 051). */
  slices?: SliceOwner;
  customers: number;
  orders: number;
}

/**
 * The fit step hands its chunks over one at a time: `planned` once the
 * cut-offs are stored, then `ready(index)` as soon as that chunk's slice is
 * stored. The recompute job enqueues each chunk there, so the chunk jobs run
 * while the later slices are still being written.
 */
export interface ChunkHandOver {
  planned(plan: ChunkPlan): Promise<void>;
  ready(index: number, plan: ChunkPlan): Promise<void>;
}

/**
 * fitShop, but a failure of the predictive models (a numerical error on an
 * unusual customer base) does not block the other families: the shop is fitted
 * again without predictive models and the reason is kept in the cut-offs.
 */
export function fitWithFallback(table: FeatureTable | FitColumns, settings: Settings, asOf: Date): ShopCutoffs {
  try {
    return fitShop(table, settings, asOf);
  } catch (error) {
    const withoutModels: Settings = {
      ...settings,
      predictive: { ...settings.predictive, minCustomers: Number.MAX_SAFE_INTEGER },
    };
    const cutoffs = fitShop(table, withoutModels, asOf);
    logger.warn({ err: error }, "predictive model fit failed; segments computed without predictive models");
    return {
      ...cutoffs,
      predictive: {
        status: "not-enough-data",
        reason: `the predictive models could not be fitted: ${(error as Error).message}`,
      },
    };
  }
}

/** How much the slices' garbage may grow the fit step's process before it is collected (ADR 057). */
const SLICES_GARBAGE_BYTES = 192 * 1024 * 1024;

export interface FitStepOptions {
  chunkSize?: number;
  runId?: string;
  /** Threads reading the orders (default: RECOMPUTE_READ_THREADS, else 1, this one; ADR 040 and 045). */
  readThreads?: number;
  /** Whether the shop had no memberships when its recompute began (default: whether it has none now). */
  firstRun?: boolean;
  handOver?: ChunkHandOver;
}

export async function fitShopStep(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  options: FitStepOptions = {},
): Promise<FitResult> {
  const rssAtStart = process.memoryUsage.rss();
  const result = await fitAndHandOver(client, config, asOf, options, rssAtStart);
  // The features read for the step are garbage once it returns (the chunk
  // jobs read the stored slices): collected now, while the chunks run, rather
  // than whenever V8 next collects the old generation (ADR 057).
  const collectMs = collectGarbageIfGrown(rssAtStart, BIG_JOB_GARBAGE_BYTES) ?? 0;
  return { ...result, timings: { ...result.timings, collectMs } };
}

/** A fit step's result before its closing collection (fitShopStep adds collectMs). */
type HandedOver = Omit<FitResult, "timings"> & { timings: Omit<FitResult["timings"], "collectMs"> };

async function fitAndHandOver(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  options: FitStepOptions,
  rssAtStart: number,
): Promise<HandedOver> {
  const t0 = performance.now();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const threads = options.readThreads ?? runtimeEnv().RECOMPUTE_READ_THREADS ?? 1;
  // Only a run that stores slices can keep its read, and only a read on this
  // thread has one snapshot and whole-shop statistics in every slice (ADR 051, 064).
  const keepsRead = options.runId !== undefined && threads <= 1;
  // Unchanged since it was read, or patched with the customers that changed (ADR 065).
  const reused = keepsRead ? await currentKeptRead(client, config, chunkSize) : null;
  if (reused) return fitFromKeptRead(client, config, asOf, reused, options, t0);
  // Memberships computed from this read are "as of" this instant (see computedAt).
  const readAt = new Date();
  // With readThreads > 1: worker threads over customer ranges (ADR 040), which
  // also cut their part into chunks and write the chunks' slices while this
  // thread fits.
  // A read to be kept needs the changes after it logged (ADR 064).
  if (keepsRead) await startLoggingFeatureChanges(client, config.shopId);
  const inSnapshot = keepsRead
    ? await readShopFeaturesInSnapshot(client, config.shopId, config.segmentation.timeZone)
    : undefined;
  // A read on threads (not kept) sees, on each thread's connection, at least what a snapshot taken before they start sees.
  const beforeThreads = !inSnapshot && options.runId ? await currentSnapshot(client) : undefined;
  const read: OneRead | Awaited<ReturnType<typeof readShopFeaturesOnCores>> = inSnapshot
    ? { table: inSnapshot.table, orders: inSnapshot.orders, threads: 1 }
    : await readShopFeaturesOnCores(client, config.shopId, config.segmentation.timeZone, {
        threads,
        chunks: { size: chunkSize, ...(options.runId ? { slices: { runId: options.runId, readAt } } : {}) },
      });
  const { orders } = read;
  // Awaited below; a failure of the fit first must not leave it unhandled.
  read.chunks?.written.catch(() => undefined);
  // What the read built the table from (per-customer records and per-order
  // buffers, about 300 MB at a million customers) is garbage now: collected
  // before the fit and the slices, during which the chunk jobs start (ADR 057).
  collectGarbageIfGrown(rssAtStart, BIG_JOB_GARBAGE_BYTES);
  const t1 = performance.now();
  // On several threads only the columns the fit reads were merged (ADR 044).
  const cutoffs = fitWithFallback(read.columns ?? read.table, config.segmentation, asOf);
  const t2 = performance.now();
  const firstRun = options.firstRun ?? !(await hasMemberships(client, config.shopId));
  await saveShopCutoffs(client, config.shopId, cutoffs, asOf);
  const customers = read.columns ? read.columns.n : read.table.size;
  const handOver = options.handOver;
  // With read threads, they wrote their slices during the fit; otherwise the slices are cut here.
  const chunks = read.chunks ? null : chunksOf(read.table, chunkSize);
  const ranges = read.chunks?.ranges ?? chunks!.ranges;
  if (read.chunks) await read.chunks.written;
  const plan: ChunkPlan = { ranges, firstRun, readAt, customers, orders };
  await handOver?.planned(plan);
  const ready = handOver && ((index: number) => handOver.ready(index, plan));
  if (chunks && options.runId) {
    // Each chunk's customers' features, so the chunk jobs need not read the orders again.
    const collectOnGrowth = collectGarbageOnGrowth(SLICES_GARBAGE_BYTES);
    await writeRecomputeSlices(client, { runId: options.runId, readAt }, chunks.slices(), async (index) => {
      collectOnGrowth();
      await ready?.(index);
    });
  } else if (ready) {
    for (let index = 0; index < ranges.length; index++) await ready(index);
  }
  if (options.runId) {
    // Every slice is stored: the read is the shop's kept read (or, read on
    // threads, replaces the kept one without being kept itself).
    if (inSnapshot) {
      await keepFeatureRead(client, {
        shopId: config.shopId,
        runId: options.runId,
        readAt,
        timeZone: config.segmentation.timeZone,
        version: FEATURE_VERSION,
        snapshot: inSnapshot.snapshot,
        ranges,
        customers,
        orders,
        guestStats: inSnapshot.table.parts().guestShop,
      });
    } else {
      await forgetFeatureRead(client, config.shopId);
      // The changes it read are not the next read's to look for; without a kept read they are not asked about.
      if (beforeThreads) await consumeFeatureChanges(client, config.shopId, beforeThreads);
    }
  }
  return {
    ...plan,
    cutoffs,
    readThreads: read.threads,
    timings: { loadMs: t1 - t0, fitMs: t2 - t1, slicesMs: performance.now() - t2 },
  };
}

/** The fit step on a kept read: the stored slices' fit columns, no order read and no slice written. */
async function fitFromKeptRead(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  reused: ReusedRead,
  options: { firstRun?: boolean; handOver?: ChunkHandOver },
  t0: number,
): Promise<HandedOver> {
  const t1 = performance.now();
  const cutoffs = fitWithFallback(reused.columns, config.segmentation, asOf);
  const t2 = performance.now();
  const firstRun = options.firstRun ?? !(await hasMemberships(client, config.shopId));
  await saveShopCutoffs(client, config.shopId, cutoffs, asOf);
  const { ranges, customers, orders } = reused.read;
  const plan: ChunkPlan = { ranges, firstRun, readAt: reused.verifiedAt, slices: reused.slices, customers, orders };
  const handOver = options.handOver;
  await handOver?.planned(plan);
  if (handOver) for (let index = 0; index < ranges.length; index++) await handOver.ready(index, plan);
  return {
    ...plan,
    cutoffs,
    readThreads: 0,
    ...(reused.patched ? { patched: reused.patched } : {}),
    timings: { loadMs: t1 - t0, fitMs: t2 - t1, slicesMs: performance.now() - t2 },
  };
}
