import type { IncomingMessage, ServerResponse } from "node:http";
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { env } from "../config/env.server";
import { queues } from "../queues/registry.server";
import { enqueueWebhookJob } from "../queues/webhooks.server";
import { recordRejectedWebhook } from "../stores/runs.server";
import { logger } from "../utils/logger.server";
import { addLogContext } from "../observability/log-context.server";
import { webhookDuration, webhookRequests } from "../observability/metrics.server";
import { parseExactJsonBytes } from "../utils/exact-json";
import { PayloadError } from "./payload-values";
import { normalizeTopic, webhookJobData, type WebhookJobData } from "./webhook-payloads";
import { hasSignature, verifyWebhook, type HeaderLookup, type VerifiedWebhook } from "./webhook-signature";

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

/** An ISO time from a header, or undefined when absent or not a time. */
function validTime(value: string | null): string | undefined {
  const time = value ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A delivery as either HTTP layer received it: its body is read only once the signature header is known to be there. */
export interface WebhookDelivery {
  method: string;
  header: HeaderLookup;
  readBody(limit: number): Promise<Uint8Array | "too-large">;
}

/** The answer to a delivery: a status and, for a refusal, a short text saying why. */
export interface WebhookAnswer {
  status: number;
  body?: string;
}

/** A delivery verified and mapped, ready to be queued. */
export interface AcceptedWebhook {
  verified: VerifiedWebhook;
  topic: string;
  eventId: string;
  data: WebhookJobData;
}

/**
 * Verifies a delivery's signature and headers (app/ingest/webhook-signature.ts)
 * and maps its payload to the minimal job data: an accepted delivery, or the
 * refusal to answer (401 bad signature, 400 not JSON or lacking what the topic
 * needs, 405, 413). Stores nothing but the record of a signed delivery whose
 * payload is refused. Also what the start-up warm-up runs.
 */
export async function acceptWebhook(delivery: WebhookDelivery): Promise<AcceptedWebhook | WebhookAnswer> {
  const { method, header } = delivery;
  const headerEventId = header("x-shopify-event-id") ?? header("x-shopify-webhook-id") ?? "unknown";
  if (method !== "POST") return { status: 405, body: "Method not allowed" };
  // A missing signature is an unauthenticated request, like a wrong one: its body is not read.
  if (!hasSignature(header)) return { status: 401, body: "Missing signature" };
  const body = await delivery.readBody(WEBHOOK_BODY_LIMIT_BYTES);
  if (body === "too-large") {
    logger.warn({ eventId: headerEventId, topic: header("x-shopify-topic") }, "webhook body over the size limit");
    return { status: 413, body: `Body larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes` };
  }
  const verified = verifyWebhook(method, header, body, env().SHOPIFY_API_SECRET);
  if (!verified.ok) return { status: verified.status, body: verified.reason };
  const { shop, webhookId } = verified;
  addLogContext({ shop });
  const topic = normalizeTopic(verified.topic);
  const eventId = verified.eventId || webhookId;

  let payload: unknown;
  try {
    // Exactly: ids beyond 2^53 keep their digits (JSON.parse first; the slower exact parse only when a number may have lost some).
    payload = parseExactJsonBytes(body, JSON.parse(textDecoder.decode(body)));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // The signature was valid: the sender's problem.
    logger.warn({ eventId, topic }, "webhook body is not JSON");
    return { status: 400, body: "Body is not JSON" };
  }
  try {
    return { verified, topic, eventId, data: webhookJobData(topic, payload) };
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
    return { status: 400, body: reason };
  }
}

const textDecoder = new TextDecoder();

/**
 * The whole of a webhook delivery: verified and mapped (acceptWebhook), then
 * queued with a job id from the event id, answered 200. The job records the
 * event id, so a redelivery is a no-op. The work happens in the
 * webhook-events queue; this stays far inside Shopify's 5-second limit.
 */
export async function answerWebhook(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const started = process.hrtime.bigint();
  const answer = await verifyAndEnqueue(delivery);
  const topic = normalizeTopic(delivery.header("x-shopify-topic") ?? "unknown");
  webhookRequests.inc({ topic, status: String(answer.status) });
  webhookDuration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
  return answer;
}

async function verifyAndEnqueue(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const accepted = await acceptWebhook(delivery);
  if (!("data" in accepted)) return accepted;
  const { verified, topic, eventId, data } = accepted;
  const { shop, webhookId } = verified;
  try {
    // The job id comes from the event id: a redelivery while the job exists is
    // dropped by the queue; after that, by the job's WebhookEvent record.
    const triggeredAt = validTime(verified.triggeredAt ?? null);
    await enqueueWebhookJob(await queues(), { shop, topic, eventId, webhookId, triggeredAt, data });
  } catch (error) {
    logger.error({ err: error, shop, topic, eventId }, "could not enqueue webhook");
    return { status: 503, body: "Temporarily unavailable" }; // Shopify retries
  }
  return { status: 200 };
}

function toResponse(answer: WebhookAnswer): Response {
  return new Response(answer.body ?? null, { status: answer.status });
}

/** A webhook route's action (Remix): the Fetch API request as a delivery. */
async function receiveWebhook(request: Request): Promise<Response> {
  return toResponse(
    await answerWebhook({
      method: request.method,
      header: (name) => request.headers.get(name),
      readBody: async (limit) => {
        const read = await readBodyWithin(request, limit);
        return read === "too-large" ? read : new Uint8Array(read);
      },
    }),
  );
}

/**
 * Every webhook route's action: the same function, so the production HTTP
 * layer knows the routes it may answer itself (receiveWebhookNode).
 */
export const webhookAction = ({ request }: ActionFunctionArgs) => receiveWebhook(request);

/**
 * The same on node's own request and response, for the production HTTP layer
 * (server/web.mjs), which hands it the POSTs to the webhook routes' paths
 * before any Fetch API Request is made: the floor of issue 18 is node:http,
 * and the Request, Remix's route matching and the Response cost about as much
 * as the rest of the delivery (docs/performance.md, ADR 041).
 */
export async function receiveWebhookNode(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = req.headers;
  const answer = await answerWebhook({
    method: req.method ?? "GET",
    header: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    readBody: (limit) => readNodeBodyWithin(req, limit),
  });
  if (answer.body === undefined) {
    res.writeHead(answer.status, { "content-length": 0 }).end();
    return;
  }
  const text = Buffer.from(answer.body);
  res
    .writeHead(answer.status, { "content-type": "text/plain;charset=UTF-8", "content-length": text.byteLength })
    .end(text);
}

/**
 * readBodyWithin on node's request stream: "too-large" as soon as the body is
 * known to exceed `limit`; what follows is discarded as it arrives, never held.
 */
function readNodeBodyWithin(req: IncomingMessage, limit: number): Promise<Uint8Array | "too-large"> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > limit) {
    req.resume();
    return Promise.resolve("too-large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData).off("end", onEnd).off("error", reject);
      chunks.length = 0;
      req.resume();
      resolve("too-large");
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    req.on("data", onData).once("end", onEnd).once("error", reject);
  });
}
