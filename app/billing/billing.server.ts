// Billing's service (ADR 037): what a shop's plan lets it do, from what the
// billing store holds, and the stop and resume of the background stages when
// that changes. Subscriptions are recorded from app_subscriptions/update,
// from the billing callback and from the plan page; write-back and the act
// step ask `backgroundGate` before they touch Shopify.
import type { PrismaClient } from "@prisma/client";
import { enqueueShopAct } from "../queues/act.server";
import type { QueueRegistry } from "../queues/registry.server";
import { enqueueShopWriteback } from "../queues/writeback.server";
import {
  listSubscriptions,
  markLapsed,
  markResumed,
  readShopBilling,
  recordSegmentedCount,
  recordSubscription,
  type SubscriptionReport,
} from "../stores/billing.server";
import { countSegmentedCustomers } from "../stores/memberships.server";
import { findShop, findShopById } from "../stores/shops.server";
import { logger } from "../utils/logger.server";
import { entitlement, type BackgroundWork, type Entitlement } from "./entitlement";

interface Deps {
  db: PrismaClient;
  queues: QueueRegistry;
}

type ShopRow = { id: string; domain: string; installedAt: Date | null };

/** The shop's entitlement from the stored count and subscriptions. */
export async function loadEntitlement(db: PrismaClient, shop: ShopRow, now = new Date()): Promise<Entitlement> {
  const [state, subscriptions] = await Promise.all([readShopBilling(db, shop.id), listSubscriptions(db, shop.id)]);
  return entitlement({ customers: state.segmentedCustomers, subscriptions, installedAt: shop.installedAt, now });
}

/** By domain, for the pages; null for a shop the app has no row for (nothing segmented yet: free). */
export async function entitlementOf(db: PrismaClient, domain: string): Promise<Entitlement | null> {
  const shop = await findShop(db, domain);
  return shop ? loadEntitlement(db, shop) : null;
}

export type GateChange = "lapsed" | "resumed" | null;

/**
 * Whether write-back and discounts may run for the shop now, and whether
 * this call changed that (stopped or resumed them; only one caller sees each
 * change). `recount` counts the segmented customers first (the shop's
 * write-back, after each full recompute).
 */
export async function backgroundGate(
  db: PrismaClient,
  shopId: string,
  options: { recount?: boolean; now?: Date } = {},
): Promise<BackgroundWork & { change: GateChange }> {
  const now = options.now ?? new Date();
  const shop = await findShopById(db, shopId);
  if (!shop) return { runs: false, reason: "unknown shop", change: null };
  if (options.recount) await recordSegmentedCount(db, shop.id, await countSegmentedCustomers(db, shop.id), now);
  const [state, subscriptions] = await Promise.all([readShopBilling(db, shop.id), listSubscriptions(db, shop.id)]);
  const { background } = entitlement({
    customers: state.segmentedCustomers,
    subscriptions,
    installedAt: shop.installedAt,
    now,
  });
  // Written only on a change (the per-customer write-back asks for every order): one caller wins each.
  if (background.runs) {
    const resumed = state.lapsedAt !== null && (await markResumed(db, shop.id));
    if (resumed) logger.info({ shop: shop.domain }, "billing: plan active again, write-back and discounts resume");
    return { ...background, change: resumed ? "resumed" : null };
  }
  const lapsed = state.lapsedAt === null && (await markLapsed(db, shop.id, background.reason, now));
  if (lapsed) logger.warn({ shop: shop.domain, reason: background.reason }, "billing: write-back and discounts stop");
  return { ...background, change: lapsed ? "lapsed" : null };
}

/**
 * Enqueues what a change needs: on a lapse, the act step (it pauses the
 * segment discounts); on a resume, the shop's write-back (everything that
 * differs is sent, then its act step resumes the discounts).
 */
export async function followGateChange(queues: QueueRegistry, domain: string, change: GateChange): Promise<void> {
  if (change === "lapsed") await enqueueShopAct(queues, { shop: domain });
  if (change === "resumed") await enqueueShopWriteback(queues, { shop: domain });
}

/**
 * Records a report of one subscription (webhook, billing callback, plan
 * page) and applies what it changes. Returns whether the report was newer
 * than what was stored, and the shop's background state after it.
 */
export async function applySubscriptionReport(
  deps: Deps,
  shop: { id: string; domain: string },
  report: SubscriptionReport,
): Promise<{ written: boolean; background: BackgroundWork }> {
  const written = await recordSubscription(deps.db, shop.id, report);
  const gate = await backgroundGate(deps.db, shop.id);
  await followGateChange(deps.queues, shop.domain, gate.change);
  const { change: _change, ...background } = gate;
  return { written, background };
}
