import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from "../billing/entitlement";
import { orderFromWebhook, type OrderRecord } from "./order-record";
import { numericId, PayloadError, restId } from "./payload-values";
import { refundFromWebhook, type RefundRecord } from "./refund-record";

/**
 * What a webhook job carries: the minimum the app keeps, mapped from the
 * payload in the route, so personal fields (names, emails, addresses) never
 * reach the queue. The payload must come from parseExactJson (ids above 2^53
 * as bigints): the library's JSON.parse rounds them. Pure; a payload missing
 * what its topic needs throws PayloadError (the route answers 400).
 */
export type SerializedOrder = Omit<OrderRecord, "processedAt" | "cancelledAt" | "shopifyUpdatedAt"> & {
  processedAt: string;
  cancelledAt: string | null;
  shopifyUpdatedAt: string;
};

export type WebhookJobData =
  | { kind: "order"; order: SerializedOrder }
  | { kind: "refund"; refund: RefundRecord }
  | {
      kind: "customer";
      customer: { id: string; createdAt: string | null; updatedAt: string | null; emailMarketing: string | null };
    }
  | { kind: "customer-delete"; customerId: string }
  | { kind: "customer-redact"; customerId: string; orderIds: string[] }
  | { kind: "data-request"; customerId: string; orderIds: string[]; requestId: string | null }
  | { kind: "shop-redact" }
  | { kind: "uninstalled" }
  | { kind: "scopes"; scopes: string }
  | { kind: "shop-facts"; timezone: string | null; currency: string | null }
  | { kind: "subscription"; subscription: SubscriptionPayload };

/** app_subscriptions/update: the subscription's id, plan name, status and when Shopify changed it. */
export interface SubscriptionPayload {
  id: string;
  name: string;
  status: SubscriptionStatus;
  /** ISO time. */
  updatedAt: string;
}

/** Resources of the topics the app takes whose names hold an underscore ("APP_SUBSCRIPTIONS_UPDATE"). */
const UNDERSCORED_RESOURCES = ["app_subscriptions"];

/** Shopify sends topics as "ORDERS_CREATE" in the library's context and "orders/create" in headers. */
export function normalizeTopic(topic: string): string {
  const lower = topic.toLowerCase();
  if (lower.includes("/")) return lower;
  const resource = UNDERSCORED_RESOURCES.find((r) => lower.startsWith(`${r}_`));
  return resource ? `${resource}/${lower.slice(resource.length + 1)}` : lower.replace("_", "/");
}

type Json = Record<string, any>;

function serializeOrder(order: OrderRecord): SerializedOrder {
  return {
    ...order,
    processedAt: order.processedAt.toISOString(),
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    shopifyUpdatedAt: order.shopifyUpdatedAt.toISOString(),
  };
}

export function deserializeOrder(order: SerializedOrder): OrderRecord {
  return {
    ...order,
    processedAt: new Date(order.processedAt),
    cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
    shopifyUpdatedAt: new Date(order.shopifyUpdatedAt),
  };
}

function ids(list: unknown, what: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new PayloadError(`${what} is not a list`);
  return list.map((value) => numericId(value, what));
}

/** shop/update's `iana_timezone`: absent is unknown (null); present, it must be a zone this runtime knows. */
function shopTimezone(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new PayloadError("shop/update iana_timezone is not a string");
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
  } catch {
    throw new PayloadError(`shop/update iana_timezone ${JSON.stringify(value)} is not a known time zone`);
  }
  return value;
}

/** shop/update's `currency`: absent is unknown (null); present, an ISO 4217 code. */
function shopCurrency(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !/^[A-Z]{3}$/.test(value)) {
    throw new PayloadError(`shop/update currency ${JSON.stringify(value)} is not a currency code`);
  }
  return value;
}

function subscriptionFromWebhook(value: unknown): SubscriptionPayload {
  if (!value || typeof value !== "object") throw new PayloadError("app_subscriptions/update without app_subscription");
  const sub = value as Json;
  const id = sub.admin_graphql_api_id;
  if (typeof id !== "string" || !/^gid:\/\/shopify\/AppSubscription\/\d+$/.test(id))
    throw new PayloadError(`app_subscription.admin_graphql_api_id ${JSON.stringify(id)} is not an AppSubscription id`);
  if (typeof sub.name !== "string" || !sub.name) throw new PayloadError("app_subscription.name is missing");
  const status = typeof sub.status === "string" ? sub.status.toUpperCase() : sub.status;
  if (!SUBSCRIPTION_STATUSES.includes(status))
    throw new PayloadError(`app_subscription.status ${JSON.stringify(sub.status)} is not a subscription status`);
  const updatedAt = typeof sub.updated_at === "string" ? Date.parse(sub.updated_at) : NaN;
  if (Number.isNaN(updatedAt)) throw new PayloadError("app_subscription.updated_at is not a time");
  return { id, name: sub.name, status, updatedAt: new Date(updatedAt).toISOString() };
}

export function webhookJobData(topic: string, payload: unknown): WebhookJobData {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
    throw new PayloadError("Payload is not a JSON object");
  }
  const body = payload as Json;
  switch (normalizeTopic(topic)) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return { kind: "order", order: serializeOrder(orderFromWebhook(body)) };
    case "refunds/create":
      return { kind: "refund", refund: refundFromWebhook(body) };
    case "customers/create":
    case "customers/update":
      return {
        kind: "customer",
        customer: {
          id: restId(body, "customer.id"),
          createdAt: typeof body.created_at === "string" ? body.created_at : null,
          updatedAt: typeof body.updated_at === "string" ? body.updated_at : null,
          emailMarketing: body.email_marketing_consent?.state?.toUpperCase?.() ?? null,
        },
      };
    case "customers/delete":
      return { kind: "customer-delete", customerId: restId(body, "customer.id") };
    case "customers/redact":
      return {
        kind: "customer-redact",
        customerId: restId(body.customer, "customer.id"),
        orderIds: ids(body.orders_to_redact, "orders_to_redact"),
      };
    case "customers/data_request":
      return {
        kind: "data-request",
        customerId: restId(body.customer, "customer.id"),
        orderIds: ids(body.orders_requested, "orders_requested"),
        requestId: body.data_request?.id !== undefined ? String(body.data_request.id) : null,
      };
    case "shop/redact":
      return { kind: "shop-redact" };
    case "app/uninstalled":
      return { kind: "uninstalled" };
    case "app/scopes_update": {
      if (!Array.isArray(body.current)) throw new PayloadError("app/scopes_update without a current list of scopes");
      return { kind: "scopes", scopes: body.current.map(String).join(",") };
    }
    case "shop/update":
      return { kind: "shop-facts", timezone: shopTimezone(body.iana_timezone), currency: shopCurrency(body.currency) };
    case "app_subscriptions/update":
      return { kind: "subscription", subscription: subscriptionFromWebhook(body.app_subscription) };
    default:
      throw new PayloadError(`Unsupported webhook topic ${topic}`);
  }
}
