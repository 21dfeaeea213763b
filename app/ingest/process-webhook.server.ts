// Applies one webhook job (the webhook-events queue): orders and refunds are
// stored and their customers re-segmented; customer events update the
// customer; privacy topics go to app/privacy; app/uninstalled to ./install.
import type { PipelineContext } from "../pipeline";
import { recordDataRequest, deleteCustomer, redactCustomer, redactShop } from "../privacy/privacy.server";
import { enqueueCustomerResegments } from "../queues/segments.server";
import { shopTagPrefix } from "../settings/settings.server";
import { upsertCustomers } from "../stores/customers.server";
import { findOrder, isConflictingTie, upsertOrders } from "../stores/orders.server";
import { markWebhookProcessed, recordWebhookEvent } from "../stores/runs.server";
import { findShop, updateShopFacts, updateShopScopes } from "../stores/shops.server";
import type { OrderRecord } from "./order-record";
import { fetchOrder } from "./reconcile.server";
import { deserializeOrder, type WebhookJobData } from "./webhook-payloads";
import { uninstallShop } from "./install.server";

export type WebhookOutcome =
  | { status: "stored"; changed: number }
  | { status: "skipped"; reason: string }
  | { status: "redacted" | "recorded" | "uninstalled" };

export interface WebhookJobInput {
  shop: string;
  eventId: string;
  topic?: string;
  webhookId?: string;
  data: WebhookJobData;
}

/** The queue job carrying the delivery (privacy erasure leaves it for its own clean-up). */
export interface WebhookJobMeta {
  jobId?: string;
}

type Shop = { id: string; domain: string };

/** Stores an order (or the order a refund changed) and re-segments the customers it touches. */
async function storeOrder(ctx: PipelineContext, shop: Shop, data: WebhookJobData): Promise<WebhookOutcome> {
  const order =
    data.kind === "order"
      ? deserializeOrder(data.order)
      : data.kind === "refund"
        ? await fetchOrder(await ctx.adminApi(shop.domain), data.orderId)
        : null;
  if (!order) return { status: "skipped", reason: "order no longer exists" };
  const previous = await findOrder(ctx.db, shop.id, order.id);
  let changed = await upsertOrders(ctx.db, shop.id, [order]);
  if (changed.length === 0 && data.kind === "order" && (await isConflictingTie(ctx.db, shop.id, order))) {
    // Two different states with the same updated_at (one-second precision)
    // cannot be ordered from payloads: ask Shopify.
    const current: OrderRecord | null = await fetchOrder(await ctx.adminApi(shop.domain), order.id);
    if (current) changed = await upsertOrders(ctx.db, shop.id, [current], { replaceOnTie: true });
  }
  if (changed.length > 0) {
    const customers = new Set<string>();
    if (order.customerId) customers.add(order.customerId);
    if (previous?.customerId) customers.add(String(previous.customerId));
    if (order.customerId) {
      await upsertCustomers(ctx.db, shop.id, await shopTagPrefix(ctx.db, shop.id), [
        { id: order.customerId, shopifyCreatedAt: null, shopifyUpdatedAt: null, emailMarketing: null },
      ]);
    }
    await enqueueCustomerResegments(ctx.queues, shop.domain, [...customers]);
  }
  return { status: "stored", changed: changed.length };
}

async function applyToShop(
  ctx: PipelineContext,
  shop: Shop,
  data: WebhookJobData,
  meta: WebhookJobMeta,
): Promise<WebhookOutcome> {
  const privacy = { db: ctx.db, queues: ctx.queues, currentJobId: meta.jobId };
  switch (data.kind) {
    case "order":
    case "refund":
      return storeOrder(ctx, shop, data);
    case "customer": {
      const { customer } = data;
      await upsertCustomers(ctx.db, shop.id, await shopTagPrefix(ctx.db, shop.id), [
        {
          id: customer.id,
          shopifyCreatedAt: customer.createdAt ? new Date(customer.createdAt) : null,
          shopifyUpdatedAt: customer.updatedAt ? new Date(customer.updatedAt) : null,
          emailMarketing: customer.emailMarketing,
        },
      ]);
      return { status: "stored", changed: 1 };
    }
    case "customer-delete":
      await deleteCustomer(privacy, shop, data.customerId);
      return { status: "stored", changed: 1 };
    case "customer-redact":
      await redactCustomer(privacy, shop, data.customerId, data.orderIds);
      return { status: "redacted" };
    case "data-request":
      await recordDataRequest(ctx.db, shop, data.customerId);
      return { status: "recorded" };
    case "uninstalled":
      await uninstallShop(ctx, shop.domain);
      return { status: "uninstalled" };
    case "scopes":
      await updateShopScopes(ctx.db, shop.domain, data.scopes);
      return { status: "stored", changed: 1 };
    case "shop-facts":
      return {
        status: "stored",
        changed: await updateShopFacts(ctx.db, shop.domain, {
          timezone: data.timezone ?? undefined,
          currency: data.currency ?? undefined,
        }),
      };
    case "shop-redact":
      throw new Error("shop/redact is applied without a shop row");
  }
}

/**
 * Applies one webhook job. Idempotent: order writes ignore payloads that are
 * not newer than what is stored, deletions of what is gone are no-ops, and an
 * event already processed (a redelivery after its job was removed) is skipped.
 */
export async function processWebhook(
  ctx: PipelineContext,
  job: WebhookJobInput,
  meta: WebhookJobMeta = {},
): Promise<WebhookOutcome> {
  const { data } = job;
  const event = {
    shop: job.shop,
    eventId: job.eventId,
    topic: job.topic ?? data.kind,
    webhookId: job.webhookId ?? null,
  };
  if (data.kind === "shop-redact") {
    // Everything of the shop goes, the record of this event included.
    await redactShop({ db: ctx.db, queues: ctx.queues, currentJobId: meta.jobId }, job.shop);
    return { status: "redacted" };
  }
  if ((await recordWebhookEvent(ctx.db, event)).alreadyProcessed)
    return { status: "skipped", reason: "duplicate event" };
  const shop = await findShop(ctx.db, job.shop);
  const outcome = shop
    ? await applyToShop(ctx, shop, data, meta)
    : { status: "skipped" as const, reason: "unknown shop" };
  await markWebhookProcessed(ctx.db, job.shop, job.eventId);
  return outcome;
}
