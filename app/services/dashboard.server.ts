import type { PrismaClient } from "@prisma/client";
import { FAMILIES } from "../segmentation";
import { segmentSizes } from "./memberships.server";
import { shopConfigFrom } from "./shop-settings.server";

export interface DashboardSegment {
  key: string;
  title: string;
  description: string;
  tag: string | null;
  customers: number;
}

export interface DashboardData {
  shop: string;
  installed: boolean;
  installedAt: string | null;
  totals: { customers: number; orders: number; guestOrders: number; segmented: number };
  sync: { backfillCompletedAt: string | null; lastReconciledAt: string | null; lastRepairs: number | null };
  families: Array<{ family: string; segments: DashboardSegment[] }>;
  recentRuns: Array<{
    kind: string;
    status: string;
    step: string | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  }>;
}

/** What the dashboard shows for one shop; every query scoped by the shop. */
export async function loadDashboard(db: PrismaClient, shopDomain: string): Promise<DashboardData> {
  const shop = await db.shop.findUnique({
    where: { domain: shopDomain },
    include: { jobRuns: { orderBy: { startedAt: "desc" }, take: 8 } },
  });
  const empty: DashboardData = {
    shop: shopDomain,
    installed: false,
    installedAt: null,
    totals: { customers: 0, orders: 0, guestOrders: 0, segmented: 0 },
    sync: { backfillCompletedAt: null, lastReconciledAt: null, lastRepairs: null },
    families: [],
    recentRuns: [],
  };
  if (!shop) return empty;
  const [customers, orders, guestOrders, membershipCounts, segmented] = await Promise.all([
    db.customer.count({ where: { shopId: shop.id, deletedAt: null } }),
    db.order.count({ where: { shopId: shop.id } }),
    db.order.count({ where: { shopId: shop.id, customerId: null } }),
    segmentSizes(db, shop.id),
    db.segmentMembership.count({ where: { shopId: shop.id, NOT: { segments: { isEmpty: true } } } }),
  ]);
  const counts = membershipCounts;
  let catalog: Array<{ key: string; family: string; title: string; description: string }> = [];
  let tags = new Map<string, string>();
  try {
    const config = shopConfigFrom(shop);
    catalog = config.catalog;
    tags = config.enabledTags;
  } catch {
    // Invalid stored settings are reported on the settings page; show raw keys here.
    catalog = [...counts.keys()].map((key) => ({ key, family: key.split("/")[0], title: key, description: "" }));
  }
  const state = (shop.syncState ?? {}) as {
    backfillCompletedAt?: string;
    lastReconciledAt?: string;
    lastReconcile?: { repaired?: number };
  };
  return {
    shop: shopDomain,
    installed: shop.status === "installed",
    installedAt: shop.installedAt?.toISOString() ?? null,
    totals: { customers, orders, guestOrders, segmented },
    sync: {
      backfillCompletedAt: state.backfillCompletedAt ?? null,
      lastReconciledAt: state.lastReconciledAt ?? null,
      lastRepairs: state.lastReconcile?.repaired ?? null,
    },
    families: FAMILIES.map((family) => ({
      family,
      segments: catalog
        .filter((entry) => entry.family === family)
        .map((entry) => ({
          key: entry.key,
          title: entry.title,
          description: entry.description,
          tag: tags.get(entry.key) ?? null,
          customers: counts.get(entry.key) ?? 0,
        })),
    })).filter((group) => group.segments.length > 0),
    recentRuns: shop.jobRuns.map((run) => ({
      kind: run.kind,
      status: run.status,
      step: run.step,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error,
    })),
  };
}
