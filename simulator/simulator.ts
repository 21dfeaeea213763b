// startSimulator(): the HTTP server (Admin GraphQL endpoint, bulk files,
// staged uploads, /_sim control API) and the programmatic control surface
// used by tests, benchmarks and the demo.
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { DocumentNode, GraphQLSchema } from "graphql";
import { runBulkMutation, runBulkQuery } from "./bulk.js";
import type { SimCore } from "./core.js";
import { emptyCounts, handleGraphQL, type CallCounts } from "./graphql-handler.js";
import { generateStore, type GenerateOptions, type GenerateSummary } from "./generator.js";
import { loadOnlineRetail, type OnlineRetailSummary, type StandaloneRefund } from "./online-retail.js";
import {
  appUninstalledPayload,
  bulkFinishPayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "./payloads.js";
import { LeakyBucket } from "./rate-limiter.js";
import { APP_NAMESPACE } from "./resolvers.js";
import { adminSchema } from "./schema.js";
import { Shop, type BulkOperationRecord, type DiscountRecord, type SegmentRecord, type ShopSettings } from "./shop.js";
import {
  CANCEL_REASONS,
  ORDER_ID_BASE,
  LINE_ITEM_ID_BASE,
  type CancelReason,
  type MetafieldRecord,
  type NewLineItem,
} from "./store.js";
import { API_VERSION, gid, parseGid } from "./util.js";
import {
  COMPLIANCE_TOPICS,
  enumToTopic,
  topicToEnum,
  WebhookSender,
  type ChaosSettings,
  type Delivery,
  type SendOptions,
} from "./webhooks.js";

export interface SimulatorOptions {
  port?: number;
  host?: string;
  appSecret: string;
  apiKey?: string;
  restoreRate?: number;
  bucketSize?: number;
  bulkLatencyMs?: number;
  /** Millisecond clock; defaults to Date.now. advanceClock() adds to it. */
  clock?: () => number;
  webhookTimeoutMs?: number;
  webhookRetryDelaysMs?: number[];
  /** Parallel webhook requests (default 32). */
  webhookConcurrency?: number;
  /** Deliveries kept in deliveries() (default 20,000, oldest dropped). */
  webhookLogLimit?: number;
  maxConcurrentBulkMutations?: number;
  /** Shopify sends customers/update when tags change; benchmarks may switch it off. */
  tagWritesSendCustomerUpdate?: boolean;
  /** Where bulk results and uploads go; a fresh temp dir by default (removed on close). */
  workDir?: string;
}

export interface InstallOptions {
  accessToken: string;
  scopes: string[] | string;
  webhookUrl: string;
  subscriptions?: { topic: string; uri: string }[];
}

export interface OrderLineInput {
  sku?: string;
  title?: string;
  productType?: string;
  quantity: number;
  /** Unit price in the shop currency (e.g. 12.5). */
  price: number;
  /** Discount allocated to this line, in currency units. */
  discount?: number;
}

export interface CreateOrderInput {
  /** Numeric id or GID; unknown ids create the customer; null/undefined = guest. */
  customerId?: number | string | null;
  lineItems: OrderLineInput[];
  processedAt?: string;
  /** amount (currency units) is spread over lines that carry no explicit discount. */
  discountCode?: {
    code: string;
    type?: "percentage" | "fixed_amount";
    amount?: number;
  } | null;
  shippingLine?: { title: string; price: number } | null;
  utm?: { source?: string; medium?: string; campaign?: string } | null;
  landingSite?: string | null;
  referringSite?: string | null;
  sourceName?: "web" | "pos" | "shopify_draft_order" | "iphone" | "android";
  test?: boolean;
}

export interface UpdateOrderInput {
  lineItems?: OrderLineInput[];
  discountCode?: { code: string; type?: "percentage" | "fixed_amount" } | null;
  shippingLine?: { title: string; price: number } | null;
}

export interface Simulator {
  url: string;
  close(): Promise<void>;
  createShop(domain: string, settings: ShopSettings): void;
  installApp(domain: string, options: InstallOptions): void;
  loadOnlineRetail(domain: string, file: string): Promise<OnlineRetailSummary>;
  generate(domain: string, options: GenerateOptions): GenerateSummary;
  createOrder(domain: string, input: CreateOrderInput): ReturnType<typeof orderPayload>;
  updateOrder(domain: string, orderId: number | string, input: UpdateOrderInput): ReturnType<typeof orderPayload>;
  cancelOrder(
    domain: string,
    orderId: number | string,
    options?: { reason?: CancelReason; refund?: boolean },
  ): ReturnType<typeof orderPayload>;
  refundOrder(
    domain: string,
    orderId: number | string,
    options?: {
      lineItems?: { lineItemId: number | string; quantity: number }[];
    },
  ): ReturnType<typeof refundPayload>;
  redactCustomer(domain: string, customerId: number | string): ReturnType<typeof customersRedactPayload>;
  requestCustomerData(domain: string, customerId: number | string): ReturnType<typeof customersDataRequestPayload>;
  redactShop(domain: string): void;
  uninstall(domain: string): void;
  sendWebhook(domain: string, topic: string, payload: unknown, options?: SendOptions): Delivery[];
  setWebhookChaos(settings: ChaosSettings | null): void;
  webhooksIdle(): Promise<void>;
  deliveries(): Delivery[];
  customerTags(domain: string, customerId: number | string): string[];
  metafields(domain: string, ownerId: string): MetafieldRecord[];
  segments(domain: string): SegmentRecord[];
  discounts(domain: string): DiscountRecord[];
  bulkOperations(domain: string): BulkOperationRecord[];
  standaloneRefunds(domain: string): StandaloneRefund[];
  orderCount(domain: string): number;
  customerCount(domain: string): number;
  callCounts(domain?: string): CallCounts;
  resetCounters(): void;
  advanceClock(ms: number): void;
  now(): number;
  shop(domain: string): Shop;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function numericId(value: number | string, type: string): number {
  if (typeof value === "number") return value;
  const parsed = parseGid(value);
  if (parsed) {
    if (parsed.type !== type) throw new HttpError(400, `Expected a ${type} id, got ${value}`);
    return parsed.id;
  }
  if (/^\d+(\.0+)?$/.test(value)) return Number(value);
  throw new HttpError(400, `Invalid ${type} id: ${value}`);
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (!options.appSecret) throw new Error("startSimulator needs appSecret (webhooks are signed with it)");
  const schema: GraphQLSchema = adminSchema();
  const baseClock = options.clock ?? Date.now;
  let clockOffset = 0;
  const nowMs = () => baseClock() + clockOffset;
  const nowSeconds = () => Math.floor(nowMs() / 1000);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "shopify-sim-"));
  const ownsWorkDir = !options.workDir;
  const shops = new Map<string, Shop>();
  const buckets = new Map<string, LeakyBucket>();
  const shopCounts = new Map<string, CallCounts>();
  const standalone = new Map<string, StandaloneRefund[]>();
  let counts = emptyCounts();
  let idCounter = 1_000_000;
  let baseUrl = "";
  const bulkLatencyMs = options.bulkLatencyMs ?? 200;
  const running = new Set<Promise<void>>();
  const sender = new WebhookSender({
    appSecret: options.appSecret,
    timeoutMs: options.webhookTimeoutMs,
    retryDelaysMs: options.webhookRetryDelaysMs,
    maxConcurrent: options.webhookConcurrency,
    logLimit: options.webhookLogLimit,
    clock: nowMs,
  });

  const getShop = (domain: string): Shop => {
    const shop = shops.get(domain);
    if (!shop) throw new HttpError(404, `Unknown shop ${domain}`);
    return shop;
  };
  const installed = (domain: string): Shop => {
    const shop = getShop(domain);
    if (!shop.installation) throw new HttpError(409, `The app is not installed on ${domain}`);
    return shop;
  };

  const targetsFor = (shop: Shop, topic: string): string[] => {
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
  };

  const emit = (shop: Shop, topic: string, payload: () => unknown, sendOptions: SendOptions = {}): Delivery[] => {
    const urls = targetsFor(shop, topic);
    if (urls.length === 0) return [];
    const body = payload();
    return urls.flatMap((url) => sender.send({ url, shopDomain: shop.domain, topic, payload: body }, sendOptions));
  };

  const countsFor = (domain: string) => {
    let c = shopCounts.get(domain);
    if (!c) {
      c = emptyCounts();
      shopCounts.set(domain, c);
    }
    return c;
  };

  const track = (task: Promise<void>) => {
    running.add(task);
    task.finally(() => running.delete(task));
  };

  const finishBulk = async (shop: Shop, op: BulkOperationRecord, started: number, work: () => Promise<void>) => {
    await new Promise((r) => setImmediate(r));
    if (op.cancelRequested) {
      op.status = "CANCELED";
      op.completedAt = nowSeconds();
    } else {
      op.status = "RUNNING";
      try {
        await work();
        const remaining = bulkLatencyMs - (Date.now() - started);
        if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
        op.status = op.cancelRequested ? "CANCELED" : "COMPLETED";
      } catch (error) {
        op.status = "FAILED";
        if (op.errorCode !== "ACCESS_DENIED") {
          op.errorCode = "INTERNAL_SERVER_ERROR";
          process.emitWarning(`Bulk operation ${op.id} failed: ${(error as Error).message}`);
        }
      }
      op.completedAt = nowSeconds();
    }
    emit(shop, "bulk_operations/finish", () => bulkFinishPayload(shop, op));
  };

  const core: SimCore = {
    nowMs,
    apiKey: options.apiKey ?? "simulated-api-key",
    nextId: () => ++idCounter,
    baseUrl: () => baseUrl,
    stagedUploads: new Map(),
    maxConcurrentBulkMutations: options.maxConcurrentBulkMutations ?? 5,
    tagWritesSendCustomerUpdate: options.tagWritesSendCustomerUpdate ?? true,
    emitWebhook: (shop, topic, payload) => {
      emit(shop, topic, payload);
    },
    startBulkQuery: (shop: Shop, op: BulkOperationRecord, document: DocumentNode) => {
      const filePath = join(workDir, `bulk-${op.id}.jsonl`);
      op.filePath = filePath;
      const started = Date.now();
      track(finishBulk(shop, op, started, () => runBulkQuery({ schema, core, shop, op, document, filePath })));
    },
    startBulkMutation: (shop: Shop, op: BulkOperationRecord, document: DocumentNode, variablesFile: string) => {
      const filePath = join(workDir, `bulk-${op.id}.jsonl`);
      op.filePath = filePath;
      const started = Date.now();
      track(
        finishBulk(shop, op, started, () =>
          runBulkMutation({
            schema,
            core,
            shop,
            op,
            document,
            variablesFile,
            filePath,
            counts: [counts, countsFor(shop.domain)],
          }),
        ),
      );
    },
  };

  // --- request handling -----------------------------------------------------

  const graphqlPath = new RegExp(`^(?:/shops/([^/]+))?/admin/api/([^/]+)/graphql\\.json$`);

  const handleAdmin = async (
    req: IncomingMessage,
    res: ServerResponse,
    pathDomain: string | undefined,
    version: string,
  ) => {
    if (version !== API_VERSION) {
      sendJson(res, 404, { errors: "Not Found" });
      return;
    }
    if (req.method !== "POST") {
      sendJson(res, 405, { errors: "Method Not Allowed" });
      return;
    }
    const token = req.headers["x-shopify-access-token"];
    const host = (req.headers.host ?? "").split(":")[0];
    // Which shop: the /shops/<domain> path prefix, else the X-Shopify-Shop-Domain
    // header (what a rewriting fetch keeps), else the Host header, else the
    // shop whose installation owns the token.
    const headerDomain = req.headers["x-shopify-shop-domain"];
    const domain =
      pathDomain ??
      (typeof headerDomain === "string" && shops.has(headerDomain)
        ? headerDomain
        : shops.has(host)
          ? host
          : [...shops.values()].find((s) => s.installation?.accessToken === token)?.domain);
    const shop = domain ? shops.get(domain) : undefined;
    if (!shop || !shop.installation || typeof token !== "string" || token !== shop.installation.accessToken) {
      sendJson(res, 401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
      return;
    }
    const raw = (await readBody(req)).toString("utf8");
    let bucket = buckets.get(shop.domain);
    if (!bucket) {
      bucket = new LeakyBucket(options.bucketSize ?? 2000, options.restoreRate ?? 100, nowMs);
      buckets.set(shop.domain, bucket);
    }
    const result = await handleGraphQL({
      schema,
      core,
      shop,
      bucket,
      counts: [counts, countsFor(shop.domain)],
      rawBody: raw,
    });
    sendJson(res, result.status, result.body, {
      "X-Request-Id": String(++idCounter),
    });
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const request = new Request("http://simulator/upload", {
      method: "POST",
      headers: req.headers as Record<string, string>,
      body: new Uint8Array(body),
    });
    let form: FormData;
    try {
      form = await request.formData();
    } catch (e) {
      throw new HttpError(400, `Expected a multipart/form-data upload: ${(e as Error).message}`);
    }
    const key = form.get("key");
    const file = form.get("file");
    if (typeof key !== "string" || !core.stagedUploads.has(key))
      throw new HttpError(403, "Unknown or missing upload key; call stagedUploadsCreate first");
    if (!file || typeof file === "string")
      throw new HttpError(400, "The form needs a 'file' field (after the parameters, as GCS requires)");
    const path = join(workDir, `upload-${++idCounter}.jsonl`);
    writeFileSync(path, Buffer.from(await (file as Blob).arrayBuffer()));
    core.stagedUploads.set(key, path);
    res.writeHead(201, { "Content-Type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`,
    );
  };

  const handleBulkFile = (res: ServerResponse, id: number) => {
    const op = [...shops.values()].flatMap((s) => s.bulkOperations).find((b) => b.id === id);
    if (!op || op.status !== "COMPLETED" || !op.filePath || !existsSync(op.filePath))
      throw new HttpError(404, `No completed bulk operation ${id}`);
    res.writeHead(200, {
      "Content-Type": "application/jsonl",
      "Content-Length": String(op.fileSize ?? 0),
    });
    createReadStream(op.filePath).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://simulator");
    const done = (error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else
        sendJson(res, 500, {
          error: (error as Error).message ?? String(error),
        });
    };
    try {
      const admin = graphqlPath.exec(url.pathname);
      if (admin) {
        handleAdmin(req, res, admin[1] ? decodeURIComponent(admin[1]) : undefined, admin[2]).catch(done);
        return;
      }
      if (url.pathname === "/_sim/upload" && req.method === "POST") {
        handleUpload(req, res).catch(done);
        return;
      }
      const bulkFile = /^\/_sim\/bulk\/(\d+)\.jsonl$/.exec(url.pathname);
      if (bulkFile && req.method === "GET") {
        handleBulkFile(res, Number(bulkFile[1]));
        return;
      }
      if (url.pathname.startsWith("/_sim/")) {
        handleControl(req, res, url).catch(done);
        return;
      }
      sendJson(res, 404, { errors: "Not Found" });
    } catch (error) {
      done(error);
    }
  });

  // --- control operations -----------------------------------------------------

  const lineItemsFrom = (shop: Shop, lines: OrderLineInput[]): NewLineItem[] => {
    if (!Array.isArray(lines) || lines.length === 0) throw new HttpError(400, "lineItems must be a non-empty array");
    return lines.map((line, index) => {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0)
        throw new HttpError(400, `lineItems[${index}].quantity must be a positive integer`);
      if (typeof line.price !== "number" || !Number.isFinite(line.price) || line.price < 0)
        throw new HttpError(400, `lineItems[${index}].price must be a non-negative number`);
      const sku = line.sku ?? `SKU-${(line.title ?? "item").toUpperCase().replace(/[^A-Z0-9]+/g, "-")}`;
      const productIndex = shop.store.addProduct({
        sku,
        title: line.title ?? sku,
        productType: line.productType ?? "General",
        vendor: shop.settings.name,
      });
      return {
        productIndex,
        quantity: line.quantity,
        unitPriceCents: Math.round(line.price * 100),
        discountCents: Math.round((line.discount ?? 0) * 100),
      };
    });
  };

  const orderIndexOf = (shop: Shop, orderId: number | string) => {
    const index = shop.store.findOrder(numericId(orderId, "Order"));
    if (index === undefined) throw new HttpError(404, `Unknown order ${orderId} on ${shop.domain}`);
    return index;
  };
  const customerIndexOf = (shop: Shop, customerId: number | string) => {
    const index = shop.store.findCustomer(numericId(customerId, "Customer"));
    if (index === undefined) throw new HttpError(404, `Unknown customer ${customerId} on ${shop.domain}`);
    return index;
  };

  const sim: Simulator = {
    url: "",
    async close() {
      sender.close();
      // Stop bulk runs first, then close keep-alive sockets so close() returns at once.
      for (const shop of shops.values()) for (const op of shop.bulkOperations) op.cancelRequested = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.allSettled([...running]);
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
    },
    createShop(domain, settings) {
      if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain))
        throw new HttpError(400, `Shop domain must look like name.myshopify.com, got '${domain}'`);
      if (shops.has(domain)) throw new HttpError(409, `Shop ${domain} already exists`);
      if (!settings?.timezone || !settings.currency) throw new HttpError(400, "createShop needs timezone and currency");
      try {
        new Intl.DateTimeFormat("en", { timeZone: settings.timezone });
      } catch {
        throw new HttpError(400, `Unknown IANA timezone '${settings.timezone}'`);
      }
      if (!/^[A-Z]{3}$/.test(settings.currency))
        throw new HttpError(400, `Currency must be an ISO 4217 code, got '${settings.currency}'`);
      const shop = new Shop(
        ++idCounter,
        domain,
        {
          timezone: settings.timezone,
          currency: settings.currency,
          name: settings.name ?? domain.replace(".myshopify.com", ""),
          plan: settings.plan ?? "Basic",
        },
        nowSeconds(),
      );
      shops.set(domain, shop);
    },
    installApp(domain, install) {
      const shop = getShop(domain);
      if (!install.accessToken) throw new HttpError(400, "installApp needs accessToken");
      if (!/^https?:\/\//.test(install.webhookUrl ?? ""))
        throw new HttpError(400, "installApp needs webhookUrl (the app's base URL)");
      const scopes = Array.isArray(install.scopes)
        ? install.scopes
        : String(install.scopes ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      shop.installation = {
        accessToken: install.accessToken,
        scopes,
        webhookUrl: install.webhookUrl,
        installedAt: nowSeconds(),
        subscriptions: (install.subscriptions ?? []).map((s) => ({
          id: ++idCounter,
          topic: s.topic.includes("/") ? topicToEnum(s.topic) : s.topic,
          uri: s.uri,
          filter: null,
          includeFields: [],
          createdAt: nowSeconds(),
          updatedAt: nowSeconds(),
        })),
      };
    },
    async loadOnlineRetail(domain, file) {
      const shop = getShop(domain);
      if (typeof file !== "string" || file === "")
        throw new HttpError(400, "loadOnlineRetail needs the path of the CSV (.csv or .csv.gz)");
      if (!existsSync(file)) throw new HttpError(400, `Online Retail file not found: ${file}`);
      const { standaloneRefunds, ...summary } = await loadOnlineRetail(shop, file);
      standalone.set(domain, standaloneRefunds);
      return summary;
    },
    generate(domain, generateOptions) {
      try {
        return generateStore(getShop(domain), generateOptions);
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError(400, (e as Error).message);
      }
    },
    createOrder(domain, input) {
      const shop = getShop(domain);
      const s = shop.store;
      if (input.processedAt !== undefined && Number.isNaN(Date.parse(input.processedAt))) {
        throw new HttpError(400, `processedAt must be an ISO 8601 date, got '${input.processedAt}'`);
      }
      const lineItems = lineItemsFrom(shop, input.lineItems);
      if (input.discountCode?.amount) allocateDiscount(lineItems, Math.round(input.discountCode.amount * 100));
      let customerIndex = -1;
      let createdCustomer = false;
      if (input.customerId !== null && input.customerId !== undefined) {
        const id = numericId(input.customerId, "Customer");
        const existing = s.findCustomer(id);
        if (existing !== undefined && s.isDeleted(existing)) throw new HttpError(409, `Customer ${id} was deleted`);
        if (existing === undefined) {
          customerIndex = s.addCustomer({ id, createdAt: nowSeconds() });
          createdCustomer = true;
        } else customerIndex = existing;
      }
      const now = nowSeconds();
      const lastNumber = s.orderCount ? s.o.id[s.orderCount - 1] - ORDER_ID_BASE : 1000;
      const journey =
        input.utm || input.landingSite || input.referringSite
          ? s.internJourney({
              firstVisit: visitFrom(input),
              lastVisit: visitFrom(input),
              daysToConversion: 0,
            })
          : -1;
      const index = s.addOrder({
        id: ORDER_ID_BASE + lastNumber + 1,
        customerIndex,
        createdAt: now,
        processedAt: input.processedAt ? Math.floor(Date.parse(input.processedAt) / 1000) : now,
        updatedAt: now,
        lineItems,
        shippingCents: input.shippingLine ? Math.round(input.shippingLine.price * 100) : 0,
        shippingTitle: input.shippingLine?.title ?? null,
        discountCode: input.discountCode
          ? {
              code: input.discountCode.code,
              type: input.discountCode.type ?? "percentage",
            }
          : null,
        journeyIndex: journey,
        sourceName: input.sourceName ?? "web",
        test: input.test ?? false,
      });
      if (customerIndex >= 0) s.c.updatedAt[customerIndex] = Math.max(s.c.updatedAt[customerIndex], now);
      if (createdCustomer) emit(shop, "customers/create", () => customerPayload(shop, customerIndex));
      const payload = orderPayload(shop, index);
      emit(shop, "orders/create", () => payload);
      if (customerIndex >= 0 && !createdCustomer)
        emit(shop, "customers/update", () => customerPayload(shop, customerIndex));
      return payload;
    },
    updateOrder(domain, orderId, input) {
      const shop = getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      const before = s.orderTotalCents(index);
      if (input.lineItems) {
        if (s.refunds.has(index)) throw new HttpError(409, "Orders with refunds cannot have their line items replaced");
        s.writeLineItems(index, lineItemsFrom(shop, input.lineItems));
      }
      if (input.discountCode !== undefined)
        s.o.discountCode[index] = input.discountCode
          ? s.internDiscountCode({
              code: input.discountCode.code,
              type: input.discountCode.type ?? "percentage",
            })
          : -1;
      if (input.shippingLine !== undefined) {
        s.o.shippingCents[index] = input.shippingLine ? Math.round(input.shippingLine.price * 100) : 0;
        s.o.shippingTitle[index] = input.shippingLine ? s.strings.intern(input.shippingLine.title) + 1 : 0;
      }
      const c = s.o.customer[index];
      if (c >= 0) s.c.spentCents[c] += s.orderTotalCents(index) - before;
      s.o.updatedAt[index] = nowSeconds();
      s.orderVersion++;
      const payload = orderPayload(shop, index);
      emit(shop, "orders/updated", () => payload);
      return payload;
    },
    cancelOrder(domain, orderId, cancelOptions = {}) {
      const shop = getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      if (s.o.cancelledAt[index]) throw new HttpError(409, `Order ${orderId} is already cancelled`);
      const reason = cancelOptions.reason ?? "CUSTOMER";
      if (!CANCEL_REASONS.includes(reason) || !reason) throw new HttpError(400, `Unknown cancel reason ${reason}`);
      const now = nowSeconds();
      if (cancelOptions.refund ?? true) {
        const lines = [];
        for (let j = s.o.lineStart[index]; j < s.o.lineStart[index] + s.o.lineCount[index]; j++) {
          if (s.l.currentQuantity[j] > 0) lines.push({ lineIndex: j, quantity: s.l.currentQuantity[j] });
        }
        if (lines.length) {
          const refund = s.addRefund(index, now, lines, "Order cancelled");
          emit(shop, "refunds/create", () => refundPayload(shop, index, refund));
        }
      }
      s.cancelOrder(index, now, reason);
      const payload = orderPayload(shop, index);
      emit(shop, "orders/cancelled", () => payload);
      emit(shop, "orders/updated", () => payload);
      return payload;
    },
    refundOrder(domain, orderId, refundOptions = {}) {
      const shop = getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      const start = s.o.lineStart[index];
      const count = s.o.lineCount[index];
      const lines = refundOptions.lineItems
        ? refundOptions.lineItems.map((l) => {
            const j = numericId(l.lineItemId, "LineItem") - LINE_ITEM_ID_BASE;
            if (j < start || j >= start + count)
              throw new HttpError(400, `Line item ${l.lineItemId} is not on order ${orderId}`);
            if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.quantity > s.l.currentQuantity[j]) {
              throw new HttpError(
                400,
                `Refund quantity for line item ${l.lineItemId} must be 1..${s.l.currentQuantity[j]}`,
              );
            }
            return { lineIndex: j, quantity: l.quantity };
          })
        : Array.from({ length: count }, (_, p) => ({
            lineIndex: start + p,
            quantity: s.l.currentQuantity[start + p],
          })).filter((l) => l.quantity > 0);
      if (lines.length === 0) throw new HttpError(409, `Order ${orderId} has nothing left to refund`);
      const refund = s.addRefund(index, nowSeconds(), lines, null);
      const payload = refundPayload(shop, index, refund);
      emit(shop, "refunds/create", () => payload);
      emit(shop, "orders/updated", () => orderPayload(shop, index));
      return payload;
    },
    redactCustomer(domain, customerId) {
      const shop = getShop(domain);
      const s = shop.store;
      const index = customerIndexOf(shop, customerId);
      const pd = s.personalData(index);
      const payload = customersRedactPayload(
        shop,
        s.c.id[index],
        pd?.email ?? null,
        pd?.phone ?? null,
        s.customerOrders(index).map((o) => s.o.id[o]),
      );
      s.redactCustomer(index, nowSeconds());
      emit(shop, "customers/redact", () => payload);
      return payload;
    },
    requestCustomerData(domain, customerId) {
      const shop = getShop(domain);
      const s = shop.store;
      const index = customerIndexOf(shop, customerId);
      const pd = s.personalData(index);
      const payload = customersDataRequestPayload(
        shop,
        s.c.id[index],
        pd?.email ?? null,
        pd?.phone ?? null,
        s.customerOrders(index).map((o) => s.o.id[o]),
      );
      emit(shop, "customers/data_request", () => payload);
      return payload;
    },
    redactShop(domain) {
      const shop = getShop(domain);
      const webhookUrl = shop.installation?.webhookUrl ?? lastWebhookUrl.get(domain);
      if (!webhookUrl) throw new HttpError(409, `The app was never installed on ${domain}`);
      // shop/redact arrives 48 hours after uninstall, so the installation is gone.
      const saved = shop.installation;
      shop.installation = saved ?? {
        accessToken: "",
        scopes: [],
        webhookUrl,
        subscriptions: lastSubscriptions.get(domain) ?? [],
        installedAt: 0,
      };
      emit(shop, "shop/redact", () => shopRedactPayload(shop));
      shop.installation = saved;
    },
    uninstall(domain) {
      const shop = installed(domain);
      emit(shop, "app/uninstalled", () => appUninstalledPayload(shop));
      lastWebhookUrl.set(domain, shop.installation!.webhookUrl);
      lastSubscriptions.set(domain, shop.installation!.subscriptions);
      shop.installation = null;
      buckets.delete(domain);
    },
    sendWebhook(domain, topic, payload, sendOptions = {}) {
      const shop = installed(domain);
      const deliveries = emit(shop, topic, () => payload, sendOptions);
      if (deliveries.length === 0) throw new HttpError(409, `The app has no subscription for ${topic} on ${domain}`);
      return deliveries;
    },
    setWebhookChaos(settings) {
      sender.setChaos(settings);
    },
    webhooksIdle: () => sender.idle(),
    deliveries: () => sender.deliveries,
    customerTags(domain, customerId) {
      const shop = getShop(domain);
      return [...shop.store.tagsOf(customerIndexOf(shop, customerId))];
    },
    metafields(domain, ownerId) {
      return [...(getShop(domain).store.metafields.get(ownerId)?.values() ?? [])];
    },
    segments: (domain) => [...getShop(domain).segments.values()],
    discounts: (domain) => [...getShop(domain).discounts.values()],
    bulkOperations: (domain) => getShop(domain).bulkOperations,
    standaloneRefunds: (domain) => standalone.get(domain) ?? [],
    orderCount: (domain) => getShop(domain).store.orderCount,
    customerCount: (domain) => getShop(domain).store.customerCount,
    callCounts: (domain) => (domain ? countsFor(domain) : counts),
    resetCounters() {
      counts = emptyCounts();
      shopCounts.clear();
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
    now: nowMs,
    shop: getShop,
  };
  const lastWebhookUrl = new Map<string, string>();
  const lastSubscriptions = new Map<string, NonNullable<Shop["installation"]>["subscriptions"]>();

  const handleControl = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = req.method === "POST" ? await readJson(req) : {};
    const path = url.pathname.slice("/_sim".length);
    const m = (pattern: RegExp) => pattern.exec(path);
    let match: RegExpExecArray | null;
    const reply = (value: unknown) => sendJson(res, 200, value ?? { ok: true });
    const b = body as Record<string, never>;
    if (req.method === "GET" && path === "/health")
      return reply({
        ok: true,
        shops: [...shops.keys()],
        apiVersion: API_VERSION,
      });
    if (req.method === "GET" && path === "/counters")
      return reply(sim.callCounts(url.searchParams.get("shop") ?? undefined));
    if (req.method === "POST" && path === "/counters/reset") return reply(sim.resetCounters());
    if (req.method === "GET" && path === "/webhooks/deliveries")
      return reply(sim.deliveries().map(({ body: _body, ...rest }) => rest));
    if (req.method === "POST" && path === "/webhooks/chaos")
      return reply(sim.setWebhookChaos(Object.keys(b).length ? (b as unknown as ChaosSettings) : null));
    if (req.method === "POST" && path === "/clock/advance") return reply(sim.advanceClock(Number(b.ms)));
    if (req.method === "POST" && path === "/shops")
      return reply(sim.createShop(b.domain, b as unknown as ShopSettings));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/install$/)))
      return reply(sim.installApp(match[1], b as unknown as InstallOptions));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/online-retail$/)))
      return reply(await sim.loadOnlineRetail(match[1], b.file));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/generate$/)))
      return reply(sim.generate(match[1], b as unknown as GenerateOptions));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/orders$/)))
      return reply(sim.createOrder(match[1], b as unknown as CreateOrderInput));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/orders\/([^/]+)\/update$/)))
      return reply(sim.updateOrder(match[1], match[2], b as unknown as UpdateOrderInput));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/orders\/([^/]+)\/cancel$/)))
      return reply(sim.cancelOrder(match[1], match[2], b));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/orders\/([^/]+)\/refund$/)))
      return reply(sim.refundOrder(match[1], match[2], b));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/customers\/([^/]+)\/redact$/)))
      return reply(sim.redactCustomer(match[1], match[2]));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/customers\/([^/]+)\/data-request$/)))
      return reply(sim.requestCustomerData(match[1], match[2]));
    if (req.method === "GET" && (match = m(/^\/shops\/([^/]+)\/customers\/([^/]+)\/tags$/)))
      return reply(sim.customerTags(match[1], match[2]));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/uninstall$/))) return reply(sim.uninstall(match[1]));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/redact$/))) return reply(sim.redactShop(match[1]));
    if (req.method === "POST" && (match = m(/^\/shops\/([^/]+)\/webhooks$/))) {
      return reply(
        sim
          .sendWebhook(match[1], b.topic, b.payload, {
            duplicate: b.duplicate,
            delayMs: b.delayMs,
          })
          .map(({ body: _body, ...rest }) => rest),
      );
    }
    if (req.method === "GET" && (match = m(/^\/shops\/([^/]+)\/state$/))) {
      const domain = match[1];
      return reply({
        orders: sim.orderCount(domain),
        customers: sim.customerCount(domain),
        segments: sim.segments(domain),
        discounts: sim.discounts(domain),
        bulkOperations: sim.bulkOperations(domain),
        appNamespace: APP_NAMESPACE,
      });
    }
    if (req.method === "GET" && (match = m(/^\/shops\/([^/]+)\/metafields$/)))
      return reply(sim.metafields(match[1], url.searchParams.get("owner") ?? ""));
    throw new HttpError(404, `Unknown control route ${req.method} ${url.pathname}`);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  sim.url = baseUrl;
  return sim;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString("utf8");
  if (!raw.trim()) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, "The request body must be JSON");
  }
}

/** Spreads an order-level discount over lines without one, proportionally to their totals. */
function allocateDiscount(lines: NewLineItem[], cents: number): void {
  const open = lines.filter((l) => !l.discountCents);
  const subtotal = open.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  if (subtotal <= 0) return;
  const total = Math.min(cents, subtotal);
  let allocated = 0;
  open.forEach((l, i) => {
    const share =
      i === open.length - 1 ? total - allocated : Math.round((total * l.quantity * l.unitPriceCents) / subtotal);
    l.discountCents = share;
    allocated += share;
  });
}

function visitFrom(input: CreateOrderInput) {
  return {
    source: input.utm?.source ?? (input.referringSite ? new URL(input.referringSite).hostname : "direct"),
    sourceType: input.utm?.medium === "email" ? "NEWSLETTER" : input.utm ? "AD" : null,
    utmSource: input.utm?.source ?? null,
    utmMedium: input.utm?.medium ?? null,
    utmCampaign: input.utm?.campaign ?? null,
    referrerUrl: input.referringSite ?? null,
    landingPage: input.landingSite ?? null,
  };
}

export { gid, enumToTopic };
