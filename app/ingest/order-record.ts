import { toMinor } from "../utils/money";

/**
 * One order as the app stores it (table "Order"): Shopify ids and behavior
 * only, line items pre-aggregated, money in minor units. Built from a bulk
 * export line group or from a webhook payload by the mappers below, which are
 * the only places that know Shopify's shapes. Pure: no I/O.
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
}

export class PayloadError extends Error {
  override name = "PayloadError";
}

/** "gid://shopify/Order/123" or 123 -> "123". */
export function numericId(value: unknown, what: string): string {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  const match = /(\d+)$/.exec(text);
  if (!match) throw new PayloadError(`${what} is missing or not a Shopify id: ${JSON.stringify(value)}`);
  return match[1];
}

function date(value: unknown, what: string): Date {
  const parsed = typeof value === "string" ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new PayloadError(`${what} is missing or not a date: ${JSON.stringify(value)}`);
  }
  return parsed;
}

function optionalDate(value: unknown, what: string): Date | null {
  return value === null || value === undefined ? null : date(value, what);
}

const EXPRESS = /express|next[\s-]?day|overnight|priority|expedited|same[\s-]?day|\b[12][\s-]?day\b/i;

export function isExpressShipping(title: string | null | undefined, code?: string | null): boolean {
  return EXPRESS.test(title ?? "") || EXPRESS.test(code ?? "");
}

export function referrerDomain(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

/** UTM parameters from a landing page URL (REST payloads carry `landing_site`). */
export function utmFromLandingSite(landing: string | null | undefined) {
  if (!landing) return { source: null, medium: null, campaign: null };
  try {
    const url = new URL(landing, "https://shop.invalid");
    return {
      source: url.searchParams.get("utm_source"),
      medium: url.searchParams.get("utm_medium"),
      campaign: url.searchParams.get("utm_campaign"),
    };
  } catch {
    return { source: null, medium: null, campaign: null };
  }
}

interface Line {
  productId: string | null;
  productType: string | null;
  quantity: number;
  unitPriceMinor: number;
}

function aggregateLines(lines: Line[]) {
  const productIds = new Set<string>();
  const productTypes = new Set<string>();
  let quantity = 0;
  let priceTotal = 0;
  for (const line of lines) {
    if (line.quantity <= 0) continue; // removed or fully returned lines
    if (line.productId) productIds.add(line.productId);
    if (line.productType) productTypes.add(line.productType);
    quantity += line.quantity;
    priceTotal += line.unitPriceMinor * line.quantity;
  }
  return {
    itemQuantity: quantity,
    lineCount: lines.filter((line) => line.quantity > 0).length,
    productIds: [...productIds].sort(),
    productTypes: [...productTypes].sort(),
    avgUnitPriceMinor: quantity > 0 ? Math.round(priceTotal / quantity) : null,
  };
}

type Json = Record<string, any>;
const money = (set: Json | null | undefined): string | undefined => set?.shopMoney?.amount;

/**
 * From a bulk export (or a paged query): the order node plus its child lines
 * (`LineItem` and `ShippingLine` nodes carrying `__parentId`).
 */
export function orderFromGraphql(node: Json, children: Json[] = []): OrderRecord {
  const currency: string = node.currencyCode ?? "USD";
  const lineNodes = children.filter((child) => String(child.id ?? "").includes("/LineItem/"));
  const shippingNodes = children.filter((child) => !String(child.id ?? "").includes("/LineItem/"));
  const lines = aggregateLines(
    lineNodes.map((line) => ({
      productId: line.product?.id ? numericId(line.product.id, "lineItem.product.id") : null,
      productType: line.product?.productType || null,
      quantity: Number(line.currentQuantity ?? line.quantity ?? 0),
      unitPriceMinor: toMinor(money(line.originalUnitPriceSet), currency),
    })),
  );
  const total = toMinor(money(node.currentTotalPriceSet) ?? money(node.totalPriceSet), currency);
  const refunded = toMinor(money(node.totalRefundedSet), currency);
  const original = toMinor(money(node.totalPriceSet) ?? money(node.currentTotalPriceSet), currency);
  const firstVisit = node.customerJourneySummary?.firstVisit;
  const shipping = shippingNodes[0];
  return {
    id: numericId(node.id, "order.id"),
    customerId: node.customer?.id ? numericId(node.customer.id, "order.customer.id") : null,
    processedAt: date(node.processedAt ?? node.createdAt, "order.processedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "order.cancelledAt"),
    shopifyUpdatedAt: date(node.updatedAt, "order.updatedAt"),
    currency,
    totalMinor: total,
    subtotalMinor:
      money(node.currentSubtotalPriceSet ?? node.subtotalPriceSet) === undefined
        ? null
        : toMinor(money(node.currentSubtotalPriceSet ?? node.subtotalPriceSet), currency),
    discountMinor:
      money(node.totalDiscountsSet) === undefined ? null : toMinor(money(node.totalDiscountsSet), currency),
    refundedMinor: refunded,
    fullyRefunded: original > 0 && refunded >= original,
    discountCodes: Array.isArray(node.discountCodes) ? node.discountCodes.map(String) : [],
    ...lines,
    shippingMinor:
      money(node.totalShippingPriceSet) !== undefined
        ? toMinor(money(node.totalShippingPriceSet), currency)
        : shipping
          ? toMinor(money(shipping.originalPriceSet), currency)
          : null,
    expressShipping: shipping ? isExpressShipping(shipping.title, shipping.code) : null,
    utmSource: firstVisit?.utmParameters?.source ?? null,
    utmMedium: firstVisit?.utmParameters?.medium ?? null,
    utmCampaign: firstVisit?.utmParameters?.campaign ?? null,
    referrerDomain: referrerDomain(firstVisit?.referrerUrl),
    sourceName: node.sourceName ?? null,
  };
}

/** From an orders/create|updated|cancelled webhook (REST shape). */
export function orderFromWebhook(payload: Json): OrderRecord {
  if (!payload || typeof payload !== "object") throw new PayloadError("Order payload is not an object");
  const currency: string = payload.currency ?? payload.presentment_currency ?? "USD";
  const lines = aggregateLines(
    (Array.isArray(payload.line_items) ? payload.line_items : []).map((line: Json) => ({
      productId: line.product_id ? String(line.product_id) : null,
      productType: line.product_type || null,
      quantity: Number(line.current_quantity ?? line.quantity ?? 0),
      unitPriceMinor: toMinor(line.price, currency),
    })),
  );
  const refunded = (Array.isArray(payload.refunds) ? payload.refunds : []).reduce(
    (sum: number, refund: Json) =>
      sum +
      (Array.isArray(refund.transactions) ? refund.transactions : [])
        .filter((t: Json) => t.kind === "refund" && (t.status ?? "success") === "success")
        .reduce((s: number, t: Json) => s + toMinor(t.amount, currency), 0),
    0,
  );
  const original = toMinor(payload.total_price, currency);
  const shipping = Array.isArray(payload.shipping_lines) ? payload.shipping_lines[0] : undefined;
  const utm = utmFromLandingSite(payload.landing_site);
  if (payload.updated_at === undefined) throw new PayloadError("order.updated_at is missing");
  return {
    id: numericId(payload.id, "order.id"),
    customerId: payload.customer?.id ? numericId(payload.customer.id, "order.customer.id") : null,
    processedAt: date(payload.processed_at ?? payload.created_at, "order.processed_at"),
    cancelledAt: optionalDate(payload.cancelled_at, "order.cancelled_at"),
    shopifyUpdatedAt: date(payload.updated_at, "order.updated_at"),
    currency,
    totalMinor: toMinor(payload.current_total_price ?? payload.total_price, currency),
    subtotalMinor:
      (payload.current_subtotal_price ?? payload.subtotal_price)
        ? toMinor(payload.current_subtotal_price ?? payload.subtotal_price, currency)
        : null,
    discountMinor: payload.total_discounts !== undefined ? toMinor(payload.total_discounts, currency) : null,
    refundedMinor: refunded,
    fullyRefunded: original > 0 && refunded >= original,
    discountCodes: (Array.isArray(payload.discount_codes) ? payload.discount_codes : [])
      .map((code: Json) => String(code.code ?? ""))
      .filter(Boolean),
    ...lines,
    shippingMinor: shipping ? toMinor(shipping.price, currency) : null,
    expressShipping: shipping ? isExpressShipping(shipping.title, shipping.code) : null,
    utmSource: utm.source,
    utmMedium: utm.medium,
    utmCampaign: utm.campaign,
    referrerDomain: referrerDomain(payload.referring_site),
    sourceName: payload.source_name ?? null,
  };
}
