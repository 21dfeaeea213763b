// Optional native Shopify customer segments mirroring segment tags
// (`customer_tags CONTAINS '<tag>'`), so a segment shows in Shopify's
// Customers page, Shopify Email and discount eligibility.
import type { PrismaClient } from "@prisma/client";
import { SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE, SEGMENTS_LIST } from "../graphql/admin/segments.server";
import type { ShopConfig } from "../settings/shop-config";
import type { AdminApi, AdminResult } from "../shopify/admin-api.server";
import { deleteSegmentMirror, saveSegmentMirror, segmentMirrors } from "../stores/writeback-state.server";
import { WritebackError } from "./tags.server";

export interface MirrorStats {
  created: number;
  updated: number;
  deleted: number;
}

function mirrorQuery(tag: string): string {
  return `customer_tags CONTAINS '${tag.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function mirrorName(title: string, tag: string): string {
  return `${title} (${tag})`;
}

const joinMessages = (errors: ReadonlyArray<{ message: string }> | undefined) =>
  errors ? errors.map((e) => e.message).join("; ") : "no payload returned";

async function findSegmentByName(api: AdminApi, name: string): Promise<string | null> {
  let after: string | null = null;
  for (;;) {
    const page: AdminResult<typeof SEGMENTS_LIST> = await api.request(SEGMENTS_LIST, { after });
    const hit = page.segments.nodes.find((s) => s.name === name);
    if (hit) return hit.id;
    if (!page.segments.pageInfo.hasNextPage) return null;
    after = page.segments.pageInfo.endCursor ?? null;
  }
}

/** Brings the shop's native segments in line with settings.writeback.mirrors. */
export async function syncSegmentMirrors(api: AdminApi, db: PrismaClient, config: ShopConfig): Promise<MirrorStats> {
  const stats: MirrorStats = { created: 0, updated: 0, deleted: 0 };
  const stored = new Map((await segmentMirrors(db, config.shopId)).map((m) => [m.segment, m]));
  const titles = new Map(config.catalog.map((c) => [c.key, c.title]));
  const wanted = new Map<string, { name: string; query: string }>();
  for (const key of config.writeback.mirrors) {
    const tag = config.enabledTags.get(key);
    if (tag) wanted.set(key, { name: mirrorName(titles.get(key) ?? key, tag), query: mirrorQuery(tag) });
  }
  for (const [segment, want] of wanted) {
    const have = stored.get(segment);
    if (have && have.name === want.name && have.query === want.query) continue;
    let shopifyId = have?.shopifyId ?? null;
    if (shopifyId) {
      const r = await api.request(SEGMENT_UPDATE, { id: shopifyId, name: want.name, query: want.query });
      if (r.segmentUpdate?.segment) stats.updated++;
      else shopifyId = null; // deleted in Shopify meanwhile: create it again
    }
    if (!shopifyId) {
      const r = await api.request(SEGMENT_CREATE, want);
      shopifyId = r.segmentCreate?.segment?.id ?? null;
      if (!shopifyId && r.segmentCreate?.userErrors.some((e) => /taken/i.test(e.message))) {
        // Created by an earlier attempt that stopped before recording it.
        shopifyId = await findSegmentByName(api, want.name);
      }
      if (!shopifyId)
        throw new WritebackError(`segmentCreate "${want.name}": ${joinMessages(r.segmentCreate?.userErrors)}`);
      stats.created++;
    }
    await saveSegmentMirror(db, config.shopId, { segment, shopifyId, ...want });
  }
  for (const [segment, have] of stored) {
    if (wanted.has(segment)) continue;
    const r = await api.request(SEGMENT_DELETE, { id: have.shopifyId });
    const gone =
      r.segmentDelete?.deletedSegmentId || r.segmentDelete?.userErrors.some((e) => /does not exist/i.test(e.message));
    if (!gone)
      throw new WritebackError(`segmentDelete ${have.shopifyId}: ${joinMessages(r.segmentDelete?.userErrors)}`);
    await deleteSegmentMirror(db, config.shopId, segment);
    stats.deleted++;
  }
  return stats;
}
