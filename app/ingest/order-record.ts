import { sortLines, summarizeLines, withTypes, type OrderLine } from "./order-lines";
import {
  compareIds,
  date,
  isExpressShipping,
  minor,
  numericId,
  optionalDate,
  optionalId,
  optionalMinor,
  count,
  PayloadError,
  referrerDomain,
  restId,
  utmFromLandingSite,
} from "./payload-values";
import { refundFromWebhook, refundMinor } from "./refund-record";

export { numericId, PayloadError } from "./payload-values";
export type { OrderLine } from "./order-lines";

/**
 * One order as the app stores it (table "Order"): Shopify ids and behavior
 * only, line items pre-aggregated, money in minor units of the shop's
 * currency (shop money). Built from a bulk export line group or from a
 * webhook payload by the mappers below, which are the only places that know
 * Shopify's order shapes; both give identical records for the same order
 * (tests/sync/order-paths.test.ts). Pure: no I/O.
 */
export interface OrderRecord {
  id: string; // numeric Shopify id
  customerId: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  shopifyUpdatedAt: Date;
  currency: string;
  totalMinor: number;
  subtotalMinor: number | null;
  discountMinor: number | null;
  refundedMinor: number;
  fullyRefunded: boolean;
  discountCodes: string[];
  itemQuantity: number;
  lineCount: number;
  productIds: string[];
  productTypes: string[];
  avgUnitPriceMinor: number | null;
  shippingMinor: number | null;
  expressShipping: boolean | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrerDomain: string | null;
  sourceName: string | null;
  /** Shopify recorded the visit that led to the order (a landing page). */
  visitRecorded: boolean;
  /** Line items in id order, removed and returned ones included (quantity 0). */
  lines: OrderLine[];
  /** Refunds this state includes, in id order. */
  refundIds: string[];
}

type Json = Record<string, any>;
const money = (set: Json | null | undefined): unknown => set?.shopMoney?.amount;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * The journey fields: Shopify's REST order carries the visit that led to the
 * order (`landing_site`, `referring_site`), GraphQL's customerJourneySummary
 * the same visit as `lastVisit`. UTM parameters come from the landing page in
 * both, so an order reads the same whichever way it arrives.
 */
function journey(landingPage: unknown, referrerUrl: unknown, fallbackUtm?: Json | null) {
  const landing = text(landingPage);
  let utm = utmFromLandingSite(landing);
  if (!utm.source && !utm.medium && !utm.campaign && fallbackUtm) {
    utm = { source: text(fallbackUtm.source), medium: text(fallbackUtm.medium), campaign: text(fallbackUtm.campaign) };
  }
  return {
    utmSource: utm.source,
    utmMedium: utm.medium,
    utmCampaign: utm.campaign,
    referrerDomain: referrerDomain(text(referrerUrl)),
    visitRecorded: landing !== null,
  };
}

function shippingFacts(lines: Json[], shippingMinor: number | null) {
  return {
    shippingMinor,
    expressShipping: lines.length ? lines.some((line) => isExpressShipping(line.title, line.code)) : null,
  };
}

/**
 * From a bulk export (or a paged query): the order node plus its child lines
 * (`LineItem` and `ShippingLine` nodes carrying `__parentId`), in any order.
 */
export function orderFromGraphql(node: Json, children: Json[] = []): OrderRecord {
  const currency: string = node.currencyCode ?? "USD";
  const lineNodes = children.filter((child) => String(child.id ?? "").includes("/LineItem/"));
  const shippingNodes = children.filter((child) => !String(child.id ?? "").includes("/LineItem/"));
  const lines = sortLines(
    lineNodes.map((line, i) => ({
      id: numericId(line.id, `lineItems[${i}].id`),
      quantity: count(line.currentQuantity ?? line.quantity ?? 0, `lineItems[${i}].currentQuantity`),
      productId: line.product?.id ? numericId(line.product.id, `lineItems[${i}].product.id`) : null,
      productType: line.product ? (typeof line.product.productType === "string" ? line.product.productType : "") : null,
      unitPriceMinor: minor(money(line.originalUnitPriceSet), currency, `lineItems[${i}].originalUnitPriceSet`),
    })),
  );
  const total = minor(money(node.currentTotalPriceSet) ?? money(node.totalPriceSet), currency, "currentTotalPriceSet");
  const refunded = minor(money(node.totalRefundedSet), currency, "totalRefundedSet");
  const original = minor(money(node.totalPriceSet) ?? money(node.currentTotalPriceSet), currency, "totalPriceSet");
  const shippingTotal =
    money(node.totalShippingPriceSet) !== undefined
      ? minor(money(node.totalShippingPriceSet), currency, "totalShippingPriceSet")
      : shippingNodes.length
        ? shippingNodes.reduce(
            (sum, s, i) => sum + minor(money(s.originalPriceSet), currency, `shippingLines[${i}]`),
            0,
          )
        : null;
  const visit = node.customerJourneySummary?.lastVisit;
  return {
    id: numericId(node.id, "order.id"),
    customerId: node.customer?.id ? numericId(node.customer.id, "order.customer.id") : null,
    processedAt: date(node.processedAt ?? node.createdAt, "order.processedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "order.cancelledAt"),
    shopifyUpdatedAt: date(node.updatedAt, "order.updatedAt"),
    currency,
    totalMinor: total,
    subtotalMinor: optionalMinor(
      money(node.currentSubtotalPriceSet) ?? money(node.subtotalPriceSet),
      currency,
      "currentSubtotalPriceSet",
    ),
    discountMinor: optionalMinor(money(node.totalDiscountsSet), currency, "totalDiscountsSet"),
    refundedMinor: refunded,
    fullyRefunded: original > 0 && refunded >= original,
    discountCodes: list(node.discountCodes).map(String),
    ...summarizeLines(lines),
    ...shippingFacts(shippingNodes, shippingTotal),
    ...journey(visit?.landingPage, visit?.referrerUrl, visit?.utmParameters),
    sourceName: text(node.sourceName),
    lines,
    refundIds: list(node.refunds)
      .map((refund, i) => numericId(refund.id, `refunds[${i}].id`))
      .sort(compareIds),
  };
}

/**
 * The money an order payload's refunds gave back, in shop money. A refund
 * whose amounts are in no usable currency falls back to what the order
 * itself says it lost (original total less current total).
 */
function refundedOfPayload(payload: Json, currency: string, original: number, current: number): number {
  let refunded = 0;
  for (const refund of list(payload.refunds)) {
    const amount = refundMinor(refundFromWebhook({ order_id: payload.id, ...refund }), currency);
    if (amount === null) return Math.max(0, original - current);
    refunded += amount;
  }
  return refunded;
}

/** A REST amount: its set's shop money when given, else the plain field (shop currency too). */
function restAmount(payload: Json, field: string, currency: string): number | null {
  return optionalMinor(payload[`${field}_set`]?.shop_money?.amount ?? payload[field], currency, field);
}

/**
 * From an orders/create|updated|cancelled webhook (REST shape), parsed with
 * parseExactJson so ids above 2^53 are exact. Product types stay unknown
 * (null) until filled in with withProductTypes: REST line items carry none.
 */
export function orderFromWebhook(payload: Json): OrderRecord {
  if (!payload || typeof payload !== "object") throw new PayloadError("Order payload is not an object");
  const currency: string = text(payload.currency) ?? text(payload.presentment_currency) ?? "USD";
  const lines = sortLines(
    list(payload.line_items).map((line, i) => ({
      id: restId(line, `line_items[${i}].id`),
      quantity: count(line.current_quantity ?? line.quantity ?? 0, `line_items[${i}].current_quantity`),
      productId: optionalId(line.product_id, `line_items[${i}].product_id`),
      productType: typeof line.product_type === "string" ? line.product_type : null,
      unitPriceMinor: minor(line.price_set?.shop_money?.amount ?? line.price, currency, `line_items[${i}].price`),
    })),
  );
  if (payload.updated_at === undefined) throw new PayloadError("order.updated_at is missing");
  const original = restAmount(payload, "total_price", currency) ?? 0;
  const current = restAmount(payload, "current_total_price", currency) ?? original;
  const refunded = refundedOfPayload(payload, currency, original, current);
  const shippingLines = list(payload.shipping_lines);
  const shippingTotal =
    restAmount(payload, "total_shipping_price", currency) ??
    (shippingLines.length
      ? shippingLines.reduce((sum: number, s, i) => sum + minor(s.price, currency, `shipping_lines[${i}].price`), 0)
      : null);
  return {
    id: restId(payload, "order.id"),
    customerId: payload.customer ? restId(payload.customer, "order.customer.id") : null,
    processedAt: date(payload.processed_at ?? payload.created_at, "order.processed_at"),
    cancelledAt: optionalDate(payload.cancelled_at, "order.cancelled_at"),
    shopifyUpdatedAt: date(payload.updated_at, "order.updated_at"),
    currency,
    totalMinor: current,
    subtotalMinor:
      restAmount(payload, "current_subtotal_price", currency) ?? restAmount(payload, "subtotal_price", currency),
    discountMinor: restAmount(payload, "total_discounts", currency),
    refundedMinor: refunded,
    fullyRefunded: original > 0 && refunded >= original,
    discountCodes: list(payload.discount_codes)
      .map((code) => String(code.code ?? ""))
      .filter(Boolean),
    ...summarizeLines(lines),
    ...shippingFacts(shippingLines, shippingTotal),
    ...journey(payload.landing_site, payload.referring_site),
    sourceName: text(payload.source_name),
    lines,
    refundIds: list(payload.refunds)
      .map((refund, i) => restId(refund, `refunds[${i}].id`))
      .sort(compareIds),
  };
}

/** The product types the orders' lines carry (an export reads them; webhooks then need no lookup). */
export function productTypesOf(orders: readonly OrderRecord[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const order of orders) {
    for (const line of order.lines) {
      if (line.productId && line.productType !== null) types.set(line.productId, line.productType);
    }
  }
  return types;
}

/** The order with its lines' product types filled in from `types` (product id -> type, "" = none). */
export function withProductTypes(order: OrderRecord, types: ReadonlyMap<string, string>): OrderRecord {
  const lines = withTypes(order.lines, types);
  return { ...order, lines, ...summarizeLines(lines) };
}
