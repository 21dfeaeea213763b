import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { queues } from "../queues/registry.server";
import { enqueueWebhookJob } from "../queues/webhooks.server";
import { recordRejectedWebhook } from "../stores/runs.server";
import { logger } from "../utils/logger.server";
import { addLogContext } from "../observability/log-context.server";
import { webhookDuration, webhookRequests } from "../observability/metrics.server";
import { parseExactJsonBytes } from "../utils/exact-json";
import { PayloadError } from "./payload-values";
import { normalizeTopic, webhookJobData } from "./webhook-payloads";

/**
 * The largest webhook body accepted. Shopify's payloads are JSON documents of
 * one resource (an order with hundreds of line items is a few hundred KB);
 * anything larger is refused with 413 before it is held in memory.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * The body's bytes, or "too-large" as soon as it is known to exceed `limit`:
 * at once from Content-Length, else while streaming (a chunked or lying
 * sender), so no more than `limit` bytes are ever buffered.
 */
async function readBodyWithin(request: Request, limit: number): Promise<ArrayBuffer | "too-large"> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    return "too-large";
  }
  if (!request.body) return new ArrayBuffer(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return "too-large";
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes.buffer;
}

/**
 * The same delivery with only its X-Shopify-* headers, for authenticate.webhook:
 * those are all the headers it reads (signature, topic, shop, API version,
 * ids), and it reads them in quadratic time: it copies the headers into an
 * object twice per delivery, canonicalising every name again with a regular
 * expression for each header added, then scans them all for each of about
 * ten lookups. Measured in-process (ADR 013): with the benchmark's 11 headers
 * this copy costs about what it saves; with 18 (a delivery carrying
 * user-agent, accept and proxy headers) a delivery takes about a fifth less
 * CPU. The body's bytes are handed on unchanged, so the library decodes and
 * checks the signature over exactly what it would have read from the
 * original. Anything but a POST goes on unchanged (the library answers 405).
 */
function withShopifyHeadersOnly(request: Request, body: ArrayBuffer | null): Request {
  if (request.method !== "POST" || body === null) return request;
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.startsWith("x-shopify-")) headers.append(name, value);
  }
  // The bytes as received (a byte body adds no Content-Type header to the copy).
  return new Request(request.url, { method: "POST", headers, body });
}

/** An ISO time from a header, or undefined when absent or not a time. */
function validTime(value: string | null): string | undefined {
  const time = value ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * The whole of a webhook route: verify the HMAC (401 and nothing stored when
 * it is bad), map the payload to the minimal job data (400 when it is not
 * JSON or lacks what the topic needs), enqueue with a job id from the event
 * id, answer 200. The job records the event id, so a redelivery is a no-op. The work happens in the
 * webhook-events queue; this stays far inside Shopify's 5-second limit.
 */
export async function receiveWebhook(request: Request): Promise<Response> {
  const started = process.hrtime.bigint();
  const response = await verifyAndEnqueue(request);
  const topic = normalizeTopic(request.headers.get("x-shopify-topic") ?? "unknown");
  webhookRequests.inc({ topic, status: String(response.status) });
  webhookDuration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
  return response;
}

async function verifyAndEnqueue(request: Request): Promise<Response> {
  const headerEventId =
    request.headers.get("x-shopify-event-id") ?? request.headers.get("x-shopify-webhook-id") ?? "unknown";
  // A missing signature is an unauthenticated request, like a wrong one.
  if (!request.headers.get("x-shopify-hmac-sha256")) return new Response(null, { status: 401 });
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  // The body's bytes, kept: the library checks the signature over them and
  // parses them with JSON.parse, which rounds ids above 2^53; the mapping
  // below parses the same bytes again, exactly.
  let body: ArrayBuffer | null = null;
  if (request.method === "POST") {
    const read = await readBodyWithin(request, WEBHOOK_BODY_LIMIT_BYTES);
    if (read === "too-large") {
      logger.warn(
        { eventId: headerEventId, topic: request.headers.get("x-shopify-topic") },
        "webhook body over the size limit",
      );
      return new Response(`Body larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes`, { status: 413 });
    }
    body = read;
  }
  try {
    context = await authenticate.webhook(withShopifyHeadersOnly(request, body));
  } catch (error) {
    if (error instanceof Response) return error; // 401 bad HMAC, 405, 400 missing headers
    if (error instanceof SyntaxError) {
      // The signature was valid (it is checked before the body is parsed).
      logger.warn(
        { eventId: headerEventId, topic: request.headers.get("x-shopify-topic") },
        "webhook body is not JSON",
      );
      return new Response("Body is not JSON", { status: 400 });
    }
    throw error;
  }
  const { shop, payload, webhookId } = context;
  addLogContext({ shop });
  const topic = normalizeTopic(context.topic);
  const eventId = ("eventId" in context && context.eventId) || webhookId || headerEventId;

  let data;
  try {
    // Signed and JSON (the library parsed it): read again where digits may have been lost.
    data = webhookJobData(topic, parseExactJsonBytes(new Uint8Array(body ?? new ArrayBuffer(0)), payload));
  } catch (error) {
    // Whatever in a signed payload the mapping cannot read is the sender's
    // problem (400), never the app's (500): a PayloadError names what is
    // wrong; anything else (a field of an unexpected type) is reported as such.
    const reason =
      error instanceof PayloadError
        ? error.message
        : `Malformed ${topic} payload: ${error instanceof Error ? error.message : String(error)}`;
    logger.warn({ shop, topic, eventId, reason }, "webhook payload rejected");
    await recordRejectedWebhook(prisma, { shop, eventId, topic, webhookId, error: reason }).catch(() => undefined);
    return new Response(reason, { status: 400 });
  }

  try {
    // The job id comes from the event id: a redelivery while the job exists is
    // dropped by the queue; after that, by the job's WebhookEvent record.
    const triggeredAt = validTime(request.headers.get("x-shopify-triggered-at"));
    await enqueueWebhookJob(await queues(), { shop, topic, eventId, webhookId, triggeredAt, data });
  } catch (error) {
    logger.error({ err: error, shop, topic, eventId }, "could not enqueue webhook");
    return new Response("Temporarily unavailable", { status: 503 }); // Shopify retries
  }
  return new Response(null, { status: 200 });
}
