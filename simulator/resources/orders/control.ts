// Control methods that play the merchant's storefront: create, edit and
// cancel orders, each sending the webhooks Shopify sends.
import { localId, orderIndexOf } from "../../control/lookup";
import { HttpError } from "../../http/http-util";
import { allocateDiscount, minorFromAmount } from "../../money";
import type { SimRuntime } from "../../runtime";
import type { Shop } from "../../shop";
import { CANCEL_REASONS, ORDER_ID_BASE, type NewLineItem } from "../../store";
import type { CreateOrderInput, OrderLineInput, Simulator } from "../../types";
import { customerPayload } from "../customers/payloads";
import { refundPayload } from "../refunds";
import { orderPayload } from "./payloads";

/** Currency units to the shop currency's minor units; too many decimals is a 400. */
function toMinor(shop: Shop, amount: number, what: string): number {
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0)
    throw new HttpError(400, `${what} must be a non-negative number`);
  try {
    return minorFromAmount(amount, shop.settings.currency, what);
  } catch (e) {
    throw new HttpError(400, (e as Error).message);
  }
}

function lineItemsFrom(shop: Shop, lines: OrderLineInput[]): NewLineItem[] {
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
      unitPriceMinor: toMinor(shop, line.price, `lineItems[${index}].price`),
      discountMinor: toMinor(shop, line.discount ?? 0, `lineItems[${index}].discount`),
    };
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

/** The buyer's row: an existing customer, a new one for an unknown id, or -1 for a guest. */
function buyerOf(rt: SimRuntime, shop: Shop, customerId: CreateOrderInput["customerId"]) {
  if (customerId === null || customerId === undefined) return { customerIndex: -1, created: false };
  const s = shop.store;
  const id = localId(shop, customerId, "Customer");
  const existing = s.findCustomer(id);
  if (existing !== undefined && s.isDeleted(existing)) throw new HttpError(409, `Customer ${id} was deleted`);
  if (existing !== undefined) return { customerIndex: existing, created: false };
  return { customerIndex: s.addCustomer({ id, createdAt: rt.nowSeconds() }), created: true };
}

function createOrder(rt: SimRuntime, domain: string, input: CreateOrderInput) {
  const shop = rt.getShop(domain);
  const s = shop.store;
  if (input.processedAt !== undefined && Number.isNaN(Date.parse(input.processedAt))) {
    throw new HttpError(400, `processedAt must be an ISO 8601 date, got '${input.processedAt}'`);
  }
  const lineItems = lineItemsFrom(shop, input.lineItems);
  if (input.discountCode?.amount)
    allocateDiscount(lineItems, toMinor(shop, input.discountCode.amount, "discountCode.amount"));
  const { customerIndex, created } = buyerOf(rt, shop, input.customerId);
  const now = rt.nowSeconds();
  const lastNumber = s.orderCount ? s.o.id[s.orderCount - 1] - ORDER_ID_BASE : 1000;
  const journey =
    input.utm || input.landingSite || input.referringSite
      ? s.internJourney({ firstVisit: visitFrom(input), lastVisit: visitFrom(input), daysToConversion: 0 })
      : -1;
  const index = s.addOrder({
    id: ORDER_ID_BASE + lastNumber + 1,
    customerIndex,
    createdAt: now,
    processedAt: input.processedAt ? Math.floor(Date.parse(input.processedAt) / 1000) : now,
    updatedAt: now,
    lineItems,
    shippingMinor: input.shippingLine ? toMinor(shop, input.shippingLine.price, "shippingLine.price") : 0,
    shippingTitle: input.shippingLine?.title ?? null,
    discountCode: input.discountCode
      ? { code: input.discountCode.code, type: input.discountCode.type ?? "percentage" }
      : null,
    journeyIndex: journey,
    sourceName: input.sourceName ?? "web",
    test: input.test ?? false,
  });
  if (customerIndex >= 0) s.c.updatedAt[customerIndex] = Math.max(s.c.updatedAt[customerIndex], now);
  if (created) rt.emit(shop, "customers/create", () => customerPayload(shop, customerIndex));
  const payload = orderPayload(shop, index);
  rt.emit(shop, "orders/create", () => payload);
  if (customerIndex >= 0 && !created) rt.emit(shop, "customers/update", () => customerPayload(shop, customerIndex));
  return payload;
}

export function orderControl(rt: SimRuntime): Pick<Simulator, "createOrder" | "updateOrder" | "cancelOrder"> {
  return {
    createOrder: (domain, input) => createOrder(rt, domain, input),
    updateOrder(domain, orderId, input) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      const before = s.orderTotalMinor(index);
      if (input.lineItems) {
        if (s.refunds.has(index)) throw new HttpError(409, "Orders with refunds cannot have their line items replaced");
        s.writeLineItems(index, lineItemsFrom(shop, input.lineItems));
      }
      if (input.discountCode !== undefined)
        s.o.discountCode[index] = input.discountCode
          ? s.internDiscountCode({ code: input.discountCode.code, type: input.discountCode.type ?? "percentage" })
          : -1;
      if (input.shippingLine !== undefined) {
        s.o.shippingMinor[index] = input.shippingLine
          ? toMinor(shop, input.shippingLine.price, "shippingLine.price")
          : 0;
        s.o.shippingTitle[index] = input.shippingLine ? s.strings.intern(input.shippingLine.title) + 1 : 0;
      }
      const c = s.o.customer[index];
      if (c >= 0) s.c.spentMinor[c] += s.orderTotalMinor(index) - before;
      s.o.updatedAt[index] = rt.nowSeconds();
      s.orderVersion++;
      const payload = orderPayload(shop, index);
      rt.emit(shop, "orders/updated", () => payload);
      return payload;
    },
    cancelOrder(domain, orderId, cancelOptions = {}) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      if (s.o.cancelledAt[index]) throw new HttpError(409, `Order ${orderId} is already cancelled`);
      const reason = cancelOptions.reason ?? "CUSTOMER";
      if (!CANCEL_REASONS.includes(reason) || !reason) throw new HttpError(400, `Unknown cancel reason ${reason}`);
      const now = rt.nowSeconds();
      if (cancelOptions.refund ?? true) {
        const lines = [];
        for (let j = s.o.lineStart[index]; j < s.o.lineStart[index] + s.o.lineCount[index]; j++) {
          if (s.l.currentQuantity[j] > 0) lines.push({ lineIndex: j, quantity: s.l.currentQuantity[j] });
        }
        const shipping = s.refundableShippingMinor(index);
        if (lines.length || shipping > 0) {
          // Shopify refunds what the customer paid, shipping included.
          const refund = s.addRefund(index, now, lines, "Order cancelled", shipping);
          rt.emit(shop, "refunds/create", () => refundPayload(shop, index, refund));
        }
      }
      s.cancelOrder(index, now, reason);
      const payload = orderPayload(shop, index);
      rt.emit(shop, "orders/cancelled", () => payload);
      rt.emit(shop, "orders/updated", () => payload);
      return payload;
    },
  };
}
