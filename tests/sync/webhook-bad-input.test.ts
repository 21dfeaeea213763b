import http from "node:http";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { WEBHOOK_BODY_LIMIT_BYTES } from "../../app/ingest/receive-webhook.server";
import { appWebhookSubscriptions } from "../../scripts/lib/app-config";
import { hmacBase64 } from "../../simulator";
import { useWebhookRoutes } from "../helpers/route-server";
import { APP_SECRET } from "../helpers/sim-app";

const routes = useWebhookRoutes();

function headers(domain: string, topic: string, body: string | Buffer, eventId: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Hmac-Sha256": hmacBase64(APP_SECRET, body),
    "X-Shopify-Shop-Domain": domain,
    "X-Shopify-Webhook-Id": `wh-${eventId}`,
    "X-Shopify-Event-Id": eventId,
    "X-Shopify-API-Version": "2026-04",
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
}

/** A signed delivery to the app's route for the topic, as Shopify sends it. */
function sendSigned(domain: string, topic: string, body: string, eventId: string) {
  return fetch(`${routes.url()}/webhooks/${topic}`, {
    method: "POST",
    headers: headers(domain, topic, body, eventId),
    body,
  });
}

/**
 * A raw POST through node:http: `length` sets Content-Length (else the body is
 * sent chunked, with no length); resolves with the status as soon as the app
 * answers, however much of the body it read.
 */
function rawPost(path: string, head: Record<string, string>, body: Buffer, length?: number) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      `${routes.url()}${path}`,
      // A connection of its own: a request cut short must not leave bytes on a reused one.
      {
        method: "POST",
        agent: false,
        headers: { ...head, ...(length === undefined ? {} : { "Content-Length": String(length) }) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on("error", reject);
    // In 64 KB pieces, so the app can answer before the sender has finished.
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const piece = body.subarray(offset, offset + 65_536);
        offset += piece.length;
        if (!req.write(piece)) return void req.once("drain", writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

const TOPICS = appWebhookSubscriptions().map((subscription) => subscription.topic);

describe("webhook bodies over the size limit", () => {
  const domain = "big-bodies.myshopify.com";
  const big = Buffer.from(
    JSON.stringify({ id: 1, note: "x".repeat(WEBHOOK_BODY_LIMIT_BYTES) }), // signed, valid JSON, too large
  );

  it("answers 413 from Content-Length, before reading the body", async () => {
    const response = await rawPost(
      "/webhooks/orders/create",
      headers(domain, "orders/create", big, "big-1"),
      big.subarray(0, 1024), // far less than it declares: the app must not wait for the rest
      big.length,
    ).catch((error) => ({ status: 0, text: String(error) }));
    expect(response.status).toBe(413);
  });

  it("answers 413 to a chunked body once it has passed the limit", async () => {
    const response = await rawPost("/webhooks/orders/create", headers(domain, "orders/create", big, "big-2"), big);
    expect(response.status, response.text).toBe(413);
    expect(response.text).toMatch(/larger than/);
  });

  it("accepts a body just under the limit", async () => {
    await prisma.shop.upsert({ where: { domain }, create: { domain, status: "installed" }, update: {} });
    const body = JSON.stringify({
      id: 5,
      admin_graphql_api_id: "gid://shopify/Customer/5",
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      note: "y".repeat(WEBHOOK_BODY_LIMIT_BYTES - 300),
    });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(WEBHOOK_BODY_LIMIT_BYTES);
    expect((await sendSigned(domain, "customers/update", body, "big-3")).status).toBe(200);
  });
});

describe("malformed signed payloads answer 400 on every topic, and keep what is stored", () => {
  const domain = "malformed.myshopify.com";

  it.each(TOPICS)("%s", async (topic) => {
    await prisma.shop.upsert({ where: { domain }, create: { domain, status: "installed" }, update: {} });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
    const order = await prisma.order.upsert({
      where: { shopId_id: { shopId: shop.id, id: 77n } },
      create: {
        shopId: shop.id,
        id: 77n,
        processedAt: new Date("2026-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
        currency: "GBP",
        totalMinor: 1234n,
      },
      update: {},
    });
    const slug = topic.replace(/\W/g, "-");
    const cases: Array<[string, string]> = [
      ["not JSON", "{not json"],
      ["not an object", "[1, 2]"],
      ["null", "null"],
    ];
    // app/uninstalled and shop/redact read nothing from their body (the shop is the signed header's).
    if (topic === "shop/update")
      cases.push(["fields of the wrong type", JSON.stringify({ iana_timezone: 3, currency: "£" })]);
    else if (!["app/uninstalled", "shop/redact"].includes(topic)) {
      cases.push([
        "ids and fields of the wrong type",
        JSON.stringify({ id: { nested: true }, customer: "x", line_items: 3 }),
      ]);
    }
    for (const [what, body] of cases) {
      const response = await sendSigned(domain, topic, body, `${slug}-${what.replace(/\W/g, "-")}`);
      expect(response.status, `${topic}: ${what} (${await response.clone().text()})`).toBe(400);
    }
    // What was stored before is still there, unchanged; the shop is still installed.
    expect(await prisma.order.findUnique({ where: { shopId_id: { shopId: shop.id, id: 77n } } })).toEqual(order);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain } })).status).toBe("installed");
  });
});
