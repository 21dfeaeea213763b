// A segment discount's measured effect: its treated group against its
// hold-out over a period (by default from the discount's start until now),
// orders and revenue with the discount, its cost, the lift with 95 %
// intervals, a verdict and the return on the offer (ADR 031).
import type { PrismaClient } from "@prisma/client";
import { findSegmentDiscount, listSegmentDiscounts, type SegmentDiscountRecord } from "../stores/discounts.server";
import { discountGroupOutcomes, type DiscountGroupOutcomeRow } from "../stores/insights.server";
import { measureLift, type GroupOutcome, type InsightsSettings, type LiftResult, type TreatedOutcome } from "./core";

export interface DiscountLift {
  discount: { id: string; title: string; segments: string[]; status: string; startsAt: string; endsAt: string | null };
  from: string;
  to: string;
  withDiscount: { orders: number; revenueMinor: number; costMinor: number };
  lift: LiftResult;
}

function group(row: DiscountGroupOutcomeRow | undefined): GroupOutcome {
  return {
    members: row?.members ?? 0,
    buyers: row?.buyers ?? 0,
    orders: row?.orders ?? 0,
    revenue: { n: row?.members ?? 0, sum: row?.revenueSum ?? 0, sumOfSquares: row?.revenueSumOfSquares ?? 0 },
  };
}

/** The lift of one discount over [from, to) (instants); `from` defaults to its start, `to` to its end or now. */
async function measureDiscountLift(
  db: PrismaClient,
  shopId: string,
  discount: SegmentDiscountRecord,
  settings: Pick<InsightsSettings, "liftMinGroupSize" | "liftMinBuyers">,
  period: { from?: Date; to?: Date; now?: Date } = {},
): Promise<DiscountLift> {
  const now = period.now ?? new Date();
  const from = period.from ?? discount.startsAt;
  const end = discount.endsAt && discount.endsAt < now ? discount.endsAt : now;
  const to = period.to ?? end;
  const rows = await discountGroupOutcomes(db, {
    shopId,
    discountId: discount.id,
    from,
    to,
    code: discount.method === "code" ? discount.code : null,
  });
  const treatedRow = rows.find((r) => r.group === "treated");
  const treated: TreatedOutcome = {
    ...group(treatedRow),
    discountedOrders: treatedRow?.discountedOrders ?? 0,
    discountedRevenueMinor: treatedRow?.discountedRevenue ?? 0,
    discountCostMinor: treatedRow?.discountCost ?? 0,
  };
  const lift = measureLift(treated, group(rows.find((r) => r.group === "holdout")), {
    minGroupSize: settings.liftMinGroupSize,
    minBuyers: settings.liftMinBuyers,
  });
  return {
    discount: {
      id: discount.id,
      title: discount.title,
      segments: discount.segments,
      status: discount.status,
      startsAt: discount.startsAt.toISOString(),
      endsAt: discount.endsAt?.toISOString() ?? null,
    },
    from: from.toISOString(),
    to: to.toISOString(),
    withDiscount: {
      orders: treated.discountedOrders,
      revenueMinor: treated.discountedRevenueMinor,
      costMinor: treated.discountCostMinor,
    },
    lift,
  };
}

/** The lift of one of the shop's discounts; null for an id that is not the shop's. */
export async function discountLiftFor(
  db: PrismaClient,
  shopId: string,
  discountId: string,
  settings: Pick<InsightsSettings, "liftMinGroupSize" | "liftMinBuyers">,
  options: { now?: Date } = {},
): Promise<DiscountLift | null> {
  const discount = await findSegmentDiscount(db, shopId, discountId);
  return discount ? measureDiscountLift(db, shopId, discount, settings, options) : null;
}

/** Every discount of the shop with its lift since it started. */
export async function allDiscountLifts(
  db: PrismaClient,
  shopId: string,
  settings: Pick<InsightsSettings, "liftMinGroupSize" | "liftMinBuyers">,
  options: { now?: Date } = {},
): Promise<DiscountLift[]> {
  const discounts = await listSegmentDiscounts(db, shopId);
  const out: DiscountLift[] = [];
  for (const d of discounts) out.push(await measureDiscountLift(db, shopId, d, settings, options));
  return out;
}
