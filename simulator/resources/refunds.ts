// Refunds: the Refund view (Order.refunds), the refunds/create REST payload
// as in 2026-04, and the refundOrder control method.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections";
import { localId, orderIndexOf } from "../control/lookup";
import { HttpError } from "../http/http-util";
import { decimalFromMinor, moneyBag, moneyV2, restMoney, restPriceSet } from "../money";
import type { SimRuntime } from "../runtime";
import type { Shop } from "../shop";
import { derivedIds, LINE_ITEM_ID_BASE, ORDER_ID_BASE, type RefundRecord } from "../store";
import type { Simulator } from "../types";
import { isoFromSeconds } from "../util";
import type { ViewContext } from "./common";
import { LineItemView } from "./orders/line-items";
import { lineItemPayload, orderPayload, shippingLinePayload } from "./orders/payloads";
import { OrderView, shippingLineView } from "./orders/views";
import { restTime } from "./rest-time";

function list<T>(args: ConnectionArgs, field: string, bulk: boolean, items: T[]) {
  checkPageArgs(args, field, bulk);
  return paginate(
    identitySequence(items.length),
    () => true,
    args,
    (p) => items[p],
  );
}

export class RefundView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _order: number,
    private readonly _refund: RefundRecord,
  ) {}
  private get _cur() {
    return this._ctx.shop.settings.currency;
  }
  get __typename() {
    return "Refund";
  }
  get id() {
    return this._ctx.shop.ids.gid("Refund", this._refund.id);
  }
  get legacyResourceId() {
    return this._ctx.shop.ids.text(this._refund.id);
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
  get duties() {
    return [];
  }
  get return() {
    return null;
  }
  get staffMember() {
    return null;
  }
  get order() {
    return new OrderView(this._ctx, this._order);
  }
  get totalRefundedSet() {
    return moneyBag(this._refund.totalMinor, this._cur);
  }
  get totalRefunded() {
    return moneyV2(this._refund.totalMinor, this._cur);
  }
  refundLineItems(args: ConnectionArgs) {
    const s = this._ctx.shop.store;
    const items = this._refund.lines.map((line, p) => ({
      __typename: "RefundLineItem",
      id: this._ctx.shop.ids.gid("RefundLineItem", derivedIds.refundLineItem(this._refund.id, p)),
      quantity: line.quantity,
      restockType: "RETURN",
      restocked: true,
      location: null,
      lineItem: new LineItemView(this._ctx, this._order, line.lineIndex, null),
      priceSet: moneyBag(s.l.unitPriceMinor[line.lineIndex], this._cur),
      subtotalSet: moneyBag(line.subtotalMinor, this._cur),
      totalTaxSet: moneyBag(0, this._cur),
    }));
    return list(args, "refundLineItems", this._ctx.bulk, items);
  }
  refundShippingLines(args: ConnectionArgs) {
    const shippingLine = shippingLineView(this._ctx, this._order);
    const items =
      this._refund.shippingMinor > 0 && shippingLine
        ? [
            {
              __typename: "RefundShippingLine",
              id: this._ctx.shop.ids.gid("RefundShippingLine", derivedIds.refundShippingLine(this._refund.id)),
              shippingLine,
              subtotalAmountSet: moneyBag(this._refund.shippingMinor, this._cur),
              taxAmountSet: moneyBag(0, this._cur),
            },
          ]
        : [];
    return list(args, "refundShippingLines", this._ctx.bulk, items);
  }
  /** Discrepancies between calculated and refunded amounts: none, the simulator refunds what it calculates. */
  orderAdjustments(args: ConnectionArgs) {
    return list(args, "orderAdjustments", this._ctx.bulk, []);
  }
  transactions(args: ConnectionArgs) {
    const s = this._ctx.shop.store;
    const at = isoFromSeconds(this._refund.createdAt);
    const transaction = {
      __typename: "OrderTransaction",
      id: this._ctx.shop.ids.gid("OrderTransaction", derivedIds.refundTransaction(this._refund.id)),
      kind: "REFUND",
      status: "SUCCESS",
      gateway: "shopify_payments",
      formattedGateway: "Shopify Payments",
      amountSet: moneyBag(this._refund.totalMinor, this._cur),
      createdAt: at,
      processedAt: at,
      test: s.o.test[this._order] === 1,
      manualPaymentGateway: false,
      errorCode: null,
      authorizationCode: null,
    };
    return list(args, "transactions", this._ctx.bulk, [transaction]);
  }
}

/** The refund transaction as REST payloads show it (2026-04 sample fields). */
function transactionPayload(shop: Shop, orderIndex: number, refund: RefundRecord) {
  const s = shop.store;
  const cur = shop.settings.currency;
  const orderId = s.o.id[orderIndex];
  const at = restTime(shop, refund.createdAt);
  const unsettled = { amount: decimalFromMinor(s.orderCurrentTotalMinor(orderIndex), cur), currency: cur };
  return {
    id: shop.ids.external(derivedIds.refundTransaction(refund.id)),
    order_id: shop.ids.external(orderId),
    kind: "refund",
    gateway: "shopify_payments",
    status: "success",
    message: "Refund processed",
    created_at: at,
    test: s.o.test[orderIndex] === 1,
    authorization: null,
    location_id: null,
    user_id: null,
    parent_id: shop.ids.external(derivedIds.saleTransaction(orderId)),
    processed_at: at,
    device_id: null,
    error_code: null,
    source_name: "web",
    receipt: {},
    currency_exchange_adjustment: null,
    amount: restMoney(refund.totalMinor, cur),
    currency: cur,
    payment_id: `c${orderId - ORDER_ID_BASE}.1`,
    total_unsettled_set: { presentment_money: unsettled, shop_money: unsettled },
    manual_payment_gateway: false,
    amount_rounding: null,
    admin_graphql_api_id: shop.ids.gid("OrderTransaction", derivedIds.refundTransaction(refund.id)),
  };
}

/**
 * refunds/create (and Order.refunds in order payloads), shaped like Shopify's
 * 2026-04 refund: refund_line_items with subtotal/total_tax sets, the refund
 * transaction, refund_shipping_lines for refunded shipping, and
 * order_adjustments only for discrepancies (none here: since 2024-10 refunded
 * shipping is no longer an order adjustment and adjustments have no `kind`).
 */
export function refundPayload(shop: Shop, orderIndex: number, refund: RefundRecord) {
  const s = shop.store;
  const cur = shop.settings.currency;
  const code = s.o.discountCode[orderIndex] >= 0 ? s.discountCodes[s.o.discountCode[orderIndex]].code : null;
  const at = restTime(shop, refund.createdAt);
  const shippingLine = refund.shippingMinor > 0 ? shippingLinePayload(shop, orderIndex) : null;
  return {
    id: shop.ids.external(refund.id),
    order_id: shop.ids.external(s.o.id[orderIndex]),
    created_at: at,
    note: refund.note,
    user_id: null,
    processed_at: at,
    duties: [],
    total_duties_set: restPriceSet(0, cur),
    return: null,
    restock: false,
    additional_fees: [],
    total_additional_fees_set: restPriceSet(0, cur),
    refund_shipping_lines: shippingLine
      ? [
          {
            id: shop.ids.external(derivedIds.refundShippingLine(refund.id)),
            shipping_line_id: shippingLine.id,
            subtotal_amount_set: restPriceSet(refund.shippingMinor, cur),
            shipping_line: shippingLine,
          },
        ]
      : [],
    admin_graphql_api_id: shop.ids.gid("Refund", refund.id),
    order_adjustments: [],
    refund_line_items: refund.lines.map((line, p) => ({
      location_id: null,
      restock_type: "return",
      quantity: line.quantity,
      id: shop.ids.external(derivedIds.refundLineItem(refund.id, p)),
      line_item_id: shop.ids.external(LINE_ITEM_ID_BASE + line.lineIndex),
      subtotal: Number(restMoney(line.subtotalMinor, cur)),
      total_tax: 0,
      subtotal_set: restPriceSet(line.subtotalMinor, cur),
      total_tax_set: restPriceSet(0, cur),
      line_item: lineItemPayload(shop, line.lineIndex, code),
    })),
    transactions: [transactionPayload(shop, orderIndex, refund)],
  };
}

interface RefundOptions {
  lineItems?: { lineItemId: number | bigint | string; quantity: number }[];
  /** Also refund the order's remaining shipping (RefundInput.shipping.fullRefund). */
  shipping?: boolean;
}

function refundLines(shop: Shop, index: number, orderId: unknown, options: RefundOptions) {
  const s = shop.store;
  const start = s.o.lineStart[index];
  const count = s.o.lineCount[index];
  if (!options.lineItems) {
    return Array.from({ length: count }, (_, p) => ({
      lineIndex: start + p,
      quantity: s.l.currentQuantity[start + p],
    })).filter((l) => l.quantity > 0);
  }
  return options.lineItems.map((l) => {
    const j = localId(shop, l.lineItemId, "LineItem") - LINE_ITEM_ID_BASE;
    if (j < start || j >= start + count)
      throw new HttpError(400, `Line item ${String(l.lineItemId)} is not on order ${String(orderId)}`);
    if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.quantity > s.l.currentQuantity[j]) {
      throw new HttpError(
        400,
        `Refund quantity for line item ${String(l.lineItemId)} must be 1..${s.l.currentQuantity[j]}`,
      );
    }
    return { lineIndex: j, quantity: l.quantity };
  });
}

export function refundControl(rt: SimRuntime): Pick<Simulator, "refundOrder"> {
  return {
    refundOrder(domain, orderId, refundOptions = {}) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      const lines = refundLines(shop, index, orderId, refundOptions);
      const shipping = refundOptions.shipping ? s.refundableShippingMinor(index) : 0;
      if (lines.length === 0 && shipping <= 0)
        throw new HttpError(409, `Order ${String(orderId)} has nothing left to refund`);
      const refund = s.addRefund(index, rt.nowSeconds(), lines, null, shipping);
      const payload = refundPayload(shop, index, refund);
      rt.emit(shop, "refunds/create", () => payload);
      rt.emit(shop, "orders/updated", () => orderPayload(shop, index));
      return payload;
    },
  };
}
