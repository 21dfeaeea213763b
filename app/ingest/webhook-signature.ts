// Is a webhook delivery Shopify's? The checks of @shopify/shopify-api's
// webhooks.validate and shopify-app-remix's authenticate.webhook, in their
// order and with their answers (405, 400, 401), on the delivery's bytes with
// node:crypto. Why not the library (ADR 041): per delivery it converts the
// request through its runtime adapter (copying the headers twice and
// scanning them for each lookup), decodes the body to a string, signs it with
// WebCrypto's asynchronous HMAC, and loads the shop's offline session, which
// the route never uses; that was most of the route's CPU and kept it under
// half the bare floor (docs/performance.md).
import { createHmac, timingSafeEqual } from "node:crypto";

/** What a delivery proves about itself once its signature checks out. */
export interface VerifiedWebhook {
  ok: true;
  shop: string;
  /** As sent in X-Shopify-Topic ("orders/create"). */
  topic: string;
  webhookId: string;
  apiVersion: string;
  eventId?: string;
  triggeredAt?: string;
}

export interface RefusedWebhook {
  ok: false;
  /** 405 not a POST, 401 unsigned or wrongly signed, 400 incomplete. */
  status: 400 | 401 | 405;
  reason: string;
}

/** Header lookup by lower-case name. */
export type HeaderLookup = (name: string) => string | null | undefined;

/** Shopify's required delivery headers (besides the signature), as the library lists them. */
const REQUIRED = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"];

/** A shop's permanent domain, as the library's sanitizeShop accepts it (myshopify.com and Shopify's own test domains). */
const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.(myshopify\.com|myshopify\.io|shop\.dev|shopify\.com)$/;

/** Whether the delivery carries a signature at all (checked before its body is read). */
export function hasSignature(header: HeaderLookup): boolean {
  return Boolean(header("x-shopify-hmac-sha256"));
}

/**
 * Checks a delivery's method, signature and headers. `body` is exactly the
 * bytes received: Shopify signs those (base64 HMAC-SHA256 with the app's
 * client secret), compared in constant time.
 */
export function verifyWebhook(
  method: string,
  header: HeaderLookup,
  body: Uint8Array,
  secret: string,
): VerifiedWebhook | RefusedWebhook {
  if (method !== "POST") return { ok: false, status: 405, reason: "Method not allowed" };
  if (body.byteLength === 0) return { ok: false, status: 400, reason: "Empty body" };
  const signature = header("x-shopify-hmac-sha256");
  if (!signature) return { ok: false, status: 401, reason: "Missing signature" };
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(signature, "base64");
  if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, reason: "Invalid signature" };
  }
  const missing = REQUIRED.filter((name) => !header(name));
  if (missing.length > 0) return { ok: false, status: 400, reason: `Missing headers: ${missing.join(", ")}` };
  const shop = header("x-shopify-shop-domain")!;
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, status: 400, reason: "X-Shopify-Shop-Domain is not a shop domain" };
  return {
    ok: true,
    shop,
    topic: header("x-shopify-topic")!,
    webhookId: header("x-shopify-webhook-id")!,
    apiVersion: header("x-shopify-api-version")!,
    eventId: header("x-shopify-event-id") || undefined,
    triggeredAt: header("x-shopify-triggered-at") || undefined,
  };
}
