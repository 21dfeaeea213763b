// "Dry run" of a settings change: how many customers would gain and lose
// each tag, before anything is stored or written. With unchanged
// segmentation settings the stored memberships are used; otherwise the shop
// is recomputed in memory (orders -> features -> fit -> assignment) without
// writing anything.
import type { PrismaClient } from "@prisma/client";
import { assignTable, FeatureAccumulator } from "../segmentation";
import { diffCustomerTags } from "../writeback/diff";
import { accumulateShopFeatures } from "./recompute-orders.server";
import type { PgClient } from "./recompute-pg.server";
import { fitWithFallback } from "./recompute.server";
import { shopConfigFrom, validateShopSettings, type ShopConfig, type ShopSettingsInput } from "./shop-settings.server";

export interface TagChangeCount {
  tag: string;
  /** Segment key, or null for a tag of the app no segment has any more (former prefix, removed segment). */
  segment: string | null;
  gain: number;
  lose: number;
}

export interface DryRunResult {
  customers: number;
  customersChanged: number;
  /** Customers who would not get a tag because of the 250-tag cap. */
  customersCapped: number;
  tags: TagChangeCount[];
  /** Whether memberships were recomputed (segmentation settings changed) or taken from storage. */
  recomputed: boolean;
}

export async function dryRunSettings(
  db: PrismaClient,
  client: PgClient,
  shopId: string,
  input: ShopSettingsInput,
  asOf: Date = new Date(),
): Promise<DryRunResult> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
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
  const sameSegmentation = JSON.stringify(current.segmentation) === JSON.stringify(next.segmentation);

  const { rows: customerRows } = await client.query<[string, string[], number]>({
    text: `SELECT id::text, "appTags", "tagCount" FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL`,
    values: [shopId],
    rowMode: "array",
  });
  const segmentsOf = new Map<string, string[]>();
  if (sameSegmentation) {
    const { rows } = await client.query<[string, string[]]>({
      text: `SELECT "customerId"::text, segments FROM "SegmentMembership" WHERE "shopId" = $1`,
      values: [shopId],
      rowMode: "array",
    });
    for (const [id, segments] of rows) segmentsOf.set(id, segments);
  } else {
    const acc = new FeatureAccumulator({ timeZone: next.segmentation.timeZone });
    await accumulateShopFeatures(client, shopId, acc);
    const table = acc.finish();
    const cutoffs = fitWithFallback(table, next.segmentation, asOf);
    assignTable(table, cutoffs, next.segmentation, asOf, (a) =>
      segmentsOf.set(
        a.customerId,
        a.memberships.map((m) => m.key),
      ),
    );
  }

  const segmentOfTag = new Map([...next.enabledTags].map(([key, tag]) => [tag.toLowerCase(), key]));
  const counts = new Map<string, TagChangeCount>();
  const count = (tag: string, side: "gain" | "lose") => {
    const lower = tag.toLowerCase();
    let c = counts.get(lower);
    if (!c) counts.set(lower, (c = { tag, segment: segmentOfTag.get(lower) ?? null, gain: 0, lose: 0 }));
    c[side]++;
  };
  let customersChanged = 0;
  let customersCapped = 0;
  const seen = new Set<string>();
  const consider = (id: string, appTags: string[], tagCount: number) => {
    seen.add(id);
    const desired = (segmentsOf.get(id) ?? []).flatMap((key) => next.enabledTags.get(key) ?? []);
    const diff = diffCustomerTags({ desired, current: appTags, tagCount, prefixes: next.prefixes });
    if (diff.add.length || diff.remove.length) customersChanged++;
    if (diff.capped.length) customersCapped++;
    diff.add.forEach((t) => count(t, "gain"));
    diff.remove.forEach((t) => count(t, "lose"));
  };
  for (const [id, appTags, tagCount] of customerRows) consider(id, appTags, tagCount);
  for (const id of segmentsOf.keys()) if (!seen.has(id)) consider(id, [], 0);
  return {
    customers: seen.size,
    customersChanged,
    customersCapped,
    tags: [...counts.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    recomputed: !sameSegmentation,
  };
}
