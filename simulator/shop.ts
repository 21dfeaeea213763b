// Everything the simulator knows about one shop besides its customers and
// orders: settings, the installed app, and app-owned resources (segments,
// discounts, webhook subscriptions, metafield definitions, bulk operations).
import { IdSpace } from "./ids";
import type { AppSubscriptionRecord } from "./resources/billing/model";
import { ShopStore } from "./store";

export interface ShopSettings {
  timezone: string;
  currency: string;
  name?: string;
  plan?: string;
}

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string; // GraphQL enum form, e.g. ORDERS_CREATE
  uri: string;
  filter: string | null;
  includeFields: string[];
  createdAt: number;
  updatedAt: number;
}

export interface Installation {
  accessToken: string;
  /** Expiring offline tokens: when the access token stops working (simulated ms), and the refresh token. */
  accessTokenExpiresAt?: number;
  refreshToken?: string;
  scopes: string[];
  webhookUrl: string;
  subscriptions: WebhookSubscriptionRecord[];
  installedAt: number;
}

export interface SegmentRecord {
  id: number;
  name: string;
  query: string;
  creationDate: number;
  lastEditDate: number;
}

/** Who may use a discount (DiscountContextInput): everyone, listed customers or segments. */
export type DiscountContextRecord =
  { kind: "all" } | { kind: "customers"; customerIds: number[] } | { kind: "segments"; segmentIds: number[] };

export interface DiscountRecord {
  id: number;
  kind: "automatic" | "code";
  title: string;
  code: string | null;
  /** The registered app function backing the discount (see registerAppFunction). */
  functionId: string;
  functionHandle: string;
  startsAt: number;
  endsAt: number | null;
  discountClasses: string[];
  combinesWith: {
    orderDiscounts: boolean;
    productDiscounts: boolean;
    shippingDiscounts: boolean;
  };
  appliesOncePerCustomer: boolean;
  usageLimit: number | null;
  appliesOnOneTimePurchase: boolean;
  appliesOnSubscription: boolean;
  recurringCycleLimit: number;
  context: DiscountContextRecord;
  // Its metafields live with the others, under the discount node's GID.
  createdAt: number;
  updatedAt: number;
}

export interface MetafieldDefinitionRecord {
  id: number;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  ownerType: string;
  type: string;
}

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING";

export interface BulkOperationRecord {
  id: number;
  type: "QUERY" | "MUTATION";
  status: BulkStatus;
  query: string;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  filePath: string | null;
  errorCode: string | null;
  cancelRequested: boolean;
  /** bulkOperationRunQuery(groupObjects:): child lines right after their parent, or anywhere. */
  groupObjects: boolean;
}

export class Shop {
  readonly store = new ShopStore();
  installation: Installation | null = null;
  readonly segments = new Map<number, SegmentRecord>();
  readonly discounts = new Map<number, DiscountRecord>();
  readonly metafieldDefinitions: MetafieldDefinitionRecord[] = [];
  readonly bulkOperations: BulkOperationRecord[] = [];
  /** App subscriptions (Billing API), oldest first. */
  readonly subscriptions: AppSubscriptionRecord[] = [];
  readonly createdAt: number;
  updatedAt: number;

  constructor(
    /** The shop's local id (shown as ids.external(id)). */
    readonly id: number,
    readonly domain: string,
    readonly settings: Required<ShopSettings>,
    createdAt: number,
    /** How the shop's resource ids are shown (base + local id). */
    readonly ids: IdSpace = new IdSpace(),
  ) {
    this.createdAt = createdAt;
    this.updatedAt = createdAt;
  }
}
