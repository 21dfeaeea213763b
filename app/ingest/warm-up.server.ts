// Start-up warm-up of a web process (issue 18): a freshly started process
// answered its first 3,000 webhook deliveries at p99 83-147 ms against about
// 40 ms once warm (docs/performance.md), because the first deliveries paid
// for the queue connection, the first session load (Prisma's query path) and
// the JIT compiling the route. server/web.mjs calls this before it listens,
// so the first real delivery finds all three ready. Nothing is stored or
// queued: the route is exercised with deliveries whose signature is wrong
// (answered 401 before anything else happens), and the signed path with
// deliveries for a shop that has no session (authenticate.webhook then loads
// no admin context and writes nothing), mapped but not enqueued.
import { createHmac, randomUUID } from "node:crypto";
import { env } from "../config/env.server";
import { QUEUE } from "../queues/names";
import { queues } from "../queues/registry.server";
import { authenticate, sessionStorage } from "../shopify.server";
import { parseExactJsonBytes } from "../utils/exact-json";
import { logger } from "../utils/logger.server";
import { normalizeTopic, webhookJobData } from "./webhook-payloads";

/**
 * A shop domain the library accepts (it rejects invalid handles) that should
 * never have installed the app; if it ever has (a session is stored), the
 * signed rounds are skipped, so no real shop's session is touched.
 */
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

function delivery(body: string, signature: string): Request {
  return new Request("http://localhost/webhooks/orders/create", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-hmac-sha256": signature,
      "x-shopify-shop-domain": WARM_UP_SHOP,
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-api-version": "2026-04",
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
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
  /** Deliveries with a wrong signature through the whole request handler. */
  routeRounds?: number;
  /** Signed deliveries through authenticate.webhook and the payload mapping. */
  signedRounds?: number;
  /** Start-up time the rounds may take at most (each kind gets half); the connections are always made. */
  budgetMs?: number;
}

/**
 * Warms the queue connection, the session storage and the webhook route of
 * this process. `handle` is the process's request handler (Remix's).
 */
export async function warmUpWebhooks(
  handle: (request: Request) => Promise<Response>,
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
  // The session storage: the database connection and Prisma's query path.
  const installed = (await sessionStorage.loadSession(`offline_${WARM_UP_SHOP}`)) !== undefined;

  const secret = env().SHOPIFY_API_SECRET;
  const bodies = Array.from({ length: 50 }, (_, n) => warmUpPayload(n));
  const routeRounds = await repeat(options.routeRounds ?? 1_500, 10, performance.now() + budget / 2, async (i) => {
    const response = await handle(delivery(bodies[i % bodies.length], "d3Jvbmcgc2lnbmF0dXJl"));
    await response.arrayBuffer();
  });
  const signed = bodies.map((body) => createHmac("sha256", secret).update(body).digest("base64"));
  const signedRounds = await repeat(
    installed ? 0 : (options.signedRounds ?? 1_000),
    10,
    started + budget,
    async (i) => {
      const k = i % bodies.length;
      const context = await authenticate.webhook(delivery(bodies[k], signed[k]));
      webhookJobData(normalizeTopic(context.topic), parseExactJsonBytes(Buffer.from(bodies[k]), context.payload));
    },
  );
  const ms = Math.round(performance.now() - started);
  logger.info({ ms, routeRounds, signedRounds }, "webhook route warmed up");
  return { ms, routeRounds, signedRounds };
}
