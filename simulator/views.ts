// GraphQL views over the store. Each view exposes Shopify's field names as
// getters or methods; the simulator's default field resolver reads them and
// answers any field a view does not define with an error naming it.
import { GraphQLError } from "graphql";
import {
  arraySequence,
  checkPageArgs,
  identitySequence,
  paginate,
  parseSearchQuery,
  searchPredicate,
  sortedSequence,
  type ConnectionArgs,
} from "./connections.js";
import type { BulkOperationRecord, DiscountRecord, SegmentRecord, Shop, WebhookSubscriptionRecord } from "./shop.js";
import {
  CANCEL_REASONS,
  LINE_ITEM_ID_BASE,
  MARKETING_STATES,
  ORDER_ID_BASE,
  SOURCE_NAMES,
  type MetafieldRecord,
  type RefundRecord,
  type ShopStore,
  type Visit,
} from "./store.js";
import { gid, isoFromSeconds, moneyBag, moneyV2, parseGid, resolveNamespace } from "./util.js";

export interface ViewContext {
  shop: Shop;
  /** Current simulated time in seconds. */
  nowSeconds: number;
  /** True inside a bulk operation: connections need no first/last. */
  bulk: boolean;
  /** Public base URL of the simulator (for bulk result URLs). */
  baseUrl: string;
}

const SIXTY_DAYS = 60 * 24 * 3600;

function sequenceCache(store: ShopStore) {
  const cache =
    (
      store as unknown as {
        __seq?: Map<string, { version: number; seq: ReturnType<typeof sortedSequence> }>;
      }
    ).__seq ?? new Map();
  (store as unknown as { __seq: typeof cache }).__seq = cache;
  return cache;
}

function orderedRows(
  store: ShopStore,
  resource: "orders" | "customers",
  sortKey: string,
): {
  length: number;
  at: (p: number) => number;
  positionOf: (row: number) => number;
} {
  const count = resource === "orders" ? store.orderCount : store.customerCount;
  const cols = resource === "orders" ? store.o : store.c;
  const idsAscending = resource === "orders" ? store.orderIdsAscending : store.customerIdsAscending;
  let key: ((row: number) => number) | null;
  switch (sortKey) {
    case "ID":
      key = idsAscending ? null : (row) => cols.id[row];
      break;
    case "CREATED_AT":
      key = (row) => cols.createdAt[row];
      break;
    case "UPDATED_AT":
      key = (row) => cols.updatedAt[row];
      break;
    case "PROCESSED_AT":
      if (resource !== "orders") throw unsupported(`sortKey ${sortKey} on ${resource}`);
      key = (row) => store.o.processedAt[row];
      break;
    default:
      throw unsupported(`sortKey ${sortKey} on ${resource}`);
  }
  if (!key) return identitySequence(count);
  const cache = sequenceCache(store);
  const name = `${resource}:${sortKey}`;
  const version = resource === "orders" ? store.orderVersion : store.customerVersion;
  const hit = cache.get(name);
  if (hit && hit.version === version) return hit.seq;
  const seq = sortedSequence(count, key);
  cache.set(name, { version, seq });
  return seq;
}

function unsupported(what: string): GraphQLError {
  return new GraphQLError(`The Shopify simulator does not implement ${what}`, {
    extensions: { code: "NOT_IMPLEMENTED_IN_SIMULATOR" },
  });
}

/** Orders visible to the app: without read_all_orders, only the last 60 days. */
export function orderVisibility(ctx: ViewContext): (row: number) => boolean {
  const scopes = ctx.shop.installation?.scopes ?? [];
  if (scopes.includes("read_all_orders")) return () => true;
  const cutoff = ctx.nowSeconds - SIXTY_DAYS;
  const processed = ctx.shop.store.o.processedAt;
  return (row) => processed[row] >= cutoff;
}

export function orderFilter(ctx: ViewContext, query: string | null | undefined): (row: number) => boolean {
  const s = ctx.shop.store;
  const visible = orderVisibility(ctx);
  const search = searchPredicate(
    parseSearchQuery(query),
    {
      updated_at: (r) => s.o.updatedAt[r],
      created_at: (r) => s.o.createdAt[r],
      processed_at: (r) => s.o.processedAt[r],
      id: (r) => s.o.id[r],
      customer_id: (r) => (s.o.customer[r] >= 0 ? s.c.id[s.o.customer[r]] : -1),
      status: (r) => (s.o.cancelledAt[r] ? "cancelled" : "open"),
      test: (r) => (s.o.test[r] ? "true" : "false"),
    },
    "orders",
  );
  return (row) => visible(row) && search(row);
}

export function customerFilter(ctx: ViewContext, query: string | null | undefined): (row: number) => boolean {
  const s = ctx.shop.store;
  const search = searchPredicate(
    parseSearchQuery(query),
    {
      updated_at: (r) => s.c.updatedAt[r],
      created_at: (r) => s.c.createdAt[r],
      id: (r) => s.c.id[r],
      tag: (r) => s.tagsOf(r),
      orders_count: (r) => s.c.orders[r],
    },
    "customers",
  );
  return (row) => !s.isDeleted(row) && search(row);
}

export function rootSequence(ctx: ViewContext, resource: "orders" | "customers", args: ConnectionArgs) {
  return orderedRows(ctx.shop.store, resource, args.sortKey ?? "ID");
}

// --- Shop -----------------------------------------------------------------

export class ShopView {
  constructor(private readonly _ctx: ViewContext) {}
  private get _shop() {
    return this._ctx.shop;
  }
  get id() {
    return gid("Shop", this._shop.id);
  }
  get name() {
    return this._shop.settings.name;
  }
  get myshopifyDomain() {
    return this._shop.domain;
  }
  get ianaTimezone() {
    return this._shop.settings.timezone;
  }
  get currencyCode() {
    return this._shop.settings.currency;
  }
  get email() {
    return `owner@${this._shop.domain}`;
  }
  get contactEmail() {
    return `support@${this._shop.domain}`;
  }
  get createdAt() {
    return isoFromSeconds(this._shop.createdAt);
  }
  get plan() {
    const name = this._shop.settings.plan;
    return {
      displayName: name,
      publicDisplayName: name,
      partnerDevelopment: name === "Development",
      shopifyPlus: name === "Shopify Plus",
    };
  }
}

// --- Customers ------------------------------------------------------------

export class CustomerView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _i: number,
  ) {}
  private get _s() {
    return this._ctx.shop.store;
  }
  private get _pd() {
    return this._s.personalData(this._i);
  }
  get __typename() {
    return "Customer";
  }
  get id() {
    return gid("Customer", this._s.c.id[this._i]);
  }
  get legacyResourceId() {
    return String(this._s.c.id[this._i]);
  }
  get createdAt() {
    return isoFromSeconds(this._s.c.createdAt[this._i]);
  }
  get updatedAt() {
    return isoFromSeconds(this._s.c.updatedAt[this._i]);
  }
  get tags() {
    return [...this._s.tagsOf(this._i)];
  }
  get numberOfOrders() {
    return String(this._s.c.orders[this._i]);
  }
  get amountSpent() {
    return moneyV2(this._s.c.spentCents[this._i], this._ctx.shop.settings.currency);
  }
  get state() {
    return "ENABLED";
  }
  get verifiedEmail() {
    return true;
  }
  get taxExempt() {
    return false;
  }
  get locale() {
    return "en";
  }
  get note() {
    return null;
  }
  get emailMarketingConsent() {
    const state = MARKETING_STATES[this._s.c.marketing[this._i]];
    return {
      marketingState: state,
      marketingOptInLevel: state === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null,
      consentUpdatedAt: state === "NOT_SUBSCRIBED" ? null : this.createdAt,
    };
  }
  get firstName() {
    return this._pd?.firstName ?? null;
  }
  get lastName() {
    return this._pd?.lastName ?? null;
  }
  get displayName() {
    const pd = this._pd;
    return pd ? `${pd.firstName} ${pd.lastName}` : "Redacted customer";
  }
  get email() {
    return this._pd?.email ?? null;
  }
  get phone() {
    return this._pd?.phone ?? null;
  }
  get defaultEmailAddress() {
    const pd = this._pd;
    if (!pd) return null;
    const consent = this.emailMarketingConsent;
    return {
      emailAddress: pd.email,
      marketingState: consent.marketingState === "REDACTED" ? "NOT_SUBSCRIBED" : consent.marketingState,
      marketingOptInLevel: consent.marketingOptInLevel,
      marketingUpdatedAt: consent.consentUpdatedAt,
      validFormat: true,
    };
  }
  get defaultAddress() {
    const pd = this._pd;
    if (!pd) return null;
    return {
      id: gid("MailingAddress", this._s.c.id[this._i]),
      firstName: pd.firstName,
      lastName: pd.lastName,
      name: `${pd.firstName} ${pd.lastName}`,
      address1: pd.address1,
      address2: null,
      city: pd.city,
      zip: pd.zip,
      country: pd.country,
      phone: pd.phone,
      company: null,
      province: null,
    };
  }
  get lastOrder() {
    const last = this._s.c.lastOrder[this._i];
    return last >= 0 ? new OrderView(this._ctx, last) : null;
  }
  orders(args: ConnectionArgs) {
    checkPageArgs(args, "orders", this._ctx.bulk);
    if (args.sortKey && args.sortKey !== "ID" && args.sortKey !== "PROCESSED_AT" && args.sortKey !== "CREATED_AT") {
      throw unsupported(`sortKey ${args.sortKey} on Customer.orders`);
    }
    const rows = this._s.customerOrders(this._i);
    return paginate(
      arraySequence(rows),
      orderFilter(this._ctx, args.query),
      args,
      (row) => new OrderView(this._ctx, row),
    );
  }
  metafield(args: { namespace?: string | null; key: string }) {
    return metafieldOf(this._ctx, this.id, args.namespace ?? null, args.key);
  }
  metafields(
    args: ConnectionArgs & {
      namespace?: string | null;
      keys?: string[] | null;
    },
  ) {
    return metafieldsOf(this._ctx, this.id, args);
  }
}

// --- Metafields -----------------------------------------------------------

export function metafieldView(record: MetafieldRecord, ownerType: string) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", record.id),
    legacyResourceId: String(record.id),
    namespace: record.namespace,
    key: record.key,
    type: record.type,
    value: record.value,
    get jsonValue() {
      if (record.type === "json" || record.type.startsWith("list.")) return JSON.parse(record.value);
      if (record.type === "number_integer" || record.type === "number_decimal") return Number(record.value);
      if (record.type === "boolean") return record.value === "true";
      return record.value;
    },
    compareDigest: Buffer.from(`${record.id}:${record.updatedAt}`).toString("base64"),
    createdAt: isoFromSeconds(record.createdAt),
    updatedAt: isoFromSeconds(record.updatedAt),
    ownerType,
    description: null,
  };
}

function metafieldOf(ctx: ViewContext, ownerGid: string, namespace: string | null, key: string) {
  const map = ctx.shop.store.metafields.get(ownerGid);
  const record = map?.get(`${resolveNamespace(namespace)}.${key}`);
  return record ? metafieldView(record, parseGid(ownerGid)!.type.toUpperCase()) : null;
}

function metafieldsOf(
  ctx: ViewContext,
  ownerGid: string,
  args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null },
) {
  checkPageArgs(args, "metafields", ctx.bulk);
  const records = [...(ctx.shop.store.metafields.get(ownerGid)?.values() ?? [])].filter(
    (r) =>
      (!args.namespace || r.namespace === resolveNamespace(args.namespace)) &&
      (!args.keys || args.keys.includes(`${r.namespace}.${r.key}`)),
  );
  const ownerType = parseGid(ownerGid)!.type.toUpperCase();
  return paginate(
    identitySequence(records.length),
    () => true,
    args,
    (p) => metafieldView(records[p], ownerType),
  );
}

// --- Orders ---------------------------------------------------------------

function visitView(visit: Visit, occurredAt: number, id: number) {
  const hasUtm = visit.utmSource || visit.utmMedium || visit.utmCampaign;
  return {
    id: gid("CustomerVisit", id),
    source: visit.source,
    sourceType: visit.sourceType,
    sourceDescription: null,
    landingPage: visit.landingPage,
    referrerUrl: visit.referrerUrl,
    referralCode: null,
    occurredAt: isoFromSeconds(occurredAt),
    marketingEvent: null,
    utmParameters: hasUtm
      ? {
          source: visit.utmSource,
          medium: visit.utmMedium,
          campaign: visit.utmCampaign,
          content: null,
          term: null,
        }
      : null,
  };
}

export class OrderView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _i: number,
  ) {}
  private get _s() {
    return this._ctx.shop.store;
  }
  private get _cur() {
    return this._ctx.shop.settings.currency;
  }
  private _money(cents: number) {
    return moneyBag(cents, this._cur);
  }
  get __typename() {
    return "Order";
  }
  get id() {
    return gid("Order", this._s.o.id[this._i]);
  }
  get legacyResourceId() {
    return String(this._s.o.id[this._i]);
  }
  get name() {
    return `#${this._s.o.id[this._i] - ORDER_ID_BASE}`;
  }
  get number() {
    return this._s.o.id[this._i] - ORDER_ID_BASE;
  }
  get createdAt() {
    return isoFromSeconds(this._s.o.createdAt[this._i]);
  }
  get updatedAt() {
    return isoFromSeconds(this._s.o.updatedAt[this._i]);
  }
  get processedAt() {
    return isoFromSeconds(this._s.o.processedAt[this._i]);
  }
  get cancelledAt() {
    const at = this._s.o.cancelledAt[this._i];
    return at ? isoFromSeconds(at) : null;
  }
  get cancelReason() {
    return CANCEL_REASONS[this._s.o.cancelReason[this._i]] || null;
  }
  get closed() {
    return this._s.o.cancelledAt[this._i] !== 0;
  }
  get confirmed() {
    return true;
  }
  get currencyCode() {
    return this._cur;
  }
  get presentmentCurrencyCode() {
    return this._cur;
  }
  get test() {
    return this._s.o.test[this._i] === 1;
  }
  get sourceName() {
    return SOURCE_NAMES[this._s.o.source[this._i]];
  }
  get tags() {
    return [];
  }
  get note() {
    return null;
  }
  get taxesIncluded() {
    return true;
  }
  get fullyPaid() {
    return true;
  }
  get unpaid() {
    return false;
  }
  get customer() {
    const c = this._s.o.customer[this._i];
    return c >= 0 && !this._s.isDeleted(c) ? new CustomerView(this._ctx, c) : null;
  }
  private get _pd() {
    const c = this._s.o.customer[this._i];
    return c >= 0 ? this._s.personalData(c) : null;
  }
  get email() {
    return this._pd?.email ?? null;
  }
  get phone() {
    return this._pd?.phone ?? null;
  }
  get shippingAddress() {
    return this.customer?.defaultAddress ?? null;
  }
  get billingAddress() {
    return this.shippingAddress;
  }
  get displayFinancialStatus() {
    const refunded = this._s.o.refundedCents[this._i];
    if (refunded === 0) return "PAID";
    return refunded >= this._s.orderTotalCents(this._i) ? "REFUNDED" : "PARTIALLY_REFUNDED";
  }
  get displayFulfillmentStatus() {
    return "FULFILLED";
  }
  get subtotalLineItemsQuantity() {
    let total = 0;
    this._lines((j) => (total += this._s.l.quantity[j]));
    return total;
  }
  get currentSubtotalLineItemsQuantity() {
    let total = 0;
    this._lines((j) => (total += this._s.l.currentQuantity[j]));
    return total;
  }
  private _lines(visit: (j: number) => void) {
    const start = this._s.o.lineStart[this._i];
    const end = start + this._s.o.lineCount[this._i];
    for (let j = start; j < end; j++) visit(j);
  }
  get subtotalPriceSet() {
    return this._money(this._s.o.subtotalCents[this._i] - this._s.o.discountCents[this._i]);
  }
  get currentSubtotalPriceSet() {
    return this._money(
      this._s.o.subtotalCents[this._i] - this._s.o.discountCents[this._i] - this._s.o.refundedCents[this._i],
    );
  }
  get totalDiscountsSet() {
    return this._money(this._s.o.discountCents[this._i]);
  }
  get currentTotalDiscountsSet() {
    return this.totalDiscountsSet;
  }
  get cartDiscountAmountSet() {
    return this.totalDiscountsSet;
  }
  get totalPriceSet() {
    return this._money(this._s.orderTotalCents(this._i));
  }
  get originalTotalPriceSet() {
    return this.totalPriceSet;
  }
  get currentTotalPriceSet() {
    return this._money(this._s.orderCurrentTotalCents(this._i));
  }
  get totalRefundedSet() {
    return this._money(this._s.o.refundedCents[this._i]);
  }
  get totalShippingPriceSet() {
    return this._money(this._s.o.shippingCents[this._i]);
  }
  get currentShippingPriceSet() {
    return this.totalShippingPriceSet;
  }
  get totalTaxSet() {
    return this._money(0);
  }
  get currentTotalTaxSet() {
    return this._money(0);
  }
  get totalReceivedSet() {
    return this.totalPriceSet;
  }
  get netPaymentSet() {
    return this.currentTotalPriceSet;
  }
  get discountCode() {
    const d = this._s.o.discountCode[this._i];
    return d >= 0 ? this._s.discountCodes[d].code : null;
  }
  get discountCodes() {
    const code = this.discountCode;
    return code ? [code] : [];
  }
  private _discountApplication() {
    const d = this._s.o.discountCode[this._i];
    if (d < 0) return null;
    const info = this._s.discountCodes[d];
    const subtotal = this._s.o.subtotalCents[this._i];
    const discount = this._s.o.discountCents[this._i];
    return {
      __typename: "DiscountCodeApplication",
      code: info.code,
      index: 0,
      allocationMethod: "ACROSS",
      targetSelection: "ALL",
      targetType: "LINE_ITEM",
      value:
        info.type === "percentage"
          ? {
              __typename: "PricingPercentageValue",
              percentage: subtotal ? Math.round((discount / subtotal) * 1000) / 10 : 0,
            }
          : { __typename: "MoneyV2", ...moneyV2(discount, this._cur) },
    };
  }
  discountApplications(args: ConnectionArgs) {
    checkPageArgs(args, "discountApplications", this._ctx.bulk);
    const app = this._discountApplication();
    const list = app ? [app] : [];
    return paginate(
      identitySequence(list.length),
      () => true,
      args,
      (p) => list[p],
    );
  }
  lineItems(args: ConnectionArgs) {
    checkPageArgs(args, "lineItems", this._ctx.bulk);
    const start = this._s.o.lineStart[this._i];
    const count = this._s.o.lineCount[this._i];
    return paginate(
      identitySequence(count),
      () => true,
      args,
      (p) => new LineItemView(this._ctx, this._i, start + p, this._discountApplication()),
    );
  }
  private _shippingLine() {
    const title = this._s.o.shippingTitle[this._i];
    if (title === 0) return null;
    const name = this._s.strings.get(title - 1);
    const price = this._money(this._s.o.shippingCents[this._i]);
    return {
      id: gid("ShippingLine", this._s.o.id[this._i]),
      title: name,
      code: name,
      source: "shopify",
      carrierIdentifier: null,
      custom: false,
      isRemoved: false,
      originalPriceSet: price,
      discountedPriceSet: price,
      currentDiscountedPriceSet: price,
      discountAllocations: [],
      taxLines: [],
    };
  }
  get shippingLine() {
    return this._shippingLine();
  }
  shippingLines(args: ConnectionArgs) {
    checkPageArgs(args, "shippingLines", this._ctx.bulk);
    const line = this._shippingLine();
    const list = line ? [line] : [];
    return paginate(
      identitySequence(list.length),
      () => true,
      args,
      (p) => list[p],
    );
  }
  refunds(args: { first?: number | null }) {
    const list = this._s.refunds.get(this._i) ?? [];
    const limited = args.first != null ? list.slice(0, args.first) : list;
    return limited.map((refund) => new RefundView(this._ctx, this._i, refund));
  }
  get customerJourneySummary() {
    const j = this._s.o.journey[this._i];
    if (j < 0) return null;
    const journey = this._s.journeys[j];
    const processed = this._s.o.processedAt[this._i];
    const id = this._s.o.id[this._i];
    const firstAt = processed - journey.daysToConversion * 86400;
    return {
      ready: true,
      daysToConversion: journey.daysToConversion,
      customerOrderIndex: null,
      firstVisit: visitView(journey.firstVisit, firstAt, id * 2),
      lastVisit: visitView(journey.lastVisit, processed - 600, id * 2 + 1),
      momentsCount: {
        count: journey.daysToConversion > 0 ? 2 : 1,
        precision: "EXACT",
      },
    };
  }
  get landingPageUrl() {
    const j = this._s.o.journey[this._i];
    return j >= 0 ? this._s.journeys[j].lastVisit.landingPage : null;
  }
  get referrerUrl() {
    const j = this._s.o.journey[this._i];
    return j >= 0 ? this._s.journeys[j].lastVisit.referrerUrl : null;
  }
}

export class LineItemView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _order: number,
    private readonly _j: number,
    private readonly _application: unknown,
  ) {}
  private get _s() {
    return this._ctx.shop.store;
  }
  private get _product() {
    return this._s.products[this._s.l.product[this._j]];
  }
  private _money(cents: number) {
    return moneyBag(cents, this._ctx.shop.settings.currency);
  }
  get id() {
    return gid("LineItem", LINE_ITEM_ID_BASE + this._j);
  }
  get name() {
    return this._product.title;
  }
  get title() {
    return this._product.title;
  }
  get sku() {
    return this._product.sku;
  }
  get vendor() {
    return this._product.vendor;
  }
  get variantTitle() {
    return null;
  }
  get quantity() {
    return this._s.l.quantity[this._j];
  }
  get currentQuantity() {
    return this._s.l.currentQuantity[this._j];
  }
  get refundableQuantity() {
    return this._s.l.currentQuantity[this._j];
  }
  get requiresShipping() {
    return true;
  }
  get taxable() {
    return true;
  }
  get isGiftCard() {
    return false;
  }
  get product() {
    const p = this._product;
    return {
      id: gid("Product", p.id),
      legacyResourceId: String(p.id),
      title: p.title,
      productType: p.productType,
      vendor: p.vendor,
      handle: p.sku.toLowerCase(),
    };
  }
  get variant() {
    const p = this._product;
    return {
      id: gid("ProductVariant", p.variantId),
      legacyResourceId: String(p.variantId),
      title: "Default Title",
      displayName: `${p.title} - Default Title`,
      sku: p.sku,
      price: (this._s.l.unitPriceCents[this._j] / 100).toFixed(2),
      product: this.product,
    };
  }
  get originalUnitPriceSet() {
    return this._money(this._s.l.unitPriceCents[this._j]);
  }
  get discountedUnitPriceSet() {
    const q = this._s.l.quantity[this._j];
    return this._money(this._s.l.unitPriceCents[this._j] - (q > 0 ? this._s.l.discountCents[this._j] / q : 0));
  }
  get discountedUnitPriceAfterAllDiscountsSet() {
    return this.discountedUnitPriceSet;
  }
  get originalTotalSet() {
    return this._money(this._s.l.unitPriceCents[this._j] * this._s.l.quantity[this._j]);
  }
  discountedTotalSet() {
    return this._money(
      this._s.l.unitPriceCents[this._j] * this._s.l.quantity[this._j] - this._s.l.discountCents[this._j],
    );
  }
  get totalDiscountSet() {
    return this._money(this._s.l.discountCents[this._j]);
  }
  get discountAllocations() {
    const amount = this._s.l.discountCents[this._j];
    if (!amount || !this._application) return [];
    const cur = this._ctx.shop.settings.currency;
    return [
      {
        allocatedAmountSet: moneyBag(amount, cur),
        allocatedAmount: moneyV2(amount, cur),
        discountApplication: this._application,
      },
    ];
  }
}

export class RefundView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _order: number,
    private readonly _refund: RefundRecord,
  ) {}
  get id() {
    return gid("Refund", this._refund.id);
  }
  get legacyResourceId() {
    return String(this._refund.id);
  }
  get createdAt() {
    return isoFromSeconds(this._refund.createdAt);
  }
  get processedAt() {
    return this.createdAt;
  }
  get updatedAt() {
    return this.createdAt;
  }
  get note() {
    return this._refund.note;
  }
  get order() {
    return new OrderView(this._ctx, this._order);
  }
  get totalRefundedSet() {
    return moneyBag(this._refund.totalCents, this._ctx.shop.settings.currency);
  }
  get totalRefunded() {
    return moneyV2(this._refund.totalCents, this._ctx.shop.settings.currency);
  }
  refundLineItems(args: ConnectionArgs) {
    checkPageArgs(args, "refundLineItems", this._ctx.bulk);
    const lines = this._refund.lines;
    const cur = this._ctx.shop.settings.currency;
    const s = this._ctx.shop.store;
    return paginate(
      identitySequence(lines.length),
      () => true,
      args,
      (p) => {
        const line = lines[p];
        return {
          id: gid("RefundLineItem", this._refund.id * 100 + p),
          quantity: line.quantity,
          restockType: "RETURN",
          restocked: true,
          lineItem: new LineItemView(this._ctx, this._order, line.lineIndex, null),
          priceSet: moneyBag(s.l.unitPriceCents[line.lineIndex], cur),
          subtotalSet: moneyBag(line.subtotalCents, cur),
          totalTaxSet: moneyBag(0, cur),
        };
      },
    );
  }
}

// --- App-owned resources --------------------------------------------------

export function segmentView(segment: SegmentRecord) {
  return {
    __typename: "Segment",
    id: gid("Segment", segment.id),
    name: segment.name,
    query: segment.query,
    creationDate: isoFromSeconds(segment.creationDate),
    lastEditDate: isoFromSeconds(segment.lastEditDate),
  };
}

function discountStatus(d: DiscountRecord, now: number) {
  if (d.startsAt > now) return "SCHEDULED";
  if (d.endsAt !== null && d.endsAt <= now) return "EXPIRED";
  return "ACTIVE";
}

export function discountView(ctx: ViewContext, d: DiscountRecord) {
  const common = {
    discountId: gid(d.kind === "code" ? "DiscountCodeNode" : "DiscountAutomaticNode", d.id),
    title: d.title,
    startsAt: isoFromSeconds(d.startsAt),
    endsAt: d.endsAt === null ? null : isoFromSeconds(d.endsAt),
    createdAt: isoFromSeconds(d.createdAt),
    updatedAt: isoFromSeconds(d.updatedAt),
    status: discountStatus(d, ctx.nowSeconds),
    combinesWith: d.combinesWith,
    discountClasses: d.discountClasses,
    discountClass: d.discountClasses[0] ?? "ORDER",
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
    asyncUsageCount: 0,
    recurringCycleLimit: 0,
    appDiscountType: {
      functionId: d.functionId ?? "",
      title: d.title,
      appKey: "simulated-app",
      description: null,
      discountClasses: d.discountClasses,
      discountClass: d.discountClasses[0] ?? "ORDER",
      targetType: "LINE_ITEM",
    },
  };
  if (d.kind === "automatic") return { __typename: "DiscountAutomaticApp", ...common };
  return {
    __typename: "DiscountCodeApp",
    ...common,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    usageLimit: d.usageLimit,
    codesCount: { count: d.code ? 1 : 0, precision: "EXACT" },
    codes: (args: ConnectionArgs) => {
      checkPageArgs(args, "codes", ctx.bulk);
      const list = d.code
        ? [
            {
              id: gid("DiscountRedeemCode", d.id),
              code: d.code,
              asyncUsageCount: 0,
            },
          ]
        : [];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => list[p],
      );
    },
  };
}

export function discountNodeView(ctx: ViewContext, d: DiscountRecord) {
  const discount = discountView(ctx, d);
  const id = discount.discountId;
  const metafields = (args: ConnectionArgs) => {
    checkPageArgs(args, "metafields", ctx.bulk);
    return paginate(
      identitySequence(d.metafields.length),
      () => true,
      args,
      (p) => ({
        ...d.metafields[p],
        id: gid("Metafield", d.id * 100 + p),
        jsonValue: d.metafields[p].type === "json" ? JSON.parse(d.metafields[p].value) : d.metafields[p].value,
      }),
    );
  };
  if (d.kind === "code")
    return {
      __typename: "DiscountCodeNode",
      id,
      codeDiscount: discount,
      metafields,
    };
  return {
    __typename: "DiscountAutomaticNode",
    id,
    automaticDiscount: discount,
    metafields,
  };
}

export function webhookSubscriptionView(sub: WebhookSubscriptionRecord) {
  return {
    __typename: "WebhookSubscription",
    id: gid("WebhookSubscription", sub.id),
    legacyResourceId: String(sub.id),
    topic: sub.topic,
    uri: sub.uri,
    callbackUrl: sub.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: sub.uri },
    filter: sub.filter,
    format: "JSON",
    includeFields: sub.includeFields,
    metafieldNamespaces: [],
    apiVersion: { handle: "2026-04", displayName: "2026-04", supported: true },
    createdAt: isoFromSeconds(sub.createdAt),
    updatedAt: isoFromSeconds(sub.updatedAt),
  };
}

export function bulkOperationView(ctx: ViewContext, op: BulkOperationRecord) {
  const done = op.status === "COMPLETED";
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", op.id),
    type: op.type,
    status: op.status,
    errorCode: op.errorCode,
    query: op.query,
    createdAt: isoFromSeconds(op.createdAt),
    completedAt: op.completedAt === null ? null : isoFromSeconds(op.completedAt),
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: done && op.fileSize !== null ? String(op.fileSize) : null,
    // Shopify answers url null when a finished operation produced no objects.
    url: done && op.objectCount > 0 ? `${ctx.baseUrl}/_sim/bulk/${op.id}.jsonl` : null,
    partialDataUrl: null,
  };
}

/** Resolves any GID the simulator knows; null for unknown ids. */
export function nodeById(ctx: ViewContext, id: string): unknown {
  const parsed = parseGid(id);
  if (!parsed)
    throw new GraphQLError(`Invalid global id '${id}'`, {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  const s = ctx.shop.store;
  switch (parsed.type) {
    case "Customer": {
      const i = s.findCustomer(parsed.id);
      return i === undefined || s.isDeleted(i) ? null : new CustomerView(ctx, i);
    }
    case "Order": {
      const i = s.findOrder(parsed.id);
      return i === undefined || !orderVisibility(ctx)(i) ? null : new OrderView(ctx, i);
    }
    case "BulkOperation": {
      const op = ctx.shop.bulkOperations.find((b) => b.id === parsed.id);
      return op ? bulkOperationView(ctx, op) : null;
    }
    case "Segment": {
      const seg = ctx.shop.segments.get(parsed.id);
      return seg ? segmentView(seg) : null;
    }
    case "DiscountCodeNode":
    case "DiscountAutomaticNode": {
      const d = ctx.shop.discounts.get(parsed.id);
      return d ? discountNodeView(ctx, d) : null;
    }
    case "Shop":
      return parsed.id === ctx.shop.id ? Object.assign(new ShopView(ctx), { __typename: "Shop" }) : null;
    case "WebhookSubscription": {
      const sub = ctx.shop.installation?.subscriptions.find((w) => w.id === parsed.id);
      return sub ? webhookSubscriptionView(sub) : null;
    }
    default:
      throw unsupported(`node lookups of type ${parsed.type}`);
  }
}
