// AdminFigures: a big shop's shop-wide admin figures (per segment members,
// orders and revenue; the shop's totals; the RFM grid; the predicted-value
// distribution), one row per shop written whole by the worker and read by the
// admin pages (ADR 054). Aggregates only: no customer is named in them.
import type { PrismaClient } from "@prisma/client";
import type { SegmentTotals } from "./admin-reads.server";
import type { DataStore, Tx } from "./data-store";

type Db = PrismaClient | Tx;

export interface ShopFigures {
  segments: SegmentTotals[];
  /** Live orders (guests included), their revenue, and the customers with a membership row. */
  shop: { revenueMinor: number; orders: number; customers: number };
  /** Customers per (R, FM) cell of the RFM grid. */
  rfm: Array<{ r: number; fm: number; n: number }>;
  /**
   * Predicted 12-month values per range (clvHistogram); `edges` is absent in
   * figures stored before 2026-12-07, whose ranges are equal from 0 to `max`.
   */
  clv: { edges?: number[]; max: number; counts: number[] };
}

export interface StoredFigures {
  figures: ShopFigures;
  /** When the aggregation that gave them began. */
  computedAt: Date;
  /** Members counted (figures.shop.customers). */
  customers: number;
  /** A customer's data was erased since: refresh at the next view. */
  stale: boolean;
}

export async function readStoredFigures(db: Db, shopId: string): Promise<StoredFigures | null> {
  const row = await db.adminFigures.findUnique({ where: { shopId } });
  if (!row) return null;
  return {
    figures: row.figures as unknown as ShopFigures,
    computedAt: row.computedAt,
    customers: row.customers,
    stale: row.stale,
  };
}

/**
 * Stores a shop's figures computed from `computedAt` on, unless figures that
 * began later are stored already (two refreshes that overlapped: the later
 * aggregation saw newer data, whichever finished last).
 */
export async function storeFigures(db: Db, shopId: string, figures: ShopFigures, computedAt: Date): Promise<void> {
  const json = JSON.stringify(figures);
  await db.$executeRaw`
    INSERT INTO "AdminFigures" ("shopId", "computedAt", customers, figures, stale)
    VALUES (${shopId}, ${computedAt}, ${figures.shop.customers}, ${json}::jsonb, false)
    ON CONFLICT ("shopId") DO UPDATE SET "computedAt" = EXCLUDED."computedAt", customers = EXCLUDED.customers,
      figures = EXCLUDED.figures, stale = false
    WHERE "AdminFigures"."computedAt" <= EXCLUDED."computedAt"`;
}

/** Drops a shop's stored figures (a shop below the size that stores them computes them per view). */
export async function dropStoredFigures(db: Db, shopId: string): Promise<void> {
  await db.adminFigures.deleteMany({ where: { shopId } });
}

export const adminFiguresStore: DataStore = {
  name: "admin figures",
  tables: ["AdminFigures"],
  // Counts and sums only, but they included the customer: the next view asks
  // for a refresh, and meanwhile shows them with their time.
  async eraseCustomer(tx, customer) {
    await tx.adminFigures.updateMany({ where: { shopId: customer.shop.id }, data: { stale: true } });
  },
  async eraseShop(tx, shop) {
    if (shop.id) await tx.adminFigures.deleteMany({ where: { shopId: shop.id } });
  },
};
