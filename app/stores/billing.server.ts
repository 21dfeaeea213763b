// Billing (app/billing, ADR 037): the shop's app subscriptions as Shopify
// last reported them (AppSubscription) and, per shop, the count of segmented
// customers its plan is measured against and whether write-back and
// discounts are stopped for a lapsed plan (ShopBilling). shop/redact erases
// both; uninstalling cancels the subscriptions, as Shopify does.
import type { PrismaClient } from "@prisma/client";
import { FINAL_STATUSES, type SubscriptionFact, type SubscriptionStatus } from "../billing/entitlement";
import type { DataStore, Tx } from "./data-store";

type Db = PrismaClient | Tx;

export interface SubscriptionReport {
  /** gid://shopify/AppSubscription/<id> */
  id: string;
  name: string;
  status: SubscriptionStatus;
  /** A test charge (unknown to the webhook: then kept as first stored). */
  test?: boolean;
  /** When Shopify changed it (the webhook's updated_at), or when the app read it. Compared to the second. */
  reportedAt: Date;
}

/**
 * Stores what Shopify reported of a subscription. A final status
 * (CANCELLED, DECLINED, EXPIRED) is never changed again, and a report older
 * than the stored one (to the second: webhook times have no milliseconds) is
 * ignored, so deliveries in any order end in the same row. Returns whether
 * the row was written. Each step is one conditional statement, so concurrent
 * reports cannot interleave within a step.
 */
export async function recordSubscription(db: Db, shopId: string, report: SubscriptionReport): Promise<boolean> {
  const reportedAt = new Date(Math.floor(report.reportedAt.getTime() / 1000) * 1000);
  const activatedAt = report.status === "ACTIVE" ? reportedAt : null;
  const { count: inserted } = await db.appSubscription.createMany({
    data: [
      {
        id: report.id,
        shopId,
        name: report.name,
        status: report.status,
        test: report.test ?? false,
        activatedAt,
        reportedAt,
      },
    ],
    skipDuplicates: true,
  });
  if (inserted > 0) return true;
  const { count } = await db.appSubscription.updateMany({
    where: { id: report.id, shopId, status: { notIn: [...FINAL_STATUSES] }, reportedAt: { lte: reportedAt } },
    data: { name: report.name, status: report.status, reportedAt },
  });
  if (count > 0 && activatedAt) {
    await db.appSubscription.updateMany({ where: { id: report.id, activatedAt: null }, data: { activatedAt } });
  }
  return count > 0;
}

function factOf(row: {
  id: string;
  name: string;
  status: string;
  activatedAt: Date | null;
  reportedAt: Date;
}): SubscriptionFact {
  return {
    id: row.id,
    name: row.name,
    status: row.status as SubscriptionStatus,
    activatedAt: row.activatedAt,
    reportedAt: row.reportedAt,
  };
}

/** Every subscription of the shop, newest report first (reports in the same second: the newest subscription first). */
export async function listSubscriptions(db: Db, shopId: string): Promise<SubscriptionFact[]> {
  const rows = await db.appSubscription.findMany({
    where: { shopId },
    orderBy: [{ reportedAt: "desc" }, { createdAt: "desc" }],
  });
  return rows.map(factOf);
}

/** Uninstall: Shopify cancels the app's subscriptions without a webhook; so does the record. */
export async function cancelShopSubscriptions(db: Db, shopId: string, at: Date): Promise<number> {
  const { count } = await db.appSubscription.updateMany({
    where: { shopId, status: { notIn: [...FINAL_STATUSES] } },
    data: { status: "CANCELLED", reportedAt: at },
  });
  return count;
}

export interface ShopBillingState {
  segmentedCustomers: number;
  countedAt: Date | null;
  lapsedAt: Date | null;
  lapseReason: string | null;
}

export async function readShopBilling(db: Db, shopId: string): Promise<ShopBillingState> {
  const row = await db.shopBilling.findUnique({ where: { shopId } });
  return {
    segmentedCustomers: row?.segmentedCustomers ?? 0,
    countedAt: row?.countedAt ?? null,
    lapsedAt: row?.lapsedAt ?? null,
    lapseReason: row?.lapseReason ?? null,
  };
}

export async function recordSegmentedCount(db: Db, shopId: string, customers: number, at: Date): Promise<void> {
  await db.shopBilling.upsert({
    where: { shopId },
    create: { shopId, segmentedCustomers: customers, countedAt: at },
    update: { segmentedCustomers: customers, countedAt: at },
  });
}

/** Marks write-back and discounts stopped; true only for the call that stopped them. */
export async function markLapsed(db: Db, shopId: string, reason: string, at: Date): Promise<boolean> {
  await db.shopBilling.upsert({ where: { shopId }, create: { shopId }, update: {} });
  const { count } = await db.shopBilling.updateMany({
    where: { shopId, lapsedAt: null },
    data: { lapsedAt: at, lapseReason: reason },
  });
  return count > 0;
}

/** Marks them running again; true only for the call that resumed them. */
export async function markResumed(db: Db, shopId: string): Promise<boolean> {
  const { count } = await db.shopBilling.updateMany({
    where: { shopId, lapsedAt: { not: null } },
    data: { lapsedAt: null, lapseReason: null },
  });
  return count > 0;
}

export const billingStore: DataStore = {
  name: "billing",
  tables: ["AppSubscription", "ShopBilling"],
  async eraseCustomer() {
    // Subscriptions and counts hold no customer data.
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    await tx.appSubscription.deleteMany({ where: { shopId: shop.id } });
    await tx.shopBilling.deleteMany({ where: { shopId: shop.id } });
  },
};
