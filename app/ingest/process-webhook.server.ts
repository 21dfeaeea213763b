// Applies one webhook job (the webhook-events queue): orders and refunds are
// stored and their customers re-segmented; customer events update the
// customer; privacy topics go to app/privacy; app/uninstalled and shop/update
// to ./install; app_subscriptions/update to app/billing. A refund is applied from its payload; the Admin API is asked
// only to settle what payloads cannot (see storeRefund).
import { applySubscriptionReport } from "../billing/billing.server";
import type { PipelineContext } from "../pipeline";
import { recordDataRequest, deleteCustomer, redactCustomer, redactShop } from "../privacy/privacy.server";
import { enqueueCustomerResegments } from "../queues/segments.server";
import { shopTagPrefix } from "../settings/settings.server";
import { upsertCustomers } from "../stores/customers.server";
import { findOrder, isConflictingTie, updateOrderLocked, upsertOrders } from "../stores/orders.server";
import { markWebhookProcessed, recordWebhookEvent } from "../stores/runs.server";
import { findShop, updateShopScopes } from "../stores/shops.server";
import { applyShopFacts, uninstallShop } from "./install.server";
import type { OrderRecord } from "./order-record";
import { withKnownProductTypes } from "./product-types.server";
import { fetchOrder } from "./reconcile.server";
import { applyRefund, type RefundOutcome, type RefundRecord } from "./refund-record";
import { deserializeOrder, type WebhookJobData } from "./webhook-payloads";

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
  /** X-Shopify-Triggered-At of the delivery (ISO), when the job carries it. */
  triggeredAt?: string;
}

type Shop = { id: string; domain: string };

/** After an order changed: its customer exists, and it and a previous customer are re-segmented. */
async function afterOrderChange(ctx: PipelineContext, shop: Shop, customerId: string | null, previous?: string | null) {
  const customers = new Set<string>();
  if (customerId) customers.add(customerId);
  if (previous) customers.add(previous);
  if (customerId) {
    await upsertCustomers(ctx.db, shop.id, await shopTagPrefix(ctx.db, shop.id), [
      { id: customerId, shopifyCreatedAt: null, shopifyUpdatedAt: null, emailMarketing: null },
    ]);
  }
  await enqueueCustomerResegments(ctx.queues, shop.domain, [...customers]);
}

/** Stores an order state fetched from the Admin API (it settles ties and what payloads cannot). */
async function storeFetchedOrder(ctx: PipelineContext, shop: Shop, orderId: string): Promise<WebhookOutcome> {
  const previous = await findOrder(ctx.db, shop.id, orderId);
  const current: OrderRecord | null = await fetchOrder(await ctx.adminApi(shop.domain), orderId);
  if (!current) return { status: "skipped", reason: "order no longer exists" };
  const changed = await upsertOrders(ctx.db, shop.id, [current], { replaceOnTie: true });
  if (changed.length > 0) {
    await afterOrderChange(ctx, shop, current.customerId, previous?.customerId ? String(previous.customerId) : null);
  }
  return { status: "stored", changed: changed.length };
}

/** Stores an order from its payload and re-segments the customers it touches. */
async function storeOrder(ctx: PipelineContext, shop: Shop, payloadOrder: OrderRecord): Promise<WebhookOutcome> {
  const order = await withKnownProductTypes(ctx, shop, payloadOrder);
  const previous = await findOrder(ctx.db, shop.id, order.id);
  const changed = await upsertOrders(ctx.db, shop.id, [order]);
  if (changed.length === 0 && (await isConflictingTie(ctx.db, shop.id, order))) {
    // Two different states with the same updated_at (one-second precision)
    // cannot be ordered from payloads: ask Shopify.
    return storeFetchedOrder(ctx, shop, order.id);
  }
  if (changed.length > 0) {
    await afterOrderChange(ctx, shop, order.customerId, previous?.customerId ? String(previous.customerId) : null);
  }
  return { status: "stored", changed: changed.length };
}

/**
 * refunds/create: applied to the stored order from the payload alone, once
 * per refund id (a redelivered or late refund changes nothing). Only when the
 * payload cannot settle it (the order is not stored yet, or was stored before
 * line items were kept, a line the app does not know, amounts in no usable
 * currency) is the order fetched from the Admin API.
 */
async function storeRefund(ctx: PipelineContext, shop: Shop, refund: RefundRecord): Promise<WebhookOutcome> {
  const { outcome, customerId } = await updateOrderLocked(ctx.db, shop.id, refund.orderId, (current) => {
    const outcome: RefundOutcome = current
      ? applyRefund(current, refund)
      : { kind: "conflict", reason: "the order is not stored with its line items" };
    return {
      write: outcome.kind === "applied" ? outcome.order : null,
      result: { outcome, customerId: current?.customerId ?? null },
    };
  });
  if (outcome.kind === "already applied") return { status: "skipped", reason: "refund already applied" };
  if (outcome.kind === "conflict") return storeFetchedOrder(ctx, shop, refund.orderId);
  await afterOrderChange(ctx, shop, customerId);
  return { status: "stored", changed: 1 };
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
      return storeOrder(ctx, shop, deserializeOrder(data.order));
    case "refund":
      // A job queued before refunds were applied from their payload carries only the order id.
      return "refund" in data
        ? storeRefund(ctx, shop, data.refund)
        : storeFetchedOrder(ctx, shop, (data as { orderId: string }).orderId);
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
    case "uninstalled": {
      const triggeredAt = meta.triggeredAt ? new Date(meta.triggeredAt) : undefined;
      const result = await uninstallShop(ctx, shop.domain, triggeredAt);
      return result === "uninstalled" ? { status: "uninstalled" } : { status: "skipped", reason: result };
    }
    case "scopes":
      await updateShopScopes(ctx.db, shop.domain, data.scopes);
      return { status: "stored", changed: 1 };
    case "shop-facts":
      return {
        status: "stored",
        changed: await applyShopFacts(ctx, shop.domain, {
          timezone: data.timezone ?? undefined,
          currency: data.currency ?? undefined,
        }),
      };
    case "subscription": {
      const { subscription } = data;
      const { written } = await applySubscriptionReport({ db: ctx.db, queues: ctx.queues }, shop, {
        id: subscription.id,
        name: subscription.name,
        status: subscription.status,
        reportedAt: new Date(subscription.updatedAt),
      });
      return written
        ? { status: "stored", changed: 1 }
        : { status: "skipped", reason: "subscription already reported in a final or newer state" };
    }
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
