import type { PrismaClient } from "@prisma/client";
import { FAMILIES } from "../segmentation";
import { shopConfigFrom } from "../settings/shop-config";
import { liveCustomerCount } from "../stores/customers.server";
import { segmentedCustomerCount, segmentSizes } from "../stores/memberships.server";
import { orderCounts } from "../stores/orders.server";
import { recentRuns } from "../stores/runs.server";
import { findShop } from "../stores/shops.server";

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
  const shop = await findShop(db, shopDomain);
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
  const [customers, { orders, guestOrders }, membershipCounts, segmented, jobRuns] = await Promise.all([
    liveCustomerCount(db, shop.id),
    orderCounts(db, shop.id),
    segmentSizes(db, shop.id),
    segmentedCustomerCount(db, shop.id),
    recentRuns(db, shop.id, 8),
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
    recentRuns: jobRuns.map((run) => ({
      kind: run.kind,
      status: run.status,
      step: run.step,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error,
    })),
  };
}
