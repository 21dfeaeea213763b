// App discounts in GraphQL: the DiscountAutomaticApp / DiscountCodeApp views,
// their nodes (with the discount's metafields, where a discount Function
// reads its configuration), and the discount queries.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../../connections";
import type { RequestContext } from "../../core";
import type { DiscountRecord } from "../../shop";
import { isoFromSeconds } from "../../util";
import type { ViewContext } from "../common";
import { CustomerView } from "../customers/views";
import { metafieldOf, metafieldsOf } from "../metafields";
import { segmentView } from "../segments";
import { appDiscountTypeView } from "./functions";

/** Derived from the dates, as Shopify does: not started yet, ended, or running. */
export function discountStatus(d: DiscountRecord, now: number): "ACTIVE" | "SCHEDULED" | "EXPIRED" {
  if (d.startsAt > now) return "SCHEDULED";
  if (d.endsAt !== null && d.endsAt <= now) return "EXPIRED";
  return "ACTIVE";
}

export function discountNodeGid(ctx: ViewContext, d: DiscountRecord): string {
  return ctx.shop.ids.gid(d.kind === "code" ? "DiscountCodeNode" : "DiscountAutomaticNode", d.id);
}

function contextView(ctx: ViewContext, d: DiscountRecord) {
  const s = ctx.shop.store;
  switch (d.context.kind) {
    case "customers":
      return {
        __typename: "DiscountCustomers",
        customers: d.context.customerIds.flatMap((id) => {
          const row = s.findCustomer(id);
          return row === undefined || s.isDeleted(row) ? [] : [new CustomerView(ctx, row)];
        }),
      };
    case "segments":
      return {
        __typename: "DiscountCustomerSegments",
        segments: d.context.segmentIds.flatMap((id) => {
          const segment = ctx.shop.segments.get(id);
          return segment ? [segmentView(ctx, segment)] : [];
        }),
      };
    default:
      return { __typename: "DiscountBuyerSelectionAll", all: "ALL" };
  }
}

/** The deprecated customerSelection of code discounts: the same choice in its older types. */
function customerSelectionView(ctx: ViewContext, d: DiscountRecord) {
  const context = contextView(ctx, d);
  return context.__typename === "DiscountBuyerSelectionAll"
    ? { __typename: "DiscountCustomerAll", allCustomers: true }
    : context;
}

export function discountView(ctx: RequestContext, d: DiscountRecord) {
  const fn = [...ctx.core.appFunctions.values()].find((f) => f.id === d.functionId);
  const common = {
    discountId: discountNodeGid(ctx, d),
    title: d.title,
    startsAt: isoFromSeconds(d.startsAt),
    endsAt: d.endsAt === null ? null : isoFromSeconds(d.endsAt),
    createdAt: isoFromSeconds(d.createdAt),
    updatedAt: isoFromSeconds(d.updatedAt),
    status: discountStatus(d, ctx.nowSeconds),
    combinesWith: d.combinesWith,
    discountClasses: d.discountClasses,
    discountClass: d.discountClasses[0],
    appliesOnOneTimePurchase: d.appliesOnOneTimePurchase,
    appliesOnSubscription: d.appliesOnSubscription,
    recurringCycleLimit: d.recurringCycleLimit,
    asyncUsageCount: 0,
    errorHistory: null,
    context: contextView(ctx, d),
    appDiscountType: fn
      ? appDiscountTypeView(ctx, fn)
      : // A function unregistered since: keep answering with what the discount recorded.
        appDiscountTypeView(ctx, {
          id: d.functionId,
          handle: d.functionHandle,
          title: d.functionHandle,
          description: null,
          apiType: "discount",
          discountClasses: d.discountClasses as never,
        }),
  };
  if (d.kind === "automatic") return { __typename: "DiscountAutomaticApp", ...common };
  return {
    __typename: "DiscountCodeApp",
    ...common,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    usageLimit: d.usageLimit,
    customerSelection: customerSelectionView(ctx, d),
    hasTimelineComment: false,
    shareableUrls: [],
    totalSales: null,
    codesCount: { count: d.code ? 1 : 0, precision: "EXACT" },
    codes: (args: ConnectionArgs) => {
      checkPageArgs(args, "codes", ctx.bulk);
      const list = d.code
        ? [{ id: ctx.shop.ids.gid("DiscountRedeemCode", d.id), code: d.code, asyncUsageCount: 0, createdBy: null }]
        : [];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => list[p],
      );
    },
  };
}

/** DiscountAutomaticNode / DiscountCodeNode (and DiscountNode in discountNodes). */
export function discountNodeView(ctx: RequestContext, d: DiscountRecord, asDiscountNode = false) {
  const id = discountNodeGid(ctx, d);
  const discount = discountView(ctx, d);
  const metafields = {
    metafield: (args: { namespace?: string | null; key: string }) =>
      metafieldOf(ctx, id, args.namespace ?? null, args.key),
    metafields: (args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null }) =>
      metafieldsOf(ctx, id, args),
  };
  if (asDiscountNode) return { __typename: "DiscountNode", id, discount, ...metafields };
  if (d.kind === "code") return { __typename: "DiscountCodeNode", id, codeDiscount: discount, ...metafields };
  return { __typename: "DiscountAutomaticNode", id, automaticDiscount: discount, ...metafields };
}

/** The discount behind a discount node GID (either kind), or undefined. */
export function findDiscount(ctx: ViewContext, id: string, kind?: "automatic" | "code"): DiscountRecord | undefined {
  const parsed = ctx.shop.ids.parseGid(id);
  if (!parsed || parsed.local === null) return undefined;
  const typeKind = { DiscountCodeNode: "code", DiscountAutomaticNode: "automatic", DiscountNode: null }[parsed.type];
  if (typeKind === undefined) return undefined;
  const record = ctx.shop.discounts.get(parsed.local);
  if (!record || (typeKind && record.kind !== typeKind) || (kind && record.kind !== kind)) return undefined;
  return record;
}

export function discountQueries(ctx: RequestContext) {
  return {
    discountNodes: (args: ConnectionArgs) => {
      checkPageArgs(args, "discountNodes", ctx.bulk);
      const list = [...ctx.shop.discounts.values()];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => discountNodeView(ctx, list[p], true),
      );
    },
    discountNode: (args: { id: string }) => {
      const d = findDiscount(ctx, args.id);
      return d ? discountNodeView(ctx, d, true) : null;
    },
    automaticDiscountNode: (args: { id: string }) => {
      const d = findDiscount(ctx, args.id, "automatic");
      return d ? discountNodeView(ctx, d) : null;
    },
    codeDiscountNode: (args: { id: string }) => {
      const d = findDiscount(ctx, args.id, "code");
      return d ? discountNodeView(ctx, d) : null;
    },
    codeDiscountNodeByCode: (args: { code: string }) => {
      const d = [...ctx.shop.discounts.values()].find((x) => x.code?.toLowerCase() === args.code.toLowerCase());
      return d ? discountNodeView(ctx, d) : null;
    },
  };
}
