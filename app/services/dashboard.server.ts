import type { PrismaClient } from "@prisma/client";

export interface DashboardData {
  shop: string;
  installed: boolean;
  installedAt: string | null;
  recentRuns: Array<{
    kind: string;
    status: string;
    step: string | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  }>;
}

/** What the dashboard shows for one shop; everything scoped by the shop's domain. */
export async function loadDashboard(db: PrismaClient, shopDomain: string): Promise<DashboardData> {
  const shop = await db.shop.findUnique({
    where: { domain: shopDomain },
    include: { jobRuns: { orderBy: { startedAt: "desc" }, take: 10 } },
  });
  return {
    shop: shopDomain,
    installed: shop?.status === "installed",
    installedAt: shop?.installedAt?.toISOString() ?? null,
    recentRuns: (shop?.jobRuns ?? []).map((run) => ({
      kind: run.kind,
      status: run.status,
      step: run.step,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.error,
    })),
  };
}
