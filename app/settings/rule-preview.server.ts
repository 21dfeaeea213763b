// A rule's live preview, computed in the worker (the `rules.preview` job,
// app/queues/previews.server.ts, ADR 052): the rule evaluated by the engine on
// the shop's stored orders, with the cut-offs of its last recompute. The
// features come from the last recompute's kept read while the orders are
// unchanged since (ADR 051), as the settings dry run's do.
import { previewCustomRule, type CustomerFeatures, type FeatureTable, type ShopCutoffs } from "../segmentation";
import { emptyCustomerFeatures } from "../segmentation/features/customer";
import type { Rule } from "../segmentation/rules/schema";
import { fitWithFallback } from "../recompute/fit.server";
import { keptSlices, patchKeptRead, unchangedKeptRead } from "../recompute/kept-read.server";
import { readShopFeatures } from "../recompute/read-features.server";
import { loadShopCutoffs } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { segmentationNow } from "../utils/segmentation-clock.server";
import type { ShopConfig } from "./shop-config";

interface PreviewBase {
  /** The shop's customers' features in id order: the kept read's slices, or one table read from the orders. */
  tables: FeatureTable[];
  cutoffs: ShopCutoffs;
  asOf: Date;
  at: number;
  readOrders: boolean;
}

/**
 * Each shop's features for a short while, so the debounced requests of one
 * editing session read the features once (per worker process: a request that
 * another process takes reads them again). An entry goes when its time is
 * up, used or not: a 1M-customer shop's features are about 300 MB, which a
 * worker process must not keep after the merchant has stopped editing.
 */
const PREVIEW_TTL_MS = 30_000;
const MAX_CACHED_SHOPS = 4;
const previewCache = new Map<string, Promise<PreviewBase>>();

/**
 * The features of every customer of the shop, in id order: the kept read's
 * slices when no change was logged since that read (ADR 051, 064: an index
 * lookup, where a read of the orders is some 10 s at a million customers) or
 * once it is patched with the customers that changed (ADR 065), otherwise one
 * table read from the orders.
 */
async function shopFeatures(
  client: PgClient,
  config: ShopConfig,
): Promise<{ tables: FeatureTable[]; readOrders: boolean }> {
  // Unchanged (its slices not read here), else patched with the customers that changed (ADR 065).
  const kept = (await unchangedKeptRead(client, config)) ?? (await patchKeptRead(client, config));
  if (kept) {
    const tables: FeatureTable[] = [];
    for await (const table of keptSlices(client, kept)) tables.push(table);
    if (tables.length === kept.read.ranges.length) return { tables, readOrders: false };
  }
  const { table } = await readShopFeatures(client, config.shopId, config.segmentation.timeZone);
  return { tables: [table], readOrders: true };
}

async function previewBase(client: PgClient, config: ShopConfig): Promise<PreviewBase> {
  const key = `${config.shopId}:${config.segmentation.timeZone}`;
  const cached = previewCache.get(key);
  if (cached) {
    const base = await cached.catch(() => null);
    if (base && Date.now() - base.at < PREVIEW_TTL_MS) return base;
    previewCache.delete(key);
  }
  const load = (async () => {
    const stored = await loadShopCutoffs(client, config.shopId);
    // The stored cut-offs are those of the last recompute; fitted here only before the first one, from the orders (a
    // kept read is a recompute's: there is none before the first).
    if (stored && stored.cutoffs.timeZone === config.segmentation.timeZone) {
      const { tables, readOrders } = await shopFeatures(client, config);
      return { tables, cutoffs: stored.cutoffs, asOf: new Date(stored.asOf), at: Date.now(), readOrders };
    }
    const { table } = await readShopFeatures(client, config.shopId, config.segmentation.timeZone);
    const asOf = segmentationNow();
    const cutoffs = fitWithFallback(table, config.segmentation, asOf);
    return { tables: [table], cutoffs, asOf, at: Date.now(), readOrders: true };
  })();
  previewCache.set(key, load);
  const forget = () => {
    if (previewCache.get(key) === load) previewCache.delete(key);
  };
  // From the moment the features are there (a big shop's read takes seconds); a failed read at once.
  load.then(() => setTimeout(forget, PREVIEW_TTL_MS).unref(), forget);
  while (previewCache.size > MAX_CACHED_SHOPS) previewCache.delete(previewCache.keys().next().value!);
  return load;
}

/** Forgets every cached preview base (a test's fresh start; the cache is per process). */
export function forgetRulePreviews(): void {
  previewCache.clear();
}

function* customersOf(tables: readonly FeatureTable[]): Generator<CustomerFeatures> {
  for (const table of tables) {
    const scratch = emptyCustomerFeatures("", table.timeZone);
    for (let i = 0; i < table.size; i++) yield table.customerInto(i, scratch);
  }
}

/**
 * The preview's answer: the count and a sample with reasons (and whether the
 * orders were read for it, or the kept read's features used), or why the
 * engine refused the rule.
 */
export type RulePreview =
  | {
      ok: true;
      count: number;
      customers: number;
      sample: { customerId: string; reason: string }[];
      readOrders: boolean;
    }
  | { ok: false; problems: string[] };

/** How many of the shop's customers `rule` (validated by the rule form) matches now, and a sample of them. */
export async function previewRule(
  client: PgClient,
  config: ShopConfig,
  rule: Rule,
  sampleSize: number,
): Promise<RulePreview> {
  const base = await previewBase(client, config);
  const result = previewCustomRule(rule, customersOf(base.tables), sampleSize, {
    cutoffs: base.cutoffs,
    settings: config.segmentation,
    asOf: base.asOf,
  });
  if (!result.ok) return { ok: false, problems: result.errors };
  const customers = base.tables.reduce((n, t) => n + t.size, 0);
  return { ok: true, count: result.count, customers, sample: result.sample, readOrders: base.readOrders };
}
