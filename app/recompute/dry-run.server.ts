// "Dry run" of a settings change: how many customers would gain and lose
// each tag, before anything is stored or written. With unchanged
// segmentation settings the stored memberships are used; otherwise the shop
// is recomputed in memory (orders -> features -> fit -> assignment, or from
// the features the last recompute kept while the shop's data is unchanged,
// ADR 051) without writing anything.
import type { PrismaClient } from "@prisma/client";
import { assignTable, type CustomerAssignment } from "../segmentation";
import {
  sameSegmentation,
  shopConfigFrom,
  validateShopSettings,
  type ShopConfig,
  type ShopSettingsInput,
  workAfterSettingsChange,
} from "../settings/shop-config";
import { customerTagRows } from "../stores/customers.server";
import { keyOf, listOf, segmentsByCustomer } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { findShopById } from "../stores/shops.server";
import { diffCustomerTags } from "../writeback/diff";
import { desiredTagsOfLists } from "../writeback/tag-changes.server";
import { fitWithFallback } from "./fit.server";
import { currentKeptRead, keptSlices } from "./kept-read.server";
import { readShopFeatures } from "./read-features.server";

export interface TagChangeCount {
  tag: string;
  /** Segment key, or null for a tag of the app no segment has any more (former prefix, removed segment). */
  segment: string | null;
  gain: number;
  lose: number;
  /** The first few customers (ids) who would gain and lose the tag. */
  sample: { gain: string[]; lose: string[] };
}

/** Customers named per tag and side in a dry run. */
const SAMPLE_SIZE = 5;

export interface DryRunResult {
  customers: number;
  customersChanged: number;
  /** Customers who would not get a tag because of the 250-tag cap. */
  customersCapped: number;
  tags: TagChangeCount[];
  /** Whether memberships were recomputed (segmentation settings changed) or taken from storage. */
  recomputed: boolean;
  /** Whether every order was read for it (recomputed, and no kept read of unchanged data to use: ADR 051). */
  readOrders: boolean;
  /** What saving these settings runs (workAfterSettingsChange): a recompute, or only the write-back. */
  onSave: "recompute" | "writeback";
}

export async function dryRunSettings(
  db: PrismaClient,
  client: PgClient,
  shopId: string,
  input: ShopSettingsInput,
  asOf: Date = new Date(),
): Promise<DryRunResult> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new Error(`No shop ${shopId}`);
  const current = shopConfigFrom(shop);
  const candidateWriteback = { ...((input.writeback ?? {}) as Record<string, unknown>) };
  delete candidateWriteback.previousPrefixes;
  validateShopSettings({ segmentation: input.segmentation, writeback: candidateWriteback }, shop); // throws ShopSettingsError
  const next: ShopConfig = shopConfigFrom({
    ...shop,
    settings: {
      segmentation: input.segmentation ?? {},
      writeback: { ...candidateWriteback, previousPrefixes: current.prefixes },
    },
  });
  const unchanged = sameSegmentation(current, next);

  const customerRows = await customerTagRows(client, shopId);
  const { segmentsOf, readOrders } = unchanged
    ? { segmentsOf: await segmentsByCustomer(client, shopId), readOrders: false }
    : await segmentsUnder(client, next, asOf);

  const segmentOfTag = new Map([...next.enabledTags].map(([key, tag]) => [tag.toLowerCase(), key]));
  const counts = new Map<string, TagChangeCount>();
  const count = (tag: string, side: "gain" | "lose", customerId: string) => {
    const lower = tag.toLowerCase();
    let c = counts.get(lower);
    if (!c)
      counts.set(
        lower,
        (c = { tag, segment: segmentOfTag.get(lower) ?? null, gain: 0, lose: 0, sample: { gain: [], lose: [] } }),
      );
    c[side]++;
    if (c.sample[side].length < SAMPLE_SIZE) c.sample[side].push(customerId);
  };
  let customersChanged = 0;
  let customersCapped = 0;
  const seen = new Set<string>();
  const desiredOf = desiredTagsOfLists(next.enabledTags);
  const consider = (id: string, currentKey: string, tagCount: number) => {
    seen.add(id);
    const desired = desiredOf(segmentsOf.get(id) ?? "");
    // In sync (the write-back leaves app tags sorted): nothing to gain or lose.
    if (currentKey === desired.syncedKey) return;
    const diff = diffCustomerTags({
      desired: desired.tags,
      current: listOf(currentKey),
      tagCount,
      prefixes: next.prefixes,
    });
    if (diff.add.length || diff.remove.length) customersChanged++;
    if (diff.capped.length) customersCapped++;
    diff.add.forEach((t) => count(t, "gain", id));
    diff.remove.forEach((t) => count(t, "lose", id));
  };
  for (const [id, currentKey, tagCount] of customerRows) consider(id, currentKey, tagCount);
  for (const id of segmentsOf.keys()) if (!seen.has(id)) consider(id, "", 0);
  return {
    customers: seen.size,
    customersChanged,
    customersCapped,
    tags: [...counts.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    recomputed: !unchanged,
    readOrders,
    onSave: workAfterSettingsChange(current, next),
  };
}

/**
 * Every customer's segments under `config`'s settings, computed in memory:
 * from the shop's kept read while its data is unchanged (ADR 051: the fit on
 * the kept fit columns, then each slice assigned in turn) or once it is
 * patched with the customers that changed (ADR 065), otherwise from a read of
 * every order.
 */
async function segmentsUnder(
  client: PgClient,
  config: ShopConfig,
  asOf: Date,
): Promise<{ segmentsOf: Map<string, string>; readOrders: boolean }> {
  // Each customer's segments as one key (keyOf), as the stored ones are read.
  const segmentsOf = new Map<string, string>();
  const collect = (a: CustomerAssignment) => segmentsOf.set(a.customerId, keyOf(a.memberships.map((m) => m.key)));
  const kept = await currentKeptRead(client, config);
  if (kept) {
    const cutoffs = fitWithFallback(kept.columns, config.segmentation, asOf);
    let assigned = 0;
    for await (const table of keptSlices(client, kept)) {
      assignTable(table, cutoffs, config.segmentation, asOf, collect);
      assigned++;
    }
    if (assigned === kept.read.ranges.length) return { segmentsOf, readOrders: false };
    // A slice went meanwhile (a newer read replaced this one): read the orders.
    segmentsOf.clear();
  }
  const { table } = await readShopFeatures(client, config.shopId, config.segmentation.timeZone);
  assignTable(table, fitWithFallback(table, config.segmentation, asOf), config.segmentation, asOf, collect);
  return { segmentsOf, readOrders: true };
}
