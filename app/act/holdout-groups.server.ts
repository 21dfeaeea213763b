// Hold-out groups: for every running segment discount, which customers of
// its segments the Function treats and which it holds out. The Function
// decides by hashing the customer's id with the discount's hold-out key (the
// app's id of the discount, written in its configuration metafield); the app
// runs the very same module (extensions/segment-discount/src/holdout.ts) over
// the stored memberships, so the groups recorded here are the groups the
// Function makes. Nothing per customer needs to be written to Shopify.
import type { ShopConfig } from "../settings/shop-config";
import {
  applyDiscountGroupChanges,
  openDiscountGroups,
  streamSegmentMembers,
  type DiscountGroup,
  type GroupAssignment,
  type GroupChanges,
  type SegmentDiscountRecord,
} from "../stores/discounts.server";
import type { PgClient } from "../stores/pg/pool.server";
import { segmentAvailability } from "./discount-configuration";
import { isHeldOut } from "./segment-discount-function";

/** The group the Function puts a customer in for a discount. */
function discountGroupOf(
  customerId: string,
  discount: Pick<SegmentDiscountRecord, "id" | "holdoutPercentage">,
): DiscountGroup {
  return isHeldOut(customerId, discount.id, discount.holdoutPercentage) ? "holdout" : "treated";
}

/** Whether the discount can apply now: not paused or deleted, and within its dates. */
function isRunning(discount: Pick<SegmentDiscountRecord, "status" | "startsAt" | "endsAt">, now: Date): boolean {
  return (
    discount.status === "active" && discount.startsAt <= now && (discount.endsAt === null || discount.endsAt > now)
  );
}

/**
 * Records the groups of `discounts` as of `at`: running discounts get their
 * segments' current members (enabled segments only, as the Function sees
 * them through tags and metafields), split by the hold-out hash; the others
 * (paused, scheduled, ended) have their open rows closed. Only differences
 * with the open rows are written: on unchanged memberships nothing is.
 */
export async function recordDiscountGroups(
  client: PgClient,
  config: Pick<ShopConfig, "shopId" | "enabledTags">,
  discounts: readonly SegmentDiscountRecord[],
  at: Date,
): Promise<GroupChanges & { assignments: number }> {
  const running = discounts
    .filter((d) => isRunning(d, at))
    .map((discount) => ({ discount, keys: new Set(segmentAvailability(discount.segments, config).available) }))
    .filter((r) => r.keys.size > 0);
  // The current split, per discount: customer id -> group.
  const current = new Map<string, Map<string, DiscountGroup>>(running.map((r) => [r.discount.id, new Map()]));
  const allKeys = [...new Set(running.flatMap((r) => [...r.keys]))];
  await streamSegmentMembers(client, config.shopId, allKeys, (customerId, segments) => {
    for (const { discount, keys } of running) {
      if (!segments.some((segment) => keys.has(segment))) continue;
      current.get(discount.id)!.set(customerId, discountGroupOf(customerId, discount));
    }
  });
  const close: string[] = [];
  const open: GroupAssignment[] = [];
  let assignments = 0;
  // One discount at a time: its open rows are the only ones held in memory.
  for (const discount of discounts) {
    const now = current.get(discount.id) ?? new Map<string, DiscountGroup>();
    assignments += now.size;
    const stored = await openDiscountGroups(client, config.shopId, discount.id);
    for (const [customerId, group] of now) {
      const row = stored.get(customerId);
      if (row?.group === group) continue;
      if (row) close.push(row.rowId);
      open.push({ discountId: discount.id, customerId, group });
    }
    for (const [customerId, row] of stored) if (!now.has(customerId)) close.push(row.rowId);
  }
  const changes = await applyDiscountGroupChanges(client, config.shopId, { close, open }, at);
  return { ...changes, assignments };
}
