// Order: the GraphQL view over a store row (money, discounts, shipping,
// refunds, customer journey), the 60-day visibility rule, the orders search
// and the orders root query.
import {
  checkPageArgs,
  identitySequence,
  paginate,
  parseSearchQuery,
  searchPredicate,
  type ConnectionArgs,
} from "../../connections";
import { CANCEL_REASONS, derivedIds, ORDER_ID_BASE, SOURCE_NAMES, type Visit } from "../../store";
import { moneyBag, moneyV2 } from "../../money";
import { isoFromSeconds } from "../../util";
import type { ViewContext } from "../common";
import { CustomerView } from "../customers/views";
import { RefundView } from "../refunds";
import { rootSequence } from "../row-order";
import { LineItemView } from "./line-items";
import { percentOf } from "./payloads";

const SIXTY_DAYS = 60 * 24 * 3600;

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
      customer_id: (r) => (s.o.customer[r] >= 0 ? s.c.id[s.o.customer[r]] : Number.NaN),
      status: (r) => (s.o.cancelledAt[r] ? "cancelled" : "open"),
      test: (r) => (s.o.test[r] ? "true" : "false"),
    },
    "orders",
    (digits) => ctx.shop.ids.comparable(digits),
  );
  return (row) => visible(row) && search(row);
}

function visitView(ctx: ViewContext, visit: Visit, occurredAt: number, id: number) {
  const hasUtm = visit.utmSource || visit.utmMedium || visit.utmCampaign;
  return {
    id: ctx.shop.ids.gid("CustomerVisit", id),
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

/** The order's shipping line (one at most here), or null. */
export function shippingLineView(ctx: ViewContext, i: number) {
  const s = ctx.shop.store;
  const title = s.o.shippingTitle[i];
  if (title === 0) return null;
  const name = s.strings.get(title - 1);
  const price = moneyBag(s.o.shippingMinor[i], ctx.shop.settings.currency);
  return {
    __typename: "ShippingLine",
    id: ctx.shop.ids.gid("ShippingLine", derivedIds.shippingLine(s.o.id[i])),
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
    return this._ctx.shop.ids.gid("Order", this._s.o.id[this._i]);
  }
  get legacyResourceId() {
    return this._ctx.shop.ids.text(this._s.o.id[this._i]);
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
    const refunded = this._s.o.refundedMinor[this._i];
    if (refunded === 0) return "PAID";
    return refunded >= this._s.orderTotalMinor(this._i) ? "REFUNDED" : "PARTIALLY_REFUNDED";
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
    return this._money(this._s.o.subtotalMinor[this._i] - this._s.o.discountMinor[this._i]);
  }
  // Line items after discounts and returns (Shopify: "after discounts and
  // returns"); refunded shipping is not part of the subtotal.
  get currentSubtotalPriceSet() {
    return this._money(
      this._s.o.subtotalMinor[this._i] - this._s.o.discountMinor[this._i] - this._s.refundedLinesMinor(this._i),
    );
  }
  get totalDiscountsSet() {
    return this._money(this._s.o.discountMinor[this._i]);
  }
  get currentTotalDiscountsSet() {
    return this.totalDiscountsSet;
  }
  get cartDiscountAmountSet() {
    return this.totalDiscountsSet;
  }
  get totalPriceSet() {
    return this._money(this._s.orderTotalMinor(this._i));
  }
  get originalTotalPriceSet() {
    return this.totalPriceSet;
  }
  get currentTotalPriceSet() {
    return this._money(this._s.orderCurrentTotalMinor(this._i));
  }
  get totalRefundedSet() {
    return this._money(this._s.o.refundedMinor[this._i]);
  }
  get totalShippingPriceSet() {
    return this._money(this._s.o.shippingMinor[this._i]);
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
    const subtotal = this._s.o.subtotalMinor[this._i];
    const discount = this._s.o.discountMinor[this._i];
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
              percentage: percentOf(discount, subtotal),
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
    return shippingLineView(this._ctx, this._i);
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
      firstVisit: visitView(this._ctx, journey.firstVisit, firstAt, id * 2),
      lastVisit: visitView(this._ctx, journey.lastVisit, processed - 600, id * 2 + 1),
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

export function orderQueries(ctx: ViewContext) {
  return {
    orders: (args: ConnectionArgs) => {
      checkPageArgs(args, "orders", ctx.bulk);
      return paginate(
        rootSequence(ctx, "orders", args),
        orderFilter(ctx, args.query),
        args,
        (row) => new OrderView(ctx, row),
      );
    },
  };
}
