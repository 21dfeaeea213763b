// Customer: the GraphQL view over a store row, the customers search, and the
// customers/customer root queries.
import { arraySequence, checkPageArgs, paginate, type ConnectionArgs } from "../../connections";
import { MARKETING_STATES } from "../../store";
import { moneyV2 } from "../../money";
import { isoFromSeconds } from "../../util";
import { unsupported, type ViewContext } from "../common";
import { metafieldOf, metafieldsOf } from "../metafields";
import { orderFilter, OrderView } from "../orders/views";
import { rootSequence } from "../row-order";
import { customerFilter } from "./search";

export { customerFilter };

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
    return this._ctx.shop.ids.gid("Customer", this._s.c.id[this._i]);
  }
  get legacyResourceId() {
    return this._ctx.shop.ids.text(this._s.c.id[this._i]);
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
    return moneyV2(this._s.c.spentMinor[this._i], this._ctx.shop.settings.currency);
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
      marketingUnsubscribeUrl: `https://${this._ctx.shop.domain}/unsubscribe?c=${this.legacyResourceId}`,
      openTrackingLevel: "UNKNOWN",
      openTrackingUrl: `https://${this._ctx.shop.domain}/email-tracking-opt?c=${this.legacyResourceId}`,
      sourceLocation: null,
      validFormat: true,
    };
  }
  get defaultPhoneNumber() {
    const pd = this._pd;
    if (!pd) return null;
    return {
      phoneNumber: pd.phone,
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: null,
      marketingUpdatedAt: null,
      marketingCollectedFrom: null,
      sourceLocation: null,
    };
  }
  get defaultAddress() {
    const pd = this._pd;
    if (!pd) return null;
    return {
      id: this._ctx.shop.ids.gid("MailingAddress", this._s.c.id[this._i] + 1),
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
  metafields(args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null }) {
    return metafieldsOf(this._ctx, this.id, args);
  }
}

export function customerQueries(ctx: ViewContext) {
  return {
    customers: (args: ConnectionArgs) => {
      checkPageArgs(args, "customers", ctx.bulk);
      return paginate(
        rootSequence(ctx, "customers", args),
        customerFilter(ctx, args.query),
        args,
        (row) => new CustomerView(ctx, row),
      );
    },
  };
}
