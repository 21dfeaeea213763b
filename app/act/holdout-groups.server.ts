// Hold-out groups: for every running segment discount, which customers of
// its segments the Function treats and which it holds out. The Function
// decides by hashing the customer's id with the discount's hold-out key (the
// app's id of the discount, written in its configuration metafield); the app
// runs the very same module (extensions/segment-discount/src/holdout.ts) over
// the stored memberships, so the groups recorded here are the groups the
// Function makes. Nothing per customer needs to be written to Shopify.
import type { ShopConfig } from "../settings/shop-config";
import {
  replaceDiscountGroups,
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
export function discountGroupOf(
  customerId: string,
  discount: Pick<SegmentDiscountRecord, "id" | "holdoutPercentage">,
): DiscountGroup {
  return isHeldOut(customerId, discount.id, discount.holdoutPercentage) ? "holdout" : "treated";
}

/** Whether the discount can apply now: not paused or deleted, and within its dates. */
export function isRunning(discount: Pick<SegmentDiscountRecord, "status" | "startsAt" | "endsAt">, now: Date): boolean {
  return (
    discount.status === "active" && discount.startsAt <= now && (discount.endsAt === null || discount.endsAt > now)
  );
}

/**
 * Records the groups of `discounts` as of `at`: running discounts get their
 * segments' current members (enabled segments only, as the Function sees
 * them through tags and metafields), split by the hold-out hash; the others
 * (paused, scheduled, ended, deleted) have their open rows closed.
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
  const allKeys = [...new Set(running.flatMap((r) => [...r.keys]))];
  const assignments: GroupAssignment[] = [];
  await streamSegmentMembers(client, config.shopId, allKeys, (customerId, segments) => {
    for (const { discount, keys } of running) {
      if (!segments.some((segment) => keys.has(segment))) continue;
      assignments.push({ discountId: discount.id, customerId, group: discountGroupOf(customerId, discount) });
    }
  });
  const changes = await replaceDiscountGroups(
    client,
    config.shopId,
    discounts.map((d) => d.id),
    assignments,
    at,
  );
  return { ...changes, assignments: assignments.length };
}
