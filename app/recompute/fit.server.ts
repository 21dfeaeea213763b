// The first step of a full recompute: every stored order -> features ->
// fitShop; the cut-offs are stored, the customer id space is split into
// ranges of about `chunkSize` customers, and each range's features are kept
// as a slice so the chunk jobs need not read the orders again (ADR 010).
import {
  encodeFeatureTable,
  fitShop,
  subsetFeatureTable,
  type FeatureTable,
  type Settings,
  type ShopCutoffs,
} from "../segmentation";
import type { ShopConfig } from "../settings/shop-config";
import { hasMemberships, saveShopCutoffs } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { writeRecomputeSlices } from "../stores/runs.server";
import { logger } from "../utils/logger.server";
import { readShopFeaturesOnCores } from "./read-features-on-cores.server";

/** Customer ids are Shopify numeric ids; this is above any of them. */
const MAX_CUSTOMER_ID = "9223372036854775807";
export const DEFAULT_CHUNK_SIZE = 50_000;

export interface CustomerRange {
  from: string;
  to: string;
}

export interface FitResult {
  cutoffs: ShopCutoffs;
  ranges: CustomerRange[];
  customers: number;
  orders: number;
  /** True when the shop had no stored memberships before (no transitions are recorded then). */
  firstRun: boolean;
  /** When the orders were read: memberships computed from them are as of this instant. */
  readAt: Date;
  timings: { loadMs: number; fitMs: number; slicesMs: number };
}

/** Splits sorted ids into contiguous ranges covering the whole id space, about `size` ids each. */
function rangesOf(sortedIds: Float64Array, size: number): CustomerRange[] {
  if (sortedIds.length === 0) return [{ from: "0", to: MAX_CUSTOMER_ID }];
  const ranges: CustomerRange[] = [];
  for (let start = 0; start < sortedIds.length; start += size) {
    const next = start + size;
    ranges.push({
      from: start === 0 ? "0" : String(sortedIds[start]),
      to: next >= sortedIds.length ? MAX_CUSTOMER_ID : String(sortedIds[next] - 1),
    });
  }
  return ranges;
}

/**
 * fitShop, but a failure of the predictive models (a numerical error on an
 * unusual customer base) does not block the other families: the shop is fitted
 * again without predictive models and the reason is kept in the cut-offs.
 */
export function fitWithFallback(table: FeatureTable, settings: Settings, asOf: Date): ShopCutoffs {
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

/** Table indices sorted by numeric customer id (ids are below 2^53). */
function indicesById(table: FeatureTable): { byId: Int32Array; sortedIds: Float64Array } {
  const numeric = new Float64Array(table.size);
  for (let i = 0; i < table.size; i++) numeric[i] = Number(table.customerIds[i]);
  const byId = Int32Array.from({ length: table.size }, (_, i) => i);
  // Customers are read in id order; only customers known from orders alone
  // (missing from the Customer table) come after them. A comparator sort of
  // a million indices costs seconds, so sort only when needed.
  let sorted = true;
  for (let i = 1; i < table.size && sorted; i++) sorted = numeric[i - 1] <= numeric[i];
  if (!sorted) byId.sort((a, b) => numeric[a] - numeric[b]);
  return { byId, sortedIds: Float64Array.from(byId, (i) => numeric[i]) };
}

export async function fitShopStep(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
  options: {
    chunkSize?: number;
    runId?: string;
    /** Threads reading the orders (default: one per core for a big shop, see readThreads). */
    readThreads?: number;
  } = {},
): Promise<FitResult> {
  const t0 = performance.now();
  // Memberships computed from this read are "as of" this instant (see computedAt).
  const readAt = new Date();
  // A big shop on every core: worker threads over customer ranges (ADR 040).
  const { table, orders } = await readShopFeaturesOnCores(client, config.shopId, config.segmentation.timeZone, {
    threads: options.readThreads,
  });
  const t1 = performance.now();
  const cutoffs = fitWithFallback(table, config.segmentation, asOf);
  const t2 = performance.now();
  const { byId, sortedIds } = indicesById(table);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const ranges = rangesOf(sortedIds, chunkSize);
  const firstRun = !(await hasMemberships(client, config.shopId));
  await saveShopCutoffs(client, config.shopId, cutoffs, asOf);
  if (options.runId) {
    // Each chunk's customers' features, so the chunk jobs need not read the orders again.
    function* slices() {
      for (let index = 0; index < ranges.length; index++) {
        yield encodeFeatureTable(subsetFeatureTable(table, byId.subarray(index * chunkSize, (index + 1) * chunkSize)));
      }
    }
    await writeRecomputeSlices(client, options.runId, slices());
  }
  return {
    cutoffs,
    ranges,
    customers: table.size,
    orders,
    firstRun,
    readAt,
    timings: { loadMs: t1 - t0, fitMs: t2 - t1, slicesMs: performance.now() - t2 },
  };
}
