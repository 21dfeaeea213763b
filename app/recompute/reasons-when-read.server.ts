// Reasons written out when they are read (ADR 060): a membership's reason is
// what the assigner says about the customer's features with the shop's
// stored model, as of the instant its segments were computed (the row's
// asOf, or the model's when the model is newer: a full recompute that found
// the row's segments unchanged). The same assigner, the same features and
// the same instant give the same text the recompute gave, so the pages, the
// CSV and the data requests show what the chunk computed without a reason
// per segment per customer being stored.
import { createAssigner, emptyCustomerFeatures, type Assigner, type Settings, type ShopCutoffs } from "../segmentation";
import type { PrismaClient } from "@prisma/client";
import { loadShopConfig } from "../settings/settings.server";
import { loadShopCutoffs, membershipRows, type MembershipRow } from "../stores/memberships.server";
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
 * Each customer's reasons, in the order of its segments: null for a segment
 * the assignment does not give now (the customer's orders or the shop's
 * settings changed since the row was computed, and its recompute is still to
 * come), and for every segment without a usable model (none stored, or fitted
 * in another time zone). One read of the listed customers' orders (an index
 * scan), one assignment per customer: for pages of members, not whole shops.
 */
export async function reasonsWhenRead(
  client: PgClient,
  shop: { shopId: string; segmentation: Settings },
  model: StoredModel | null,
  rows: readonly SegmentsToExplain[],
): Promise<Map<string, Array<string | null>>> {
  const out = new Map<string, Array<string | null>>();
  const usable = model && model.cutoffs.timeZone === shop.segmentation.timeZone ? model : null;
  if (!usable || rows.length === 0) {
    for (const row of rows)
      out.set(
        row.customerId,
        row.segments.map(() => null),
      );
    return out;
  }
  const timeZone = shop.segmentation.timeZone;
  const { table } = await readShopFeatures(client, shop.shopId, timeZone, { ids: rows.map((r) => r.customerId) });
  const assigners = new Map<number, Assigner>();
  const scratch = emptyCustomerFeatures("", timeZone);
  for (const row of rows) {
    const index = table.indexOf(row.customerId);
    if (index < 0) {
      // Not a live customer any more (deleted or redacted since): nothing to explain its row with.
      out.set(
        row.customerId,
        row.segments.map(() => null),
      );
      continue;
    }
    const asOfMs = Math.max(row.asOf?.getTime() ?? 0, usable.asOf.getTime());
    let assigner = assigners.get(asOfMs);
    if (!assigner) assigners.set(asOfMs, (assigner = createAssigner(usable.cutoffs, shop.segmentation, asOfMs)));
    const assignment = assigner.assign(table.customerInto(index, scratch));
    const reasons = new Map(assignment.memberships.map((m) => [m.key, m.reason]));
    out.set(
      row.customerId,
      row.segments.map((segment) => reasons.get(segment) ?? null),
    );
  }
  return out;
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
): Promise<Array<MembershipRow & { reason: string | null }>> {
  const rows = await membershipRows(db, shopId, customerId);
  if (rows.length === 0) return [];
  const config = await loadShopConfig(db, shopId);
  const byCustomer = new Map<string, SegmentsToExplain & { segments: string[] }>();
  for (const row of rows) {
    const entry = byCustomer.get(row.customerId);
    if (entry) entry.segments.push(row.segment);
    else byCustomer.set(row.customerId, { customerId: row.customerId, segments: [row.segment], asOf: row.asOf });
  }
  const reasons = await withPgClient(async (client) =>
    reasonsWhenRead(client, { shopId, segmentation: config.segmentation }, await loadShopCutoffs(client, shopId), [
      ...byCustomer.values(),
    ]),
  );
  const position = new Map<string, number>();
  return rows.map((row) => {
    const i = position.get(row.customerId) ?? 0;
    position.set(row.customerId, i + 1);
    return { ...row, reason: reasons.get(row.customerId)?.[i] ?? null };
  });
}
