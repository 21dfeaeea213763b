// Refunds: the Refund view (Order.refunds), the refunds/create REST payload
// and the refundOrder control method.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections.js";
import { localId, orderIndexOf } from "../control/lookup.js";
import { HttpError } from "../http/http-util.js";
import type { SimRuntime } from "../runtime.js";
import type { Shop } from "../shop.js";
import { LINE_ITEM_ID_BASE, type RefundRecord } from "../store.js";
import type { Simulator } from "../types.js";
import { moneyBag, moneyV2, restMoney } from "../money.js";
import { isoFromSeconds } from "../util.js";
import type { ViewContext } from "./common.js";
import { LineItemView } from "./orders/line-items.js";
import { lineItemPayload, orderPayload, priceSet } from "./orders/payloads.js";
import { OrderView } from "./orders/views.js";
import { restTime } from "./rest-time.js";

export class RefundView {
  constructor(
    private readonly _ctx: ViewContext,
    private readonly _order: number,
    private readonly _refund: RefundRecord,
  ) {}
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
  get order() {
    return new OrderView(this._ctx, this._order);
  }
  get totalRefundedSet() {
    return moneyBag(this._refund.totalMinor, this._ctx.shop.settings.currency);
  }
  get totalRefunded() {
    return moneyV2(this._refund.totalMinor, this._ctx.shop.settings.currency);
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
          id: this._ctx.shop.ids.gid("RefundLineItem", this._refund.id * 100 + p),
          quantity: line.quantity,
          restockType: "RETURN",
          restocked: true,
          lineItem: new LineItemView(this._ctx, this._order, line.lineIndex, null),
          priceSet: moneyBag(s.l.unitPriceMinor[line.lineIndex], cur),
          subtotalSet: moneyBag(line.subtotalMinor, cur),
          totalTaxSet: moneyBag(0, cur),
        };
      },
    );
  }
}

export function refundPayload(shop: Shop, orderIndex: number, refund: RefundRecord) {
  const s = shop.store;
  const cur = shop.settings.currency;
  const code = s.o.discountCode[orderIndex] >= 0 ? s.discountCodes[s.o.discountCode[orderIndex]].code : null;
  return {
    id: shop.ids.external(refund.id),
    admin_graphql_api_id: shop.ids.gid("Refund", refund.id),
    order_id: shop.ids.external(s.o.id[orderIndex]),
    created_at: restTime(shop, refund.createdAt),
    processed_at: restTime(shop, refund.createdAt),
    note: refund.note,
    restock: true,
    user_id: null,
    total_duties_set: priceSet(0, cur),
    refund_line_items: refund.lines.map((line, p) => ({
      id: shop.ids.external(refund.id * 100 + p),
      line_item_id: shop.ids.external(LINE_ITEM_ID_BASE + line.lineIndex),
      location_id: null,
      quantity: line.quantity,
      restock_type: "return",
      subtotal: Number(restMoney(line.subtotalMinor, cur)),
      subtotal_set: priceSet(line.subtotalMinor, cur),
      total_tax: 0,
      total_tax_set: priceSet(0, cur),
      line_item: lineItemPayload(shop, line.lineIndex, code),
    })),
    transactions: [
      {
        id: shop.ids.external(refund.id + 1),
        admin_graphql_api_id: shop.ids.gid("OrderTransaction", refund.id + 1),
        amount: restMoney(refund.totalMinor, cur),
        currency: cur,
        kind: "refund",
        status: "success",
        gateway: "manual",
        created_at: restTime(shop, refund.createdAt),
        order_id: shop.ids.external(s.o.id[orderIndex]),
      },
    ],
    order_adjustments: [],
  };
}
export function refundControl(rt: SimRuntime): Pick<Simulator, "refundOrder"> {
  return {
    refundOrder(domain, orderId, refundOptions = {}) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = orderIndexOf(shop, orderId);
      const start = s.o.lineStart[index];
      const count = s.o.lineCount[index];
      const lines = refundOptions.lineItems
        ? refundOptions.lineItems.map((l) => {
            const j = localId(shop, l.lineItemId, "LineItem") - LINE_ITEM_ID_BASE;
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
      const refund = s.addRefund(index, rt.nowSeconds(), lines, null);
      const payload = refundPayload(shop, index, refund);
      rt.emit(shop, "refunds/create", () => payload);
      rt.emit(shop, "orders/updated", () => orderPayload(shop, index));
      return payload;
    },
  };
}
