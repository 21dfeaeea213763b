// The admin pages' loaders on the recompute bench's store (1M customers, 5M
// orders, its memberships as bench/recompute.ts leaves them), called directly:
// the overview, the segment list and a segment's page, first with the
// figures aggregated per view (a shop below ADMIN_FIGURES_STORED_FROM), then
// read from the figures the worker stores for a big shop (ADR 054), and the
// worker's refresh itself; then the insights page's default view (the last 28
// days) of two families, after the day's snapshot (taken here when the shop
// has none in that period), with the customers the bench's next-day run moved
// (ADR 055), and the lift of a segment discount over the at-risk segment
// (about 200,000 customers, a tenth held out; created here when absent). Not part of `npm run bench`'s report (no target in
// an issue); run alone after bench/recompute.ts has built its database:
// `npx tsx bench/admin-pages.ts [rounds]`. The members' names are asked of an
// Admin API that fails at once: the page shows them as unavailable, as when
// Shopify does not answer.
import pg from "pg";
import { scriptEnv, setProcessEnv } from "../app/config/env.server";
import { applyMigrations } from "../scripts/migrate";
import { databaseOn } from "../scripts/services";
import { runAlone } from "./run-alone";

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const DOMAIN = "bench.myshopify.com";

interface Timings {
  overviewMs: number[];
  segmentListMs: number[];
  segmentPageMs: number[];
}

export async function benchAdminPages(rounds = 2) {
  const url = databaseOn(SERVER, "segments_bench");
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    const { rows } = await probe.query(
      `SELECT count(*)::int AS n FROM "SegmentMembership" WHERE "shopId" = 'bench-shop'`,
    );
    if (rows[0].n === 0) throw new Error("no memberships");
  } catch (error) {
    throw new Error(
      `bench/admin-pages.ts needs the recompute bench's store: run bench/recompute.ts first (${(error as Error).message})`,
    );
  } finally {
    await probe.end().catch(() => undefined);
  }
  await applyMigrations(url);
  // The app's modules read the environment on first use: set it before they load.
  setProcessEnv({ DATABASE_URL: url, ADMIN_FIGURES_STORED_FROM: String(Number.MAX_SAFE_INTEGER) });
  const { default: prisma } = await import("../app/db.server");
  const { loadOverview } = await import("../app/admin/overview.server");
  const { loadSegmentDetail, loadSegmentList } = await import("../app/admin/segments.server");
  const { refreshShopFigures } = await import("../app/admin/shop-figures.server");
  const { AdminApi } = await import("../app/shopify/admin-api.server");
  const { logger } = await import("../app/utils/logger.server");
  const { closePgPool } = await import("../app/stores/pg/pool.server");
  const { insightsPageParts } = await import("../app/insights/page.server");
  const { takeSnapshot } = await import("../app/insights/snapshots.server");
  const { allDiscountLifts } = await import("../app/insights/discount-lift.server");
  const { insightsSettingsOf } = await import("../app/insights/core");
  const api = new AdminApi({
    shop: DOMAIN,
    accessToken: "unused",
    origin: "http://127.0.0.1:9",
    logger,
    maxServerRetries: 0,
  });
  const ms = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    return Math.round(performance.now() - started);
  };
  async function pages(): Promise<Timings> {
    const out: Timings = { overviewMs: [], segmentListMs: [], segmentPageMs: [] };
    for (let i = 0; i < rounds; i++) {
      out.overviewMs.push(await ms(() => loadOverview(prisma, DOMAIN)));
      out.segmentListMs.push(await ms(() => loadSegmentList(prisma, DOMAIN)));
      out.segmentPageMs.push(
        await ms(() =>
          loadSegmentDetail(
            prisma,
            api,
            DOMAIN,
            { family: "rfm", handle: "champions" },
            { after: null, rfmCell: null },
          ),
        ),
      );
    }
    return out;
  }
  try {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: DOMAIN } });
    await prisma.adminFigures.deleteMany({ where: { shopId: shop.id } });
    const perView = await pages();
    setProcessEnv({ ADMIN_FIGURES_STORED_FROM: undefined });
    const refreshMs = await ms(() => refreshShopFigures(prisma, DOMAIN));
    const stored = await pages();
    const recent = await prisma.segmentSnapshot.count({
      where: { shopId: shop.id, day: { gte: new Date(Date.now() - 27 * 86_400_000) } },
    });
    const snapshotMs = recent ? null : await ms(() => takeSnapshot(prisma, DOMAIN));
    await discountOverAtRisk(url);
    const settings = insightsSettingsOf(shop.settings);
    const liftMs: number[] = [];
    for (let i = 0; i < rounds; i++) liftMs.push(await ms(() => allDiscountLifts(prisma, shop.id, settings)));
    // The page as the route sends it (movement, outcomes, trend), then the model's check that follows it (ADR 055).
    const insightsPageMs: Record<string, number[]> = { rfm: [], loyalty: [] };
    const insightsCheckMs: Record<string, number[]> = { rfm: [], loyalty: [] };
    for (let i = 0; i < rounds; i++) {
      for (const family of Object.keys(insightsPageMs)) {
        const started = performance.now();
        const parts = await insightsPageParts(prisma, DOMAIN, { family });
        insightsPageMs[family].push(Math.round(performance.now() - started));
        if (!parts?.predictions) throw new Error(`the insights page of ${family} has no metrics`);
        await parts.predictions;
        insightsCheckMs[family].push(Math.round(performance.now() - started));
      }
    }
    return {
      customers: (await prisma.adminFigures.findUniqueOrThrow({ where: { shopId: shop.id } })).customers,
      perView,
      refreshMs,
      stored,
      snapshotMs,
      insightsPageMs,
      insightsCheckMs,
      liftMs,
    };
  } finally {
    await prisma.$disconnect();
    await closePgPool();
  }
}

/** A segment discount over the at-risk segment since 2026-04-01 with its groups (a tenth held out), unless there is one. */
async function discountOverAtRisk(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("BEGIN");
    const { rowCount } = await c.query(
      `INSERT INTO "SegmentDiscount" (id, "shopId", method, title, segments, reward, "combinesWith", "holdoutPercentage", "startsAt", "updatedAt")
       VALUES ('bench-lift', 'bench-shop', 'automatic', 'Win back', '{loyalty/at-risk}',
               '{"target":"order","kind":"percentage","value":10}', '{}', 10, '2026-04-01', now())
       ON CONFLICT (id) DO NOTHING`,
    );
    if (rowCount) {
      await c.query(
        `INSERT INTO "DiscountGroupMembership" ("shopId", "discountId", "customerId", "group", since)
         SELECT 'bench-shop', 'bench-lift', m."customerId",
                CASE WHEN hashint8(m."customerId") % 10 = 0 THEN 'holdout' ELSE 'treated' END, '2026-04-01'
         FROM "SegmentMembership" m WHERE m."shopId" = 'bench-shop' AND 'loyalty/at-risk' = ANY(m.segments)`,
      );
    }
    await c.query("COMMIT");
    if (rowCount) await c.query(`ANALYZE "DiscountGroupMembership"`);
  } finally {
    await c.end();
  }
}

runAlone(import.meta.url, ([rounds]) => benchAdminPages(rounds));
