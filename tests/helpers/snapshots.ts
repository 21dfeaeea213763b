import type { Prisma } from "@prisma/client";

/**
 * One SegmentSnapshot row for `day` (YYYY-MM-DD, the shop's local day): the
 * day starts at its UTC midnight and ends as of 23:59:59; every count is 0
 * unless `values` says otherwise.
 */
export function snapshotRow(
  shopId: string,
  day: string,
  segment: string,
  values: Partial<
    Pick<
      Prisma.SegmentSnapshotCreateManyInput,
      "size" | "entries" | "exits" | "orders" | "revenueMinor" | "buyers" | "repeatMembers"
    >
  > = {},
): Prisma.SegmentSnapshotCreateManyInput & { day: Date; dayStartAt: Date; asOf: Date } {
  return {
    shopId,
    day: new Date(`${day}T00:00:00Z`),
    segment,
    dayStartAt: new Date(`${day}T00:00:00Z`),
    asOf: new Date(`${day}T23:59:59Z`),
    size: 0,
    entries: 0,
    exits: 0,
    orders: 0,
    revenueMinor: 0n,
    buyers: 0,
    repeatMembers: 0,
    ...values,
  };
}
