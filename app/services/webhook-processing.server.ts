import type { PrismaClient } from "@prisma/client";
import type { AdminApi } from "../shopify/admin-api.server";
import { deserializeOrder, type WebhookJobData } from "../webhooks/job-data";
import type { OrderRecord } from "../sync/order-record";
import { upsertOrders } from "./order-store.server";
import { upsertCustomers } from "./customer-store.server";
import { fetchOrder } from "./reconcile.server";
import { recordDataRequest, redactCustomer, redactShop } from "./privacy.server";
import { shopTagPrefix } from "./shop-settings.server";
import { findShop } from "./shops.server";

export interface WebhookEffects {
  /** Admin API for the shop (only refunds need it). */
  adminApi(shop: string): Promise<AdminApi>;
  /** Customers whose orders changed: re-segment them (debounced per customer). */
  customersChanged(shop: string, customerIds: string[]): Promise<void>;
  /** The app was uninstalled: stop the shop's scheduled jobs. */
  shopUninstalled(shop: string): Promise<void>;
}

/** The stored order has the payload's updated_at but different content. */
async function isConflictingTie(db: PrismaClient, shopId: string, order: OrderRecord): Promise<boolean> {
  const stored = await db.order.findUnique({ where: { shopId_id: { shopId, id: BigInt(order.id) } } });
  if (!stored || stored.shopifyUpdatedAt.getTime() !== order.shopifyUpdatedAt.getTime()) return false;
  return (
    stored.totalMinor !== order.totalMinor ||
    stored.refundedMinor !== order.refundedMinor ||
    (stored.cancelledAt === null) !== (order.cancelledAt === null) ||
    stored.itemQuantity !== order.itemQuantity ||
    String(stored.customerId ?? "") !== String(order.customerId ?? "")
  );
}

export type WebhookOutcome =
  | { status: "stored"; changed: number }
  | { status: "skipped"; reason: string }
  | { status: "redacted" | "recorded" | "uninstalled" };

/**
 * Applies one webhook job. Idempotent: order writes ignore payloads that are
 * not newer than what is stored, and deletions of what is gone are no-ops.
 */
export async function processWebhook(
  db: PrismaClient,
  effects: WebhookEffects,
  job: { shop: string; eventId: string; topic?: string; webhookId?: string; data: WebhookJobData },
): Promise<WebhookOutcome> {
  const { data } = job;
  // Durable deduplication on X-Shopify-Event-Id: an event already processed
  // (a redelivery after its job was removed) is skipped; a retry of a job that
  // failed midway goes on.
  await db.$executeRaw`
    INSERT INTO "WebhookEvent" ("shopDomain", "eventId", "topic", "webhookId", "receivedAt", "status")
    VALUES (${job.shop}, ${job.eventId}, ${job.topic ?? data.kind}, ${job.webhookId ?? null}, now(), 'queued')
    ON CONFLICT DO NOTHING`;
  const seen = await db.webhookEvent.findUnique({
    where: { shopDomain_eventId: { shopDomain: job.shop, eventId: job.eventId } },
    select: { status: true },
  });
  if (seen?.status === "processed") return { status: "skipped", reason: "duplicate event" };
  if (data.kind === "shop-redact") {
    await redactShop(db, job.shop);
    return { status: "redacted" };
  }
  const shop = await findShop(db, job.shop);
  const outcome = await (async (): Promise<WebhookOutcome> => {
    if (!shop) return { status: "skipped", reason: "unknown shop" };
    switch (data.kind) {
      case "order":
      case "refund": {
        const order =
          data.kind === "order"
            ? deserializeOrder(data.order)
            : await fetchOrder(await effects.adminApi(job.shop), data.orderId);
        if (!order) return { status: "skipped", reason: "order no longer exists" };
        const previous = await db.order.findUnique({
          where: { shopId_id: { shopId: shop.id, id: BigInt(order.id) } },
          select: { customerId: true },
        });
        let changed = await upsertOrders(db, shop.id, [order]);
        if (changed.length === 0 && data.kind === "order" && (await isConflictingTie(db, shop.id, order))) {
          // Two different states with the same updated_at (one-second
          // precision) cannot be ordered from payloads: ask Shopify.
          const current = await fetchOrder(await effects.adminApi(job.shop), order.id);
          if (current) changed = await upsertOrders(db, shop.id, [current], { replaceOnTie: true });
        }
        if (changed.length > 0) {
          const customers = new Set<string>();
          if (order.customerId) customers.add(order.customerId);
          if (previous?.customerId) customers.add(String(previous.customerId));
          if (order.customerId) {
            await upsertCustomers(db, shop.id, await shopTagPrefix(db, shop.id), [
              { id: order.customerId, shopifyCreatedAt: null, shopifyUpdatedAt: null, emailMarketing: null },
            ]);
          }
          if (customers.size) await effects.customersChanged(job.shop, [...customers]);
        }
        return { status: "stored", changed: changed.length };
      }
      case "customer": {
        const { customer } = data;
        await upsertCustomers(db, shop.id, await shopTagPrefix(db, shop.id), [
          {
            id: customer.id,
            shopifyCreatedAt: customer.createdAt ? new Date(customer.createdAt) : null,
            shopifyUpdatedAt: customer.updatedAt ? new Date(customer.updatedAt) : null,
            emailMarketing: customer.emailMarketing,
          },
        ]);
        return { status: "stored", changed: 1 };
      }
      case "customer-delete": {
        const id = BigInt(data.customerId);
        await db.$transaction([
          db.segmentMembership.deleteMany({ where: { shopId: shop.id, customerId: id } }),
          db.customerFeatures.deleteMany({ where: { shopId: shop.id, customerId: id } }),
          db.customer.updateMany({ where: { shopId: shop.id, id }, data: { deletedAt: new Date(), appTags: [] } }),
        ]);
        return { status: "stored", changed: 1 };
      }
      case "customer-redact":
        await redactCustomer(db, shop, data.customerId, data.orderIds);
        return { status: "redacted" };
      case "data-request":
        await recordDataRequest(db, shop, data.customerId);
        return { status: "recorded" };
      case "uninstalled":
        await db.session.deleteMany({ where: { shop: job.shop } });
        await db.shop.update({ where: { id: shop.id }, data: { status: "uninstalled", uninstalledAt: new Date() } });
        await effects.shopUninstalled(job.shop);
        return { status: "uninstalled" };
    }
  })();
  await db.webhookEvent.updateMany({
    where: { shopDomain: job.shop, eventId: job.eventId },
    data: { status: "processed" },
  });
  return outcome;
}
