// Public types of the simulator: start options, control-method inputs and the
// Simulator interface (the programmatic control surface).
import type { IdInput } from "./control/lookup";
import type { GenerateOptions, GenerateSummary } from "./generator";
import type { ChargeAnswer, LapseStatus } from "./resources/billing/control";
import type { AppSubscriptionRecord } from "./resources/billing/model";
import type { AppFunctionInput, AppFunctionRecord } from "./resources/discounts/functions";
import type { CallCounts } from "./graphql-handler";
import type { OnlineRetailSummary, StandaloneRefund } from "./online-retail";
import type { customersDataRequestPayload, customersRedactPayload } from "./resources/customers/payloads";
import type { orderPayload } from "./resources/orders/payloads";
import type { refundPayload } from "./resources/refunds";
import type { BulkOperationRecord, DiscountRecord, SegmentRecord, Shop, ShopSettings } from "./shop";
import type { CancelReason, MetafieldRecord } from "./store";
import type { ChaosSettings, Delivery, SendOptions } from "./webhooks";

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
  /**
   * The largest file the staged upload target accepts (a bulk mutation's
   * JSONL): Shopify's is 20 MiB (20,971,520 bytes), and a larger file gets
   * S3's 400 EntityTooLarge. Tests lower it to see files split.
   */
  maxUploadBytes?: number;
  /** Shopify sends customers/update when tags change; benchmarks may switch it off. */
  tagWritesSendCustomerUpdate?: boolean;
  /** Where bulk results and uploads go; a fresh temp dir by default (removed on close). */
  workDir?: string;
}

export interface CreateShopOptions {
  /**
   * Added to every resource id the shop shows (GIDs, REST ids). Digits, a
   * bigint or a safe integer; with a base above 2^53 - 10^13 the shop's ids
   * exceed Number.MAX_SAFE_INTEGER, as real Shopify ids may.
   */
  idBase?: string | bigint | number;
}

/** What updateShop may change (as the merchant would in Settings). */
export interface ShopUpdate {
  timezone?: string;
  currency?: string;
  name?: string;
}

export interface InstallOptions {
  accessToken: string;
  /**
   * An expiring offline token (Shopify's `expiring=1` offline grant): the
   * access token lives `expiresInSeconds` (Shopify: 3600) and the app gets a
   * new one from POST /admin/oauth/access_token with grant_type=refresh_token.
   */
  expiring?: { refreshToken: string; expiresInSeconds?: number };
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
  customerId?: IdInput | null;
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

export type OrderPayload = ReturnType<typeof orderPayload>;
export type RefundPayload = ReturnType<typeof refundPayload>;

export interface Simulator {
  url: string;
  close(): Promise<void>;
  createShop(domain: string, settings: ShopSettings, options?: CreateShopOptions): void;
  /** Changes the shop and sends shop/update with the REST shop payload. */
  updateShop(domain: string, changes: ShopUpdate): void;
  installApp(domain: string, options: InstallOptions): void;
  loadOnlineRetail(domain: string, file: string): Promise<OnlineRetailSummary>;
  generate(domain: string, options: GenerateOptions): GenerateSummary;
  createOrder(domain: string, input: CreateOrderInput): OrderPayload;
  updateOrder(domain: string, orderId: IdInput, input: UpdateOrderInput): OrderPayload;
  cancelOrder(domain: string, orderId: IdInput, options?: { reason?: CancelReason; refund?: boolean }): OrderPayload;
  refundOrder(
    domain: string,
    orderId: IdInput,
    options?: {
      lineItems?: { lineItemId: IdInput; quantity: number }[];
      /** Also refund the remaining shipping (RefundInput.shipping.fullRefund). */
      shipping?: boolean;
    },
  ): RefundPayload;
  redactCustomer(domain: string, customerId: IdInput): ReturnType<typeof customersRedactPayload>;
  requestCustomerData(domain: string, customerId: IdInput): ReturnType<typeof customersDataRequestPayload>;
  redactShop(domain: string): void;
  uninstall(domain: string): void;
  /** The merchant approves a pending charge (the latest one without an id): ACTIVE, app_subscriptions/update. */
  approveSubscription(domain: string, subscriptionId?: IdInput): ChargeAnswer;
  /** The merchant declines a pending charge: DECLINED, app_subscriptions/update. */
  declineSubscription(domain: string, subscriptionId?: IdInput): ChargeAnswer;
  /** Non-payment (FROZEN), no approval within two days (EXPIRED) or cancellation (CANCELLED), with the webhook. */
  lapseSubscription(domain: string, subscriptionId: IdInput, status: LapseStatus): AppSubscriptionRecord;
  /** A FROZEN subscription is paid again: ACTIVE. */
  resumeSubscription(domain: string, subscriptionId: IdInput): AppSubscriptionRecord;
  subscriptions(domain: string): AppSubscriptionRecord[];
  /**
   * Releases one of the app's Functions (what \`shopify app deploy\` does for an
   * extension), app-wide: discount mutations resolve functionHandle against it.
   */
  registerAppFunction(input: AppFunctionInput): AppFunctionRecord;
  appFunctions(): AppFunctionRecord[];
  sendWebhook(domain: string, topic: string, payload: unknown, options?: SendOptions): Delivery[];
  setWebhookChaos(settings: ChaosSettings | null): void;
  webhooksIdle(): Promise<void>;
  deliveries(): Delivery[];
  customerTags(domain: string, customerId: IdInput): string[];
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
