// REST-format webhook payloads, shaped like the ones Shopify sends for each
// topic, including the personal data the app is expected to drop.
import type { Shop } from "./shop.js";
import {
  CANCEL_REASONS,
  LINE_ITEM_ID_BASE,
  MARKETING_STATES,
  ORDER_ID_BASE,
  SOURCE_NAMES,
  type RefundRecord,
} from "./store.js";
import { gid, isoFromSeconds, restMoney } from "./util.js";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** REST timestamps are in the shop's time zone with its offset: 2024-06-01T10:30:29+01:00. */
export function restTime(shop: Shop, seconds: number): string {
  const timeZone = shop.settings.timezone;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(seconds * 1000))) parts[part.type] = part.value;
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.replace("GMT", "");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

function priceSet(cents: number, currency: string) {
  const money = { amount: restMoney(cents), currency_code: currency };
  return { shop_money: money, presentment_money: money };
}

export function customerPayload(shop: Shop, c: number) {
  const s = shop.store;
  const id = s.c.id[c];
  const pd = s.personalData(c);
  const state = MARKETING_STATES[s.c.marketing[c]];
  const address = pd
    ? {
        id: id + 1,
        customer_id: id,
        first_name: pd.firstName,
        last_name: pd.lastName,
        company: null,
        address1: pd.address1,
        address2: null,
        city: pd.city,
        province: null,
        country: pd.country,
        zip: pd.zip,
        phone: pd.phone,
        name: `${pd.firstName} ${pd.lastName}`,
        province_code: null,
        country_code: pd.country === "United Kingdom" ? "GB" : null,
        country_name: pd.country,
        default: true,
      }
    : null;
  return {
    id,
    email: pd?.email ?? null,
    created_at: restTime(shop, s.c.createdAt[c]),
    updated_at: restTime(shop, s.c.updatedAt[c]),
    first_name: pd?.firstName ?? null,
    last_name: pd?.lastName ?? null,
    orders_count: s.c.orders[c],
    state: "enabled",
    total_spent: restMoney(s.c.spentCents[c]),
    last_order_id: s.c.lastOrder[c] >= 0 ? s.o.id[s.c.lastOrder[c]] : null,
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    tags: s.tagsOf(c).join(", "),
    last_order_name: s.c.lastOrder[c] >= 0 ? `#${s.o.id[s.c.lastOrder[c]] - ORDER_ID_BASE}` : null,
    currency: shop.settings.currency,
    phone: pd?.phone ?? null,
    addresses: address ? [address] : [],
    email_marketing_consent: {
      state: state.toLowerCase(),
      opt_in_level: state === "SUBSCRIBED" ? "single_opt_in" : null,
      consent_updated_at: null,
    },
    sms_marketing_consent: null,
    admin_graphql_api_id: gid("Customer", id),
    default_address: address,
  };
}

function lineItemPayload(shop: Shop, j: number, discountCode: string | null) {
  const s = shop.store;
  const product = s.products[s.l.product[j]];
  const cur = shop.settings.currency;
  const discount = s.l.discountCents[j];
  return {
    id: LINE_ITEM_ID_BASE + j,
    admin_graphql_api_id: gid("LineItem", LINE_ITEM_ID_BASE + j),
    current_quantity: s.l.currentQuantity[j],
    fulfillable_quantity: 0,
    fulfillment_service: "manual",
    fulfillment_status: "fulfilled",
    gift_card: false,
    grams: 0,
    name: product.title,
    price: restMoney(s.l.unitPriceCents[j]),
    price_set: priceSet(s.l.unitPriceCents[j], cur),
    product_exists: true,
    product_id: product.id,
    properties: [],
    quantity: s.l.quantity[j],
    requires_shipping: true,
    sku: product.sku,
    taxable: true,
    title: product.title,
    total_discount: restMoney(discount),
    total_discount_set: priceSet(discount, cur),
    variant_id: product.variantId,
    variant_inventory_management: "shopify",
    variant_title: null,
    vendor: product.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations:
      discount && discountCode
        ? [
            {
              amount: restMoney(discount),
              amount_set: priceSet(discount, cur),
              discount_application_index: 0,
            },
          ]
        : [],
  };
}

export function refundPayload(shop: Shop, orderIndex: number, refund: RefundRecord) {
  const s = shop.store;
  const cur = shop.settings.currency;
  const code = s.o.discountCode[orderIndex] >= 0 ? s.discountCodes[s.o.discountCode[orderIndex]].code : null;
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: s.o.id[orderIndex],
    created_at: restTime(shop, refund.createdAt),
    processed_at: restTime(shop, refund.createdAt),
    note: refund.note,
    restock: true,
    user_id: null,
    total_duties_set: priceSet(0, cur),
    refund_line_items: refund.lines.map((line, p) => ({
      id: refund.id * 100 + p,
      line_item_id: LINE_ITEM_ID_BASE + line.lineIndex,
      location_id: null,
      quantity: line.quantity,
      restock_type: "return",
      subtotal: Number(restMoney(line.subtotalCents)),
      subtotal_set: priceSet(line.subtotalCents, cur),
      total_tax: 0,
      total_tax_set: priceSet(0, cur),
      line_item: lineItemPayload(shop, line.lineIndex, code),
    })),
    transactions: [
      {
        id: refund.id + 1,
        admin_graphql_api_id: gid("OrderTransaction", refund.id + 1),
        amount: restMoney(refund.totalCents),
        currency: cur,
        kind: "refund",
        status: "success",
        gateway: "manual",
        created_at: restTime(shop, refund.createdAt),
        order_id: s.o.id[orderIndex],
      },
    ],
    order_adjustments: [],
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
  const subtotal = s.o.subtotalCents[i] - s.o.discountCents[i];
  const total = s.orderTotalCents(i);
  const current = s.orderCurrentTotalCents(i);
  const shippingTitle = s.o.shippingTitle[i] ? s.strings.get(s.o.shippingTitle[i] - 1) : null;
  const refunded = s.o.refundedCents[i];
  const address = c >= 0 ? (customerPayload(shop, c).default_address as Record<string, unknown> | null) : null;
  return {
    id,
    admin_graphql_api_id: gid("Order", id),
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
    current_subtotal_price: restMoney(subtotal - refunded),
    current_total_discounts: restMoney(s.o.discountCents[i]),
    current_total_price: restMoney(current),
    current_total_price_set: priceSet(current, cur),
    current_total_tax: "0.00",
    customer_locale: "en-GB",
    discount_codes: code
      ? [
          {
            code: code.code,
            amount: restMoney(s.o.discountCents[i]),
            type: code.type,
          },
        ]
      : [],
    discount_applications: code
      ? [
          {
            target_type: "line_item",
            type: "discount_code",
            value: restMoney(s.o.discountCents[i]),
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
    subtotal_price: restMoney(subtotal),
    subtotal_price_set: priceSet(subtotal, cur),
    tags: "",
    taxes_included: true,
    test: s.o.test[i] === 1,
    total_discounts: restMoney(s.o.discountCents[i]),
    total_discounts_set: priceSet(s.o.discountCents[i], cur),
    total_line_items_price: restMoney(s.o.subtotalCents[i]),
    total_price: restMoney(total),
    total_price_set: priceSet(total, cur),
    total_shipping_price_set: priceSet(s.o.shippingCents[i], cur),
    total_tax: "0.00",
    total_weight: 0,
    updated_at: restTime(shop, s.o.updatedAt[i]),
    billing_address: address,
    shipping_address: address,
    customer: c >= 0 ? customerPayload(shop, c) : null,
    line_items: lines.map((j) => lineItemPayload(shop, j, code?.code ?? null)),
    shipping_lines: shippingTitle
      ? [
          {
            id: id + 7,
            title: shippingTitle,
            code: shippingTitle,
            price: restMoney(s.o.shippingCents[i]),
            price_set: priceSet(s.o.shippingCents[i], cur),
            source: "shopify",
            discounted_price: restMoney(s.o.shippingCents[i]),
            discount_allocations: [],
            tax_lines: [],
          },
        ]
      : [],
    refunds: (s.refunds.get(i) ?? []).map((refund) => refundPayload(shop, i, refund)),
  };
}

export function customersRedactPayload(
  shop: Shop,
  customerId: number,
  email: string | null,
  phone: string | null,
  orderIds: number[],
) {
  return {
    shop_id: shop.id,
    shop_domain: shop.domain,
    customer: { id: customerId, email, phone },
    orders_to_redact: orderIds,
  };
}

export function customersDataRequestPayload(
  shop: Shop,
  customerId: number,
  email: string | null,
  phone: string | null,
  orderIds: number[],
) {
  return {
    shop_id: shop.id,
    shop_domain: shop.domain,
    orders_requested: orderIds,
    customer: { id: customerId, email, phone },
    data_request: { id: customerId + 17 },
  };
}

export function shopRedactPayload(shop: Shop) {
  return { shop_id: shop.id, shop_domain: shop.domain };
}

export function appUninstalledPayload(shop: Shop) {
  return {
    id: shop.id,
    name: shop.settings.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    shop_owner: "Simulated Owner",
    iana_timezone: shop.settings.timezone,
    currency: shop.settings.currency,
    plan_name: shop.settings.plan.toLowerCase(),
    created_at: isoFromSeconds(shop.createdAt),
  };
}

export function bulkFinishPayload(
  shop: Shop,
  op: {
    id: number;
    status: string;
    errorCode: string | null;
    type: string;
    createdAt: number;
    completedAt: number | null;
  },
) {
  void shop;
  return {
    admin_graphql_api_id: gid("BulkOperation", op.id),
    completed_at: op.completedAt === null ? null : isoFromSeconds(op.completedAt),
    created_at: isoFromSeconds(op.createdAt),
    error_code: op.errorCode ? op.errorCode.toLowerCase() : null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}
