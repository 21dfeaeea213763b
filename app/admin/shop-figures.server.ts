// The shop-wide figures the overview, the segment list and a segment's page
// show: each segment's members, orders and revenue, the shop's totals, the
// RFM grid and the distribution of predicted value (kept with the model by
// the fit, ADR 060: one row read). The others are aggregations over every
// membership (and, for the totals, every order): about 60 ms at
// the Online Retail store, 6-13 s per page view at a million customers and
// 5M orders (docs/performance.md, 2026-12-06 from 08:48). So a shop from
// ADMIN_FIGURES_STORED_FROM members has them computed by the worker and
// stored (after each recompute, and when a page finds them older than
// REFRESH_AFTER_MS): its pages read one row and say how old the figures are;
// a smaller shop's pages aggregate them per view, as exact as the memberships
// (ADR 054).
import type { PrismaClient } from "@prisma/client";
import { runtimeEnv } from "../config/env.server";
import { enqueueFiguresRefresh } from "../queues/insights.server";
import { queues } from "../queues/registry.server";
import { clvHistogram, rfmGrid, segmentTotals, shopTotals } from "../stores/admin-reads.server";
import { dropStoredFigures, readStoredFigures, storeFigures, type ShopFigures } from "../stores/admin-figures.server";
import { countSegmentedCustomers } from "../stores/memberships.server";
import { withPgClient } from "../stores/pg/pool.server";
import { findShop } from "../stores/shops.server";
import { logger } from "../utils/logger.server";

export type { ShopFigures } from "../stores/admin-figures.server";

/** Stored figures older than this are refreshed by the worker when a page shows them. */
export const REFRESH_AFTER_MS = 5 * 60_000;

export interface FiguresView extends ShopFigures {
  /** When the shown figures were computed; null when computed for this view. */
  asOf: Date | null;
}

/** What a page shows: every figure (the overview), or the segment and shop totals (the segment pages). */
export type FiguresNeeded = "all" | "totals";

/** The RFM grid and the predicted-value distribution (the overview's), side by side. */
async function gridAndDistribution(shopId: string): Promise<Pick<ShopFigures, "rfm" | "clv">> {
  const [rfm, clv] = await Promise.all([
    withPgClient((client) => rfmGrid(client, shopId)),
    withPgClient((client) => clvHistogram(client, shopId)),
  ]);
  return { rfm, clv };
}

/**
 * The aggregations, side by side, each on a connection of its own (one client
 * runs its queries in turn); with "totals", the grid and the distribution are
 * left empty.
 */
export async function computeShopFigures(shopId: string, needed: FiguresNeeded = "all"): Promise<ShopFigures> {
  const [segments, shop, rest] = await Promise.all([
    withPgClient((client) => segmentTotals(client, shopId)),
    withPgClient((client) => shopTotals(client, shopId)),
    needed === "all" ? gridAndDistribution(shopId) : { rfm: [], clv: { edges: [], max: 0, counts: [] } },
  ]);
  return { segments, shop, ...rest };
}

/** Asks the worker for a refresh; a queue that cannot be reached costs the page nothing but the refresh. */
async function askRefresh(domain: string): Promise<void> {
  try {
    await enqueueFiguresRefresh(await queues(), { shop: domain });
  } catch (error) {
    logger.warn({ shop: domain, error: (error as Error).message }, "admin figures refresh not enqueued");
  }
}

/**
 * The figures a page shows: the stored ones of a big shop (a refresh asked
 * when they are old or a customer was erased since), otherwise computed now.
 * A shop found big on a view without stored figures (the first view after a
 * shop grew) computes them all and stores them; a smaller shop's view
 * computes what it `needs`.
 */
export async function shopFigures(
  db: PrismaClient,
  shop: { id: string; domain: string },
  needs: FiguresNeeded,
  options: { now?: Date; refresh?: (domain: string) => Promise<void> } = {},
): Promise<FiguresView> {
  const storedFrom = runtimeEnv().ADMIN_FIGURES_STORED_FROM;
  const stored = await readStoredFigures(db, shop.id);
  if (stored && stored.customers >= storedFrom) {
    const age = (options.now ?? new Date()).getTime() - stored.computedAt.getTime();
    if (stored.stale || age > REFRESH_AFTER_MS) await (options.refresh ?? askRefresh)(shop.domain);
    return { ...stored.figures, asOf: stored.computedAt };
  }
  const startedAt = new Date();
  // The members are counted by the totals: a view that needs only those learns the shop is big from them.
  let figures = await computeShopFigures(shop.id, needs);
  if (figures.shop.customers >= storedFrom) {
    if (needs !== "all") figures = { ...figures, ...(await gridAndDistribution(shop.id)) };
    await storeFigures(db, shop.id, figures, startedAt);
  }
  return { ...figures, asOf: null };
}

/**
 * The worker's refresh (`insights.figures`: after each recompute's chunks,
 * and asked by the pages): computes and stores a big shop's figures. A shop below the
 * size computes them per view: its stored row, if any, is dropped.
 */
export async function refreshShopFigures(
  db: PrismaClient,
  domain: string,
): Promise<{ customers: number; stored: boolean } | { skipped: string }> {
  const shop = await findShop(db, domain);
  if (!shop) return { skipped: "shop not installed" };
  const storedFrom = runtimeEnv().ADMIN_FIGURES_STORED_FROM;
  const customers = await countSegmentedCustomers(db, shop.id);
  if (customers < storedFrom) {
    await dropStoredFigures(db, shop.id);
    return { customers, stored: false };
  }
  const startedAt = new Date();
  // One after another on one connection: no page waits for the worker, and at 1M customers the four took as long
  // in a row (11.2-14.6 s) as side by side (13.0-15.4 s, contending for the two cores), leaving a core free.
  const figures = await withPgClient(async (client) => ({
    segments: await segmentTotals(client, shop.id),
    shop: await shopTotals(client, shop.id),
    rfm: await rfmGrid(client, shop.id),
    clv: await clvHistogram(client, shop.id),
  }));
  await storeFigures(db, shop.id, figures, startedAt);
  return { customers: figures.shop.customers, stored: true };
}
