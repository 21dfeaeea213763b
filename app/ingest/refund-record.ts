// A refund as the app applies it (refunds/create, 2026-04 shape): which line
// items lost how many units and how much money went back, in shop money. The
// stored order is updated from this alone, without asking Shopify; only what
// the payload cannot settle (an order or line the app does not hold, amounts
// in no usable currency) is left to a refetch of the order. Pure: no I/O.
import { summarizeLines, type OrderLine } from "./order-lines";
import type { OrderRecord } from "./order-record";
import { compareIds, count, date, minor, numericId, PayloadError, restId } from "./payload-values";

type Json = Record<string, any>;

/** An amount as the payload gave it (a decimal string) and its currency, when the payload names one. */
export interface RefundMoney {
  amount: string;
  currency: string | null;
}

export interface RefundRecord {
  id: string;
  orderId: string;
  /** ISO time the refund was created: the order's updated_at is at least this. */
  createdAt: string;
  /** Successful refund transactions: the money that went back. */
  transactions: RefundMoney[];
  lines: Array<{ lineId: string; quantity: number; subtotal: RefundMoney | null; tax: RefundMoney | null }>;
  shipping: Array<{ subtotal: RefundMoney | null; tax: RefundMoney | null }>;
  /** Discrepancies between the calculated and the refunded amount (order_adjustments). */
  adjustments: Array<{ amount: RefundMoney | null; tax: RefundMoney | null }>;
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? value : []);

function money(value: unknown, currency: unknown, what: string): RefundMoney {
  const amount = typeof value === "number" ? String(value) : value;
  if (typeof amount !== "string" || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(amount.trim())) {
    throw new PayloadError(`${what} is not a money amount: ${JSON.stringify(value)}`);
  }
  const code = typeof currency === "string" && currency ? currency : null;
  if (code) minor(amount, code, what); // too large to keep exactly: refused here, with the field's name
  return { amount, currency: code };
}

/** The shop-money side of a REST price set ({shop_money: {amount, currency_code}}), or null when absent. */
function shopMoney(set: Json | null | undefined, what: string): RefundMoney | null {
  const shop = set?.shop_money;
  if (!shop || typeof shop !== "object") return null;
  return money(shop.amount, shop.currency_code, what);
}

/** refunds/create (or one entry of an order payload's `refunds`). */
export function refundFromWebhook(body: Json): RefundRecord {
  if (!body || typeof body !== "object") throw new PayloadError("Refund payload is not an object");
  const created = date(body.created_at ?? body.processed_at, "refund.created_at");
  return {
    id: restId(body, "refund.id"),
    orderId: numericId(body.order_id, "refund.order_id"),
    createdAt: created.toISOString(),
    transactions: list(body.transactions)
      .filter((t) => t.kind === "refund" && (t.status ?? "success") === "success")
      .map((t, i) => money(t.amount, t.currency, `refund.transactions[${i}].amount`)),
    lines: list(body.refund_line_items).map((line, i) => ({
      lineId: numericId(
        line.line_item_id ?? line.line_item?.admin_graphql_api_id ?? line.line_item?.id,
        `refund.refund_line_items[${i}].line_item_id`,
      ),
      quantity: count(line.quantity, `refund.refund_line_items[${i}].quantity`),
      subtotal: shopMoney(line.subtotal_set, `refund.refund_line_items[${i}].subtotal_set`),
      tax: shopMoney(line.total_tax_set, `refund.refund_line_items[${i}].total_tax_set`),
    })),
    shipping: list(body.refund_shipping_lines).map((line, i) => ({
      subtotal: shopMoney(line.subtotal_amount_set, `refund.refund_shipping_lines[${i}].subtotal_amount_set`),
      tax: shopMoney(line.tax_amount_set, `refund.refund_shipping_lines[${i}].tax_amount_set`),
    })),
    adjustments: list(body.order_adjustments).map((adjustment, i) => ({
      amount: shopMoney(adjustment.amount_set, `refund.order_adjustments[${i}].amount_set`),
      tax: shopMoney(adjustment.tax_amount_set, `refund.order_adjustments[${i}].tax_amount_set`),
    })),
  };
}

/** An amount in `currency`, or null when the payload gave it in another one. */
function inCurrency(value: RefundMoney | null, currency: string): number | null {
  if (!value) return 0;
  if (value.currency !== null && value.currency !== currency) return null;
  return minor(value.amount, currency, "refund amount");
}

function sum(values: Array<number | null>): number | null {
  let total = 0;
  for (const value of values) {
    if (value === null) return null;
    total += value;
  }
  return total;
}

/**
 * The money the refund gave back, in the shop's currency (minor units): its
 * successful refund transactions when they are in that currency (Shopify's
 * totalRefundedSet is their sum), else the shop-money amounts of what was
 * refunded (line items and shipping with their taxes, less the discrepancy
 * adjustments). Null when neither is in the shop's currency.
 */
export function refundMinor(refund: RefundRecord, currency: string): number | null {
  const transactions = sum(refund.transactions.map((t) => inCurrency(t, currency)));
  if (transactions !== null) return transactions;
  const parts = sum([
    ...refund.lines.flatMap((l) => [inCurrency(l.subtotal, currency), inCurrency(l.tax, currency)]),
    ...refund.shipping.flatMap((s) => [inCurrency(s.subtotal, currency), inCurrency(s.tax, currency)]),
  ]);
  const adjustments = sum(
    refund.adjustments.flatMap((a) => [inCurrency(a.amount, currency), inCurrency(a.tax, currency)]),
  );
  return parts === null || adjustments === null ? null : parts - adjustments;
}

export type RefundOutcome =
  | { kind: "applied"; order: OrderRecord }
  | { kind: "already applied" }
  /** The payload alone cannot settle it: the order must be fetched from Shopify. */
  | { kind: "conflict"; reason: string };

/**
 * The stored order after the refund: the refunded units leave their lines
 * (and the aggregates are recomputed from the lines), the money leaves the
 * current total and joins the refunded amount. Applying a refund the order
 * already includes changes nothing, so redeliveries and reorderings are
 * harmless. The order's updated_at becomes at least the refund's creation
 * time: Shopify's order changed then, so an order payload from before the
 * refund is older than this state.
 */
export function applyRefund(order: OrderRecord, refund: RefundRecord): RefundOutcome {
  if (order.refundIds.includes(refund.id)) return { kind: "already applied" };
  if (refund.orderId !== order.id) return { kind: "conflict", reason: `refund is for order ${refund.orderId}` };
  const amount = refundMinor(refund, order.currency);
  if (amount === null) return { kind: "conflict", reason: `refund amounts are not in ${order.currency}` };
  const lines: OrderLine[] = order.lines.map((line) => ({ ...line }));
  let returnedSubtotal = 0;
  for (const refunded of refund.lines) {
    const line = lines.find((l) => l.id === refunded.lineId);
    if (!line) return { kind: "conflict", reason: `line item ${refunded.lineId} is not on the stored order` };
    if (refunded.quantity > line.quantity) {
      return {
        kind: "conflict",
        reason: `line item ${refunded.lineId} has ${line.quantity} units, not ${refunded.quantity}`,
      };
    }
    const subtotal = inCurrency(refunded.subtotal, order.currency);
    if (subtotal === null) return { kind: "conflict", reason: `refunded line amounts are not in ${order.currency}` };
    line.quantity -= refunded.quantity;
    returnedSubtotal += subtotal;
  }
  const original = order.totalMinor + order.refundedMinor;
  const refundedMinor = order.refundedMinor + amount;
  const createdAt = new Date(refund.createdAt);
  return {
    kind: "applied",
    order: {
      ...order,
      ...summarizeLines(lines),
      lines,
      totalMinor: order.totalMinor - amount,
      subtotalMinor: order.subtotalMinor === null ? null : order.subtotalMinor - returnedSubtotal,
      refundedMinor,
      fullyRefunded: original > 0 && refundedMinor >= original,
      shopifyUpdatedAt: createdAt > order.shopifyUpdatedAt ? createdAt : order.shopifyUpdatedAt,
      refundIds: [...order.refundIds, refund.id].sort(compareIds),
    },
  };
}
