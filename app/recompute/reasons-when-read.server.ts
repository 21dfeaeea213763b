// Reasons written out when they are read (ADR 060): a membership's reason is
// what the assigner says about the customer's features with the shop's
// stored model, as of the instant its segments were computed (the row's
// asOf, or the model's when the model is newer: a full recompute that found
// the row's segments unchanged). The same assigner, the same features and
// the same instant give the same text the recompute gave, so the pages, the
// CSV and the data requests show what the chunk computed without a reason
// per segment per customer being stored.
import {
  createAssigner,
  emptyCustomerFeatures,
  type Assigner,
  type FeatureTable,
  type Settings,
  type ShopCutoffs,
} from "../segmentation";
import type { PrismaClient } from "@prisma/client";
import { loadShopConfig } from "../settings/settings.server";
import { loadShopCutoffs, storedCustomerMemberships, type MembershipRow } from "../stores/memberships.server";
import { withPgClient, type PgClient } from "../stores/pg/pool.server";
import { readShopFeatures } from "./read-features.server";

/**
 * What a reader shows for a segment the assignment does not give the customer
 * now (its orders or the shop's settings changed since its row was computed,
 * and the re-segmentation that follows has not written it yet).
 */
export const REASON_PENDING =
  "Not explained yet: the customer's orders or the shop's settings changed since these segments were computed; the re-segmentation under way explains them";

/** A stored membership row as a reader has it: the segments to explain and the instant they were computed as of. */
export interface SegmentsToExplain {
  customerId: string;
  segments: readonly string[];
  /** Null for rows stored before the instant was kept: the model's. */
  asOf: Date | null;
}

/** The shop's fitted model as stored (loadShopCutoffs). */
export interface StoredModel {
  cutoffs: ShopCutoffs;
  asOf: Date;
}

/**
 * Each customer's reasons, in the order of its segments: REASON_PENDING for a
 * segment the assignment does not give now (the customer's orders or the
 * shop's settings changed since the row was computed, and its recompute is
 * still to come), and for every segment without a usable model (none stored,
 * or fitted in another time zone) or of a customer no longer live. One read of the listed customers' orders (an index
 * scan), one assignment per customer: for pages of members, not whole shops.
 */
export async function reasonsWhenRead(
  client: PgClient,
  shop: { shopId: string; segmentation: Settings },
  model: StoredModel | null,
  rows: readonly SegmentsToExplain[],
): Promise<Map<string, string[]>> {
  if (!usableModel(shop.segmentation, model) || rows.length === 0)
    return reasonsFromFeatures(null, shop.segmentation, model, rows);
  const ids = rows.map((r) => r.customerId);
  const { table } = await readShopFeatures(client, shop.shopId, shop.segmentation.timeZone, { ids });
  return reasonsFromFeatures(table, shop.segmentation, model, rows);
}

/**
 * reasonsWhenRead from features already read (a table holding the listed
 * customers, as the customer page reads them for its scores).
 */
export function reasonsFromFeatures(
  table: FeatureTable | null,
  segmentation: Settings,
  model: StoredModel | null,
  rows: readonly SegmentsToExplain[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const usable = usableModel(segmentation, model);
  const assigners = new Map<number, Assigner>();
  const scratch = emptyCustomerFeatures("", segmentation.timeZone);
  for (const row of rows) {
    // Without a model, or for a customer no longer live (deleted or redacted since), nothing explains the row.
    const index = table ? table.indexOf(row.customerId) : -1;
    if (!usable || !table || index < 0) {
      out.set(
        row.customerId,
        row.segments.map(() => REASON_PENDING),
      );
      continue;
    }
    const asOfMs = Math.max(row.asOf?.getTime() ?? 0, usable.asOf.getTime());
    let assigner = assigners.get(asOfMs);
    if (!assigner) {
      assigner = createAssigner(usable.cutoffs, segmentation, asOfMs);
      assigners.set(asOfMs, assigner);
    }
    const assignment = assigner.assign(table.customerInto(index, scratch));
    const reasons = new Map(assignment.memberships.map((m) => [m.key, m.reason]));
    out.set(
      row.customerId,
      row.segments.map((segment) => reasons.get(segment) ?? REASON_PENDING),
    );
  }
  return out;
}

/** The model, if its cut-offs were fitted in the settings' time zone (otherwise a recompute is due). */
function usableModel(segmentation: Settings, model: StoredModel | null): StoredModel | null {
  return model && model.cutoffs.timeZone === segmentation.timeZone ? model : null;
}

/**
 * A shop's (or one customer's) memberships one by one with their reasons
 * written out when read: for a data request and for tests, not for whole big
 * shops (every listed customer's orders are read at once).
 */
export async function membershipRowsWithReasons(
  db: PrismaClient,
  shopId: string,
  customerId?: bigint,
): Promise<Array<MembershipRow & { reason: string }>> {
  const rows = await storedCustomerMemberships(db, shopId, customerId);
  if (rows.length === 0) return [];
  const config = await loadShopConfig(db, shopId);
  const reasons = await withPgClient(async (client) =>
    reasonsWhenRead(client, { shopId, segmentation: config.segmentation }, await loadShopCutoffs(client, shopId), rows),
  );
  return rows.flatMap((row) =>
    row.segments.map((segment, i) => ({
      customerId: row.customerId,
      segment,
      since: row.since[i],
      asOf: row.asOf,
      reason: reasons.get(row.customerId)![i],
    })),
  );
}
