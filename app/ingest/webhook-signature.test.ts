import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "./webhook-signature";

const SECRET = "shpss_test_secret";
const sign = (body: Uint8Array, secret = SECRET) => createHmac("sha256", secret).update(body).digest("base64");
const HEADERS = {
  "x-shopify-topic": "orders/create",
  "x-shopify-shop-domain": "example.myshopify.com",
  "x-shopify-api-version": "2026-04",
  "x-shopify-webhook-id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
};
const lookup = (headers: Record<string, string>) => (name: string) => headers[name];
const bytes = (text: string) => new TextEncoder().encode(text);

describe("verifyWebhook", () => {
  it("accepts a delivery signed over its exact bytes, with what its headers say", () => {
    const body = bytes('{"id":1}');
    const verdict = verifyWebhook(
      "POST",
      lookup({
        ...HEADERS,
        "x-shopify-hmac-sha256": sign(body),
        "x-shopify-event-id": "e1",
        "x-shopify-triggered-at": "2026-12-03T10:00:00Z",
      }),
      body,
      SECRET,
    );
    expect(verdict).toEqual({
      ok: true,
      shop: "example.myshopify.com",
      topic: "orders/create",
      webhookId: HEADERS["x-shopify-webhook-id"],
      apiVersion: "2026-04",
      eventId: "e1",
      triggeredAt: "2026-12-03T10:00:00Z",
    });
  });

  it("answers as the library does: 405, 400 empty, 401 unsigned or forged, 400 incomplete or not a shop", () => {
    const body = bytes('{"id":1}');
    const signed = { ...HEADERS, "x-shopify-hmac-sha256": sign(body) };
    const status = (method: string, headers: Record<string, string>, payload = body) => {
      const verdict = verifyWebhook(method, lookup(headers), payload, SECRET);
      return verdict.ok ? 200 : [verdict.status, verdict.reason];
    };
    expect(status("GET", signed)).toEqual([405, "Method not allowed"]);
    expect(status("POST", signed, new Uint8Array(0))).toEqual([400, "Empty body"]);
    expect(status("POST", HEADERS)).toEqual([401, "Missing signature"]);
    expect(status("POST", { ...signed, "x-shopify-hmac-sha256": sign(body, "another") })).toEqual([
      401,
      "Invalid signature",
    ]);
    expect(status("POST", { ...signed, "x-shopify-hmac-sha256": "not base64 at all" })).toEqual([
      401,
      "Invalid signature",
    ]);
    const { "x-shopify-topic": _topic, "x-shopify-webhook-id": _id, ...partial } = signed;
    expect(status("POST", partial)).toEqual([400, "Missing headers: x-shopify-topic, x-shopify-webhook-id"]);
    expect(status("POST", { ...signed, "x-shopify-shop-domain": "evil.example.com" })).toEqual([
      400,
      "X-Shopify-Shop-Domain is not a shop domain",
    ]);
  });

  it("refuses any change of a signed body's bytes (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, at, flip) => {
          const headers = lookup({ ...HEADERS, "x-shopify-hmac-sha256": sign(body) });
          expect(verifyWebhook("POST", headers, body, SECRET).ok).toBe(true);
          const changed = Uint8Array.from(body);
          changed[at % body.length] ^= flip;
          expect(verifyWebhook("POST", headers, changed, SECRET)).toMatchObject({ ok: false, status: 401 });
        },
      ),
    );
  });
});
