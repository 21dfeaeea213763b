// The first step of a full recompute: every stored order -> features ->
// fitShop; the cut-offs are stored, the customer id space is split into
// ranges of about `chunkSize` customers, and each range's features are kept
// as a slice so the chunk jobs need not read the orders again (ADR 010).
import { fitShop, type FeatureTable, type FitColumns, type Settings, type ShopCutoffs } from "../segmentation";
import { runtimeEnv } from "../config/env.server";
import type { ShopConfig } from "../settings/shop-config";
import { hasMemberships, saveShopCutoffs } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { writeRecomputeSlices } from "../stores/runs.server";
import { logger } from "../utils/logger.server";
import { chunksOf, DEFAULT_CHUNK_SIZE, type CustomerRange } from "./chunk-ranges";
import { readShopFeaturesOnCores } from "./read-features-on-cores.server";

export interface FitResult {
  cutoffs: ShopCutoffs;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
  /** True when the shop had no stored memberships before (no transitions are recorded then). */
  firstRun: boolean;
  /** When the orders were read: memberships computed from them are as of this instant. */
  readAt: Date;
  /** Threads the orders were read on. */
  readThreads: number;
  timings: { loadMs: number; fitMs: number; slicesMs: number };
}

/** What the chunk jobs need to know, known once the cut-offs are stored. */
export interface ChunkPlan {
  ranges: CustomerRange[];
  firstRun: boolean;
  readAt: Date;
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

export async function fitShopStep(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  options: {
    chunkSize?: number;
    runId?: string;
    /** Threads reading the orders (default: RECOMPUTE_READ_THREADS, else 1, this one; ADR 040 and 045). */
    readThreads?: number;
    /** Whether the shop had no memberships when its recompute began (default: whether it has none now). */
    firstRun?: boolean;
    handOver?: ChunkHandOver;
  } = {},
): Promise<FitResult> {
  const t0 = performance.now();
  // Memberships computed from this read are "as of" this instant (see computedAt).
  const readAt = new Date();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // With readThreads > 1: worker threads over customer ranges (ADR 040), which
  // also cut their part into chunks and write the chunks' slices while this
  // thread fits.
  const read = await readShopFeaturesOnCores(client, config.shopId, config.segmentation.timeZone, {
    threads: options.readThreads ?? runtimeEnv().RECOMPUTE_READ_THREADS,
    chunks: { size: chunkSize, ...(options.runId ? { slices: { runId: options.runId, readAt } } : {}) },
  });
  const { orders } = read;
  // Awaited below; a failure of the fit first must not leave it unhandled.
  read.chunks?.written.catch(() => undefined);
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
    await writeRecomputeSlices(client, { runId: options.runId, readAt }, chunks.slices(), ready);
  } else if (ready) {
    for (let index = 0; index < ranges.length; index++) await ready(index);
  }
  return {
    cutoffs,
    ranges,
    customers,
    orders,
    firstRun,
    readAt,
    readThreads: read.threads,
    timings: { loadMs: t1 - t0, fitMs: t2 - t1, slicesMs: performance.now() - t2 },
  };
}
