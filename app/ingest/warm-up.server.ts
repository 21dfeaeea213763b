// Start-up warm-up of a web process (issue 18): a freshly started process
// answered its first 3,000 webhook deliveries at p99 83-147 ms against about
// 40 ms once warm (docs/performance.md), because the first deliveries paid
// for the queue connection and the JIT compiling the route. server/web.mjs
// calls this before it listens, so the first real delivery finds both ready.
// Nothing is stored or queued: the whole answer (answerWebhook) is exercised
// with deliveries whose signature is wrong (401), and the signed path
// (acceptWebhook: signature, headers, exact parse, mapping) with valid ones,
// mapped but not enqueued.
import { createHmac, randomUUID } from "node:crypto";
import { env } from "../config/env.server";
import { QUEUE } from "../queues/names";
import { queues } from "../queues/registry.server";
import { logger } from "../utils/logger.server";
import { acceptWebhook, answerWebhook, type WebhookDelivery } from "./receive-webhook.server";

/** A valid shop domain that is no shop's: nothing is queued or stored for it anyway. */
const WARM_UP_SHOP = "segments-app-warm-up-check.myshopify.com";

function warmUpPayload(n: number): string {
  return JSON.stringify({
    id: 1_000 + n,
    admin_graphql_api_id: `gid://shopify/Order/${1_000 + n}`,
    created_at: "2026-01-01T00:00:00Z",
    processed_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    cancelled_at: null,
    currency: "USD",
    total_price: "10.00",
    current_total_price: "10.00",
    subtotal_price: "10.00",
    total_discounts: "0.00",
    discount_codes: [],
    source_name: "web",
    customer: { id: 2_000 + (n % 50) },
    line_items: [{ id: 1, product_id: 3_000, quantity: 1, price: "10.00" }],
    shipping_lines: [],
    refunds: [],
  });
}

function delivery(body: string, signature: string): WebhookDelivery {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-hmac-sha256": signature,
    "x-shopify-shop-domain": WARM_UP_SHOP,
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-api-version": "2026-04",
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  const bytes = Buffer.from(body);
  return { method: "POST", header: (name) => headers[name], readBody: async () => bytes };
}

/** Runs `task(i)` for i < count, `parallel` at a time, starting none after `deadline` (performance.now()). */
async function repeat(
  count: number,
  parallel: number,
  deadline: number,
  task: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count && performance.now() < deadline) await task(next++);
    }),
  );
  return next;
}

export interface WarmUpOptions {
  /** Deliveries with a wrong signature through the whole answer (answerWebhook). */
  routeRounds?: number;
  /** Signed deliveries through the signature check and the payload mapping (acceptWebhook). */
  signedRounds?: number;
  /** Start-up time the rounds may take at most (each kind gets half); the connections are always made. */
  budgetMs?: number;
}

/** Warms the queue connection and the webhook route of this process. */
export async function warmUpWebhooks(
  options: WarmUpOptions = {},
): Promise<{ ms: number; routeRounds: number; signedRounds: number }> {
  const started = performance.now();
  const budget = options.budgetMs ?? 6_000;
  // The queue connection: connected and the queue's scripts loaded. A busy
  // start-up can miss the backend probe's short timeout: tried three times,
  // and the rest is warmed up either way (the first delivery then connects).
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await (await queues()).get(QUEUE.webhooks).waitUntilReady();
      break;
    } catch (error) {
      if (attempt === 3) logger.warn({ err: error }, "warm-up: queue not reachable; the first delivery will connect");
      else await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
  const secret = env().SHOPIFY_API_SECRET;
  const bodies = Array.from({ length: 50 }, (_, n) => warmUpPayload(n));
  const routeRounds = await repeat(options.routeRounds ?? 1_500, 10, performance.now() + budget / 2, async (i) => {
    await answerWebhook(delivery(bodies[i % bodies.length], "d3Jvbmcgc2lnbmF0dXJl"));
  });
  const signed = bodies.map((body) => createHmac("sha256", secret).update(body).digest("base64"));
  const signedRounds = await repeat(options.signedRounds ?? 1_000, 10, started + budget, async (i) => {
    const k = i % bodies.length;
    const accepted = await acceptWebhook(delivery(bodies[k], signed[k]));
    if (!("data" in accepted)) throw new Error(`warm-up delivery refused: ${accepted.status} ${accepted.body}`);
  });
  const ms = Math.round(performance.now() - started);
  logger.info({ ms, routeRounds, signedRounds }, "webhook route warmed up");
  return { ms, routeRounds, signedRounds };
}
