// The simulator's shared state and services: the simulated clock, the shops,
// id allocation, rate-limit buckets, call counters, webhook delivery and the
// background bulk-operation tasks. The HTTP server, the control methods and
// the GraphQL resolvers all work through one SimRuntime.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { runBulkMutation } from "./bulk/mutation";
import { runBulkQuery } from "./bulk/query";
import type { SimCore } from "./core";
import { emptyCounts, type CallCounts } from "./graphql-handler";
import { HttpError } from "./http/http-util";
import type { StandaloneRefund } from "./online-retail";
import { LeakyBucket } from "./rate-limiter";
import { bulkFinishPayload } from "./resources/bulk-operations";
import { adminSchema } from "./schema";
import type { AppFunctionRecord } from "./resources/discounts/functions";
import type { BulkOperationRecord, Installation, Shop } from "./shop";
import type { SimulatorOptions } from "./types";
import { COMPLIANCE_TOPICS, topicToEnum, WebhookSender, type Delivery, type SendOptions } from "./webhooks";

export class SimRuntime implements SimCore {
  readonly schema: GraphQLSchema = adminSchema();
  readonly shops = new Map<string, Shop>();
  readonly apiKey: string;
  readonly stagedUploads = new Map<string, string | null>();
  readonly appFunctions = new Map<string, AppFunctionRecord>();
  readonly maxConcurrentBulkMutations: number;
  readonly maxUploadBytes: number;
  readonly tagWritesSendCustomerUpdate: boolean;
  readonly sender: WebhookSender;
  /** Online Retail refund lines that cannot be Admin API refunds, per shop. */
  readonly standaloneRefunds = new Map<string, StandaloneRefund[]>();
  /** Where shop/redact goes after uninstall (Shopify sends it 48 hours later). */
  readonly formerInstallations = new Map<string, Pick<Installation, "webhookUrl" | "subscriptions">>();
  readonly workDir: string;
  counts: CallCounts = emptyCounts();
  private readonly shopCounts = new Map<string, CallCounts>();
  private readonly buckets = new Map<string, LeakyBucket>();
  private readonly running = new Set<Promise<void>>();
  private readonly baseClock: () => number;
  private readonly ownsWorkDir: boolean;
  private readonly bulkLatencyMs: number;
  private clockOffset = 0;
  private idCounter = 1_000_000;
  private publicUrl = "";

  constructor(private readonly options: SimulatorOptions) {
    if (!options.appSecret) throw new Error("startSimulator needs appSecret (webhooks are signed with it)");
    this.baseClock = options.clock ?? Date.now;
    this.apiKey = options.apiKey ?? "simulated-api-key";
    this.maxConcurrentBulkMutations = options.maxConcurrentBulkMutations ?? 5;
    this.maxUploadBytes = options.maxUploadBytes ?? 20 * 1024 * 1024;
    this.tagWritesSendCustomerUpdate = options.tagWritesSendCustomerUpdate ?? true;
    this.bulkLatencyMs = options.bulkLatencyMs ?? 200;
    this.workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "shopify-sim-"));
    this.ownsWorkDir = !options.workDir;
    this.sender = new WebhookSender({
      appSecret: options.appSecret,
      timeoutMs: options.webhookTimeoutMs,
      retryDelaysMs: options.webhookRetryDelaysMs,
      maxConcurrent: options.webhookConcurrency,
      logLimit: options.webhookLogLimit,
      clock: () => this.nowMs(),
    });
  }

  // --- clock and ids ----------------------------------------------------------

  /** The app's client secret: webhooks are signed with it, and token grants must carry it. */
  get appSecret(): string {
    return this.options.appSecret;
  }

  nowMs(): number {
    return this.baseClock() + this.clockOffset;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new HttpError(400, `advanceClock needs a non-negative number of ms`);
    this.clockOffset += ms;
  }

  nextId(): number {
    return ++this.idCounter;
  }

  baseUrl(): string {
    return this.publicUrl;
  }

  setBaseUrl(url: string): void {
    this.publicUrl = url;
  }

  // --- shops ------------------------------------------------------------------

  getShop(domain: string): Shop {
    const shop = this.shops.get(domain);
    if (!shop) throw new HttpError(404, `Unknown shop ${domain}`);
    return shop;
  }

  /** The shop, which must have the app installed. */
  installedShop(domain: string): Shop {
    const shop = this.getShop(domain);
    if (!shop.installation) throw new HttpError(409, `The app is not installed on ${domain}`);
    return shop;
  }

  /** The leaky bucket of the app on a shop (created on first use). */
  bucketFor(shop: Shop): LeakyBucket {
    let bucket = this.buckets.get(shop.domain);
    if (!bucket) {
      bucket = new LeakyBucket(this.options.bucketSize ?? 2000, this.options.restoreRate ?? 100, () => this.nowMs());
      this.buckets.set(shop.domain, bucket);
    }
    return bucket;
  }

  dropBucket(domain: string): void {
    this.buckets.delete(domain);
  }

  // --- counters ---------------------------------------------------------------

  countsFor(domain: string): CallCounts {
    let c = this.shopCounts.get(domain);
    if (!c) {
      c = emptyCounts();
      this.shopCounts.set(domain, c);
    }
    return c;
  }

  resetCounters(): void {
    this.counts = emptyCounts();
    this.shopCounts.clear();
  }

  // --- webhooks ---------------------------------------------------------------

  /** The URLs a topic goes to: the app's subscriptions, or the mandatory compliance default. */
  private targetsFor(shop: Shop, topic: string): string[] {
    const install = shop.installation;
    if (!install) return [];
    const absolute = (uri: string) =>
      /^https?:\/\//.test(uri)
        ? uri
        : `${install.webhookUrl.replace(/\/$/, "")}${uri.startsWith("/") ? "" : "/"}${uri}`;
    const urls = install.subscriptions.filter((s) => s.topic === topicToEnum(topic)).map((s) => absolute(s.uri));
    // Compliance webhooks are mandatory: without an explicit subscription
    // they go to <webhookUrl>/webhooks/<topic>.
    if (urls.length === 0 && COMPLIANCE_TOPICS.includes(topic)) urls.push(absolute(`/webhooks/${topic}`));
    return urls;
  }

  /** Sends a webhook to every subscriber; the payload is built only when someone listens. */
  emit(shop: Shop, topic: string, payload: () => unknown, sendOptions: SendOptions = {}): Delivery[] {
    const urls = this.targetsFor(shop, topic);
    if (urls.length === 0) return [];
    const body = payload();
    return urls.flatMap((url) => this.sender.send({ url, shopDomain: shop.domain, topic, payload: body }, sendOptions));
  }

  emitWebhook(shop: Shop, topic: string, payload: () => unknown): void {
    this.emit(shop, topic, payload);
  }

  // --- bulk operations ----------------------------------------------------------

  startBulkQuery(shop: Shop, op: BulkOperationRecord, document: DocumentNode): void {
    const filePath = join(this.workDir, `bulk-${op.id}.jsonl`);
    op.filePath = filePath;
    this.track(
      this.finishBulk(shop, op, () => runBulkQuery({ schema: this.schema, core: this, shop, op, document, filePath })),
    );
  }

  startBulkMutation(shop: Shop, op: BulkOperationRecord, document: DocumentNode, variablesFile: string): void {
    const filePath = join(this.workDir, `bulk-${op.id}.jsonl`);
    op.filePath = filePath;
    const counts = [this.counts, this.countsFor(shop.domain)];
    this.track(
      this.finishBulk(shop, op, () =>
        runBulkMutation({ schema: this.schema, core: this, shop, op, document, variablesFile, filePath, counts }),
      ),
    );
  }

  private track(task: Promise<void>): void {
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** CREATED -> RUNNING -> COMPLETED/FAILED/CANCELED, at least bulkLatencyMs, then bulk_operations/finish. */
  private async finishBulk(shop: Shop, op: BulkOperationRecord, work: () => Promise<void>): Promise<void> {
    const started = Date.now();
    await new Promise((r) => setImmediate(r));
    if (op.cancelRequested) {
      op.status = "CANCELED";
      op.completedAt = this.nowSeconds();
    } else {
      op.status = "RUNNING";
      try {
        await work();
        const remaining = this.bulkLatencyMs - (Date.now() - started);
        if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
        op.status = op.cancelRequested ? "CANCELED" : "COMPLETED";
      } catch (error) {
        op.status = "FAILED";
        if (op.errorCode !== "ACCESS_DENIED") {
          op.errorCode = "INTERNAL_SERVER_ERROR";
          process.emitWarning(`Bulk operation ${op.id} failed: ${(error as Error).message}`);
        }
      }
      op.completedAt = this.nowSeconds();
    }
    this.emit(shop, "bulk_operations/finish", () => bulkFinishPayload(shop, op));
  }

  /** Drops pending webhook retries, stops bulk runs and removes temp files. */
  async shutdown(): Promise<void> {
    this.sender.close();
    for (const shop of this.shops.values()) for (const op of shop.bulkOperations) op.cancelRequested = true;
    await Promise.allSettled([...this.running]);
    if (this.ownsWorkDir) rmSync(this.workDir, { recursive: true, force: true });
  }
}
