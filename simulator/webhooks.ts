// Sends webhooks the way Shopify does: POST of the REST JSON body with the
// X-Shopify-* headers and an HMAC-SHA256 (base64) of the raw body keyed with
// the app secret. Retries on non-2xx or no answer within the timeout, keeps a
// delivery log, and can duplicate or reorder deliveries on request.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { seededRandom } from "../app/utils/seeded-random";
import { stringifyExact } from "./exact-json";
import { API_VERSION } from "./util";

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  topic: string;
  shopDomain: string;
  url: string;
  body: string;
  triggeredAt: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
  /** True for the extra copies made by duplicate/chaos settings. */
  duplicate: boolean;
}

export interface WebhookSenderOptions {
  appSecret: string;
  timeoutMs?: number;
  /** Delay before each retry; its length is the number of retries. */
  retryDelaysMs?: number[];
  /** Parallel HTTP requests (default 32). */
  maxConcurrent?: number;
  /** Deliveries kept in the log; the oldest are dropped beyond it (default 20,000). */
  logLimit?: number;
  clock: () => number;
}

export interface SendOptions {
  duplicate?: number;
  delayMs?: number;
}

export interface ChaosSettings {
  duplicateRate: number;
  reorderRate: number;
  seed: number;
  /** Upper bound of the extra delay given to reordered deliveries. */
  maxReorderDelayMs?: number;
}

// Shopify retries 8 times over 4 hours; the default here keeps the same count
// at a pace a local run can observe.
const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000];

export function hmacBase64(secret: string, rawBody: string | Buffer): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** Verifies a delivery the way the app must: HMAC of the raw body, constant-time compare. */
export function verifyWebhookHmac(
  secret: string,
  rawBody: string | Buffer,
  header: string | null | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(hmacBase64(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private chaos: (ChaosSettings & { random: () => number }) | null = null;
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: number[];
  private readonly maxConcurrent: number;
  private readonly logLimit: number;
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.maxConcurrent = options.maxConcurrent ?? 32;
    this.logLimit = options.logLimit ?? 20_000;
  }

  setChaos(settings: ChaosSettings | null): void {
    this.chaos = settings ? { ...settings, random: seededRandom(settings.seed) } : null;
  }

  send(
    args: { url: string; shopDomain: string; topic: string; payload: unknown },
    options: SendOptions = {},
  ): Delivery[] {
    // Ids above 2^53 are bigints in payloads and raw digits on the wire.
    const body = stringifyExact(args.payload);
    const eventId = randomUUID();
    const triggeredAt = new Date(this.options.clock()).toISOString();
    let copies = 1 + (options.duplicate ?? 0);
    if (this.chaos && this.chaos.random() < this.chaos.duplicateRate) copies++;
    const made: Delivery[] = [];
    const webhookId = randomUUID();
    for (let copy = 0; copy < copies; copy++) {
      const delivery: Delivery = {
        webhookId,
        eventId,
        topic: args.topic,
        shopDomain: args.shopDomain,
        url: args.url,
        body,
        triggeredAt,
        attempts: [],
        delivered: false,
        duplicate: copy > 0,
      };
      this.deliveries.push(delivery);
      if (this.deliveries.length > this.logLimit) this.deliveries.splice(0, this.deliveries.length - this.logLimit);
      made.push(delivery);
      let delay = options.delayMs ?? 0;
      if (this.chaos && this.chaos.random() < this.chaos.reorderRate) {
        delay += Math.floor(this.chaos.random() * (this.chaos.maxReorderDelayMs ?? 250));
      }
      const task = this.deliver(delivery, delay).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
    return made;
  }

  private async deliver(delivery: Delivery, initialDelayMs: number): Promise<void> {
    if (initialDelayMs > 0) await sleep(initialDelayMs);
    for (let attempt = 0; attempt <= this.retryDelaysMs.length && !this.closed; attempt++) {
      if (attempt > 0) await sleep(this.retryDelaysMs[attempt - 1]);
      if (this.closed) return;
      await this.acquire();
      const started = Date.now();
      try {
        const response = await fetch(delivery.url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": hmacBase64(this.options.appSecret, delivery.body),
            "X-Shopify-Shop-Domain": delivery.shopDomain,
            "X-Shopify-Webhook-Id": delivery.webhookId,
            "X-Shopify-Event-Id": delivery.eventId,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Triggered-At": delivery.triggeredAt,
            "User-Agent": "Shopify-Captain-Hook",
          },
          body: delivery.body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        delivery.attempts.push({
          at: new Date().toISOString(),
          status: response.status,
          durationMs: Date.now() - started,
        });
        if (response.status >= 200 && response.status < 300) {
          delivery.delivered = true;
          return;
        }
      } catch (error) {
        const name = (error as Error).name;
        delivery.attempts.push({
          at: new Date().toISOString(),
          status: null,
          error: name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (error as Error).message,
          durationMs: Date.now() - started,
        });
      } finally {
        this.release();
      }
    }
  }

  // At most maxConcurrent requests at once: a bulk tag write can trigger
  // 100,000 customers/update webhooks, which must queue, not open 100,000 sockets.
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  private acquire(): Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** Resolves when every queued delivery (with its retries) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const COMPLIANCE_TOPICS = ["customers/redact", "customers/data_request", "shop/redact"];

export function topicToEnum(topic: string): string {
  return topic.replace("/", "_").toUpperCase();
}
