// REST order payloads (orders/create, orders/updated, orders/cancelled), as
// Shopify sends them, personal data included so the app can prove it drops it.
import type { Shop } from "../../shop";
import {
  CANCEL_REASONS,
  derivedIds,
  LINE_ITEM_ID_BASE,
  MARKETING_STATES,
  ORDER_ID_BASE,
  SOURCE_NAMES,
} from "../../store";
import { decimalFromMinor, decimalString, restMoney, restPriceSet } from "../../money";
import { customerPayload } from "../customers/payloads";
import { refundPayload } from "../refunds";
import { restTime } from "../rest-time";

const priceSet = restPriceSet;

/** The share a discount took of the subtotal, in percent with one decimal (the store keeps amounts only). */
export function percentOf(discountMinor: number, subtotalMinor: number): number {
  return subtotalMinor ? Math.round((discountMinor / subtotalMinor) * 1000) / 10 : 0;
}

/** The order's shipping line (one at most here), or null. */
export function shippingLinePayload(shop: Shop, i: number) {
  const s = shop.store;
  const cur = shop.settings.currency;
  if (!s.o.shippingTitle[i]) return null;
  const title = s.strings.get(s.o.shippingTitle[i] - 1);
  return {
    id: shop.ids.external(derivedIds.shippingLine(s.o.id[i])),
    carrier_identifier: null,
    code: title,
    discounted_price: restMoney(s.o.shippingMinor[i], cur),
    discounted_price_set: priceSet(s.o.shippingMinor[i], cur),
    phone: null,
    price: restMoney(s.o.shippingMinor[i], cur),
    price_set: priceSet(s.o.shippingMinor[i], cur),
    requested_fulfillment_service_id: null,
    source: "shopify",
    title,
    tax_lines: [],
    discount_allocations: [],
  };
}

export function lineItemPayload(shop: Shop, j: number, discountCode: string | null) {
  const s = shop.store;
  const product = s.products[s.l.product[j]];
  const cur = shop.settings.currency;
  const discount = s.l.discountMinor[j];
  return {
    id: shop.ids.external(LINE_ITEM_ID_BASE + j),
    admin_graphql_api_id: shop.ids.gid("LineItem", LINE_ITEM_ID_BASE + j),
    current_quantity: s.l.currentQuantity[j],
    fulfillable_quantity: 0,
    fulfillment_service: "manual",
    fulfillment_status: "fulfilled",
    gift_card: false,
    grams: 0,
    name: product.title,
    price: restMoney(s.l.unitPriceMinor[j], cur),
    price_set: priceSet(s.l.unitPriceMinor[j], cur),
    product_exists: true,
    product_id: shop.ids.external(product.id),
    properties: [],
    quantity: s.l.quantity[j],
    requires_shipping: true,
    sku: product.sku,
    taxable: true,
    title: product.title,
    total_discount: restMoney(discount, cur),
    total_discount_set: priceSet(discount, cur),
    variant_id: shop.ids.external(product.variantId),
    variant_inventory_management: "shopify",
    variant_title: null,
    vendor: product.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations:
      discount && discountCode
        ? [
            {
              amount: restMoney(discount, cur),
              amount_set: priceSet(discount, cur),
              discount_application_index: 0,
            },
          ]
        : [],
  };
}

export function orderPayload(shop: Shop, i: number) {
  const s = shop.store;
  const cur = shop.settings.currency;
  const c = s.o.customer[i];
  const pd = c >= 0 ? s.personalData(c) : null;
  const id = s.o.id[i];
  const codeIndex = s.o.discountCode[i];
  const code = codeIndex >= 0 ? s.discountCodes[codeIndex] : null;
  const journey = s.o.journey[i] >= 0 ? s.journeys[s.o.journey[i]] : null;
  const lines: number[] = [];
  for (let j = s.o.lineStart[i]; j < s.o.lineStart[i] + s.o.lineCount[i]; j++) lines.push(j);
  const subtotal = s.o.subtotalMinor[i] - s.o.discountMinor[i];
  const total = s.orderTotalMinor(i);
  const current = s.orderCurrentTotalMinor(i);
  const shippingTitle = s.o.shippingTitle[i] ? s.strings.get(s.o.shippingTitle[i] - 1) : null;
  const refunded = s.o.refundedMinor[i];
  const address = c >= 0 ? (customerPayload(shop, c).default_address as Record<string, unknown> | null) : null;
  return {
    id: shop.ids.external(id),
    admin_graphql_api_id: shop.ids.gid("Order", id),
    app_id: 580111,
    browser_ip: pd ? `81.2.69.${(id % 250) + 1}` : null,
    buyer_accepts_marketing: c >= 0 && MARKETING_STATES[s.c.marketing[c]] === "SUBSCRIBED",
    cancel_reason: CANCEL_REASONS[s.o.cancelReason[i]] ? CANCEL_REASONS[s.o.cancelReason[i]].toLowerCase() : null,
    cancelled_at: s.o.cancelledAt[i] ? restTime(shop, s.o.cancelledAt[i]) : null,
    closed_at: null,
    confirmation_number: `SIM${id % 1000000}`,
    confirmed: true,
    contact_email: pd?.email ?? null,
    created_at: restTime(shop, s.o.createdAt[i]),
    currency: cur,
    current_subtotal_price: restMoney(subtotal - s.refundedLinesMinor(i), cur),
    current_total_discounts: restMoney(s.o.discountMinor[i], cur),
    current_total_price: restMoney(current, cur),
    current_total_price_set: priceSet(current, cur),
    current_total_tax: restMoney(0, cur),
    customer_locale: "en-GB",
    discount_codes: code
      ? [
          {
            code: code.code,
            amount: restMoney(s.o.discountMinor[i], cur),
            type: code.type,
          },
        ]
      : [],
    discount_applications: code
      ? [
          {
            target_type: "line_item",
            type: "discount_code",
            // The code's value: a percentage ("10.0") or an amount, as a decimal.
            value:
              code.type === "percentage"
                ? decimalString(percentOf(s.o.discountMinor[i], s.o.subtotalMinor[i]))
                : decimalFromMinor(s.o.discountMinor[i], cur),
            value_type: code.type,
            allocation_method: "across",
            target_selection: "all",
            code: code.code,
          },
        ]
      : [],
    email: pd?.email ?? "",
    financial_status: refunded === 0 ? "paid" : refunded >= total ? "refunded" : "partially_refunded",
    fulfillment_status: "fulfilled",
    landing_site: journey?.lastVisit.landingPage ?? null,
    landing_site_ref: null,
    name: `#${id - ORDER_ID_BASE}`,
    note: null,
    note_attributes: [],
    number: id - ORDER_ID_BASE - 1000,
    order_number: id - ORDER_ID_BASE,
    phone: pd?.phone ?? null,
    presentment_currency: cur,
    processed_at: restTime(shop, s.o.processedAt[i]),
    referring_site: journey?.lastVisit.referrerUrl ?? null,
    source_name: SOURCE_NAMES[s.o.source[i]],
    subtotal_price: restMoney(subtotal, cur),
    subtotal_price_set: priceSet(subtotal, cur),
    tags: "",
    taxes_included: true,
    test: s.o.test[i] === 1,
    total_discounts: restMoney(s.o.discountMinor[i], cur),
    total_discounts_set: priceSet(s.o.discountMinor[i], cur),
    total_line_items_price: restMoney(s.o.subtotalMinor[i], cur),
    total_price: restMoney(total, cur),
    total_price_set: priceSet(total, cur),
    total_shipping_price_set: priceSet(s.o.shippingMinor[i], cur),
    total_tax: restMoney(0, cur),
    total_weight: 0,
    updated_at: restTime(shop, s.o.updatedAt[i]),
    billing_address: address,
    shipping_address: address,
    customer: c >= 0 ? customerPayload(shop, c) : null,
    line_items: lines.map((j) => lineItemPayload(shop, j, code?.code ?? null)),
    shipping_lines: shippingTitle ? [shippingLinePayload(shop, i)!] : [],
    refunds: (s.refunds.get(i) ?? []).map((refund) => refundPayload(shop, i, refund)),
  };
}
