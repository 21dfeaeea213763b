// App discounts (discount Functions): the DiscountAutomaticApp /
// DiscountCodeApp views, discountNodes, and the create/update/delete mutations.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections.js";
import type { RequestContext } from "../core.js";
import { validateMetafieldValue } from "../metafield-types.js";
import type { DiscountRecord } from "../shop.js";
import { isoFromSeconds, resolveNamespace, secondsFromIso } from "../util.js";
import { userError, type ViewContext } from "./common.js";

function discountStatus(d: DiscountRecord, now: number) {
  if (d.startsAt > now) return "SCHEDULED";
  if (d.endsAt !== null && d.endsAt <= now) return "EXPIRED";
  return "ACTIVE";
}

export function discountView(ctx: ViewContext, d: DiscountRecord) {
  const common = {
    discountId: ctx.shop.ids.gid(d.kind === "code" ? "DiscountCodeNode" : "DiscountAutomaticNode", d.id),
    title: d.title,
    startsAt: isoFromSeconds(d.startsAt),
    endsAt: d.endsAt === null ? null : isoFromSeconds(d.endsAt),
    createdAt: isoFromSeconds(d.createdAt),
    updatedAt: isoFromSeconds(d.updatedAt),
    status: discountStatus(d, ctx.nowSeconds),
    combinesWith: d.combinesWith,
    discountClasses: d.discountClasses,
    discountClass: d.discountClasses[0] ?? "ORDER",
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
    asyncUsageCount: 0,
    recurringCycleLimit: 0,
    appDiscountType: {
      functionId: d.functionId ?? "",
      title: d.title,
      appKey: "simulated-app",
      description: null,
      discountClasses: d.discountClasses,
      discountClass: d.discountClasses[0] ?? "ORDER",
      targetType: "LINE_ITEM",
    },
  };
  if (d.kind === "automatic") return { __typename: "DiscountAutomaticApp", ...common };
  return {
    __typename: "DiscountCodeApp",
    ...common,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    usageLimit: d.usageLimit,
    codesCount: { count: d.code ? 1 : 0, precision: "EXACT" },
    codes: (args: ConnectionArgs) => {
      checkPageArgs(args, "codes", ctx.bulk);
      const list = d.code
        ? [
            {
              id: ctx.shop.ids.gid("DiscountRedeemCode", d.id),
              code: d.code,
              asyncUsageCount: 0,
            },
          ]
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

export function discountNodeView(ctx: ViewContext, d: DiscountRecord) {
  const discount = discountView(ctx, d);
  const id = discount.discountId;
  const metafields = (args: ConnectionArgs) => {
    checkPageArgs(args, "metafields", ctx.bulk);
    return paginate(
      identitySequence(d.metafields.length),
      () => true,
      args,
      (p) => ({
        ...d.metafields[p],
        id: ctx.shop.ids.gid("Metafield", d.id * 100 + p),
        jsonValue: d.metafields[p].type === "json" ? JSON.parse(d.metafields[p].value) : d.metafields[p].value,
      }),
    );
  };
  if (d.kind === "code")
    return {
      __typename: "DiscountCodeNode",
      id,
      codeDiscount: discount,
      metafields,
    };
  return {
    __typename: "DiscountAutomaticNode",
    id,
    automaticDiscount: discount,
    metafields,
  };
}

export function discountQueries(ctx: ViewContext) {
  return {
    discountNodes: (args: ConnectionArgs) => {
      checkPageArgs(args, "discountNodes", ctx.bulk);
      const list = [...ctx.shop.discounts.values()];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => ({
          id: discountNodeView(ctx, list[p]).id,
          discount: discountView(ctx, list[p]),
        }),
      );
    },
  };
}

interface DiscountInput {
  title?: string | null;
  code?: string | null;
  functionId?: string | null;
  functionHandle?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  discountClasses?: string[] | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
  appliesOncePerCustomer?: boolean | null;
  usageLimit?: number | null;
  customerSelection?: unknown;
  context?: unknown;
  metafields?: { namespace?: string | null; key: string; type: string; value: string }[] | null;
}

export function discountMutations(ctx: RequestContext) {
  const discounts = ctx.shop.discounts;
  const validate = (input: DiscountInput, kind: "automatic" | "code", existing?: DiscountRecord) => {
    const base = kind === "code" ? "codeAppDiscount" : "automaticAppDiscount";
    const errors = [];
    const title = input.title ?? existing?.title;
    if (!title) errors.push(userError([base, "title"], "Title can't be blank", "BLANK"));
    if (!existing && !input.functionId && !input.functionHandle)
      errors.push(userError([base, "functionId"], "Function id or handle must be provided", "MISSING_ARGUMENT"));
    if (kind === "code") {
      const code = input.code ?? existing?.code;
      if (!code) errors.push(userError([base, "code"], "Code can't be blank", "BLANK"));
      else if (
        [...discounts.values()].some((d) => d.code?.toLowerCase() === code.toLowerCase() && d.id !== existing?.id)
      ) {
        errors.push(userError([base, "code"], "Code must be unique. Please try a different code.", "TAKEN"));
      }
    }
    for (const mf of input.metafields ?? []) {
      const invalid = validateMetafieldValue(mf.type, mf.value);
      if (invalid) errors.push(userError([base, "metafields"], invalid.message, "INVALID"));
    }
    const startsAt = input.startsAt ? secondsFromIso(input.startsAt) : (existing?.startsAt ?? ctx.nowSeconds);
    const endsAt =
      input.endsAt !== undefined ? (input.endsAt ? secondsFromIso(input.endsAt) : null) : (existing?.endsAt ?? null);
    if (endsAt !== null && endsAt <= startsAt)
      errors.push(userError([base, "endsAt"], "Ends at needs to be after starts_at", "INVALID"));
    return { errors, title: title ?? "", startsAt, endsAt };
  };
  const build = (
    kind: "automatic" | "code",
    input: DiscountInput,
    existing?: DiscountRecord,
  ): DiscountRecord | { errors: ReturnType<typeof userError>[] } => {
    const checked = validate(input, kind, existing);
    if (checked.errors.length) return { errors: checked.errors };
    return {
      id: existing?.id ?? ctx.core.nextId(),
      kind,
      title: checked.title,
      code: kind === "code" ? (input.code ?? existing?.code ?? null) : null,
      functionId: input.functionId ?? existing?.functionId ?? null,
      functionHandle: input.functionHandle ?? existing?.functionHandle ?? null,
      startsAt: checked.startsAt,
      endsAt: checked.endsAt,
      discountClasses: input.discountClasses ?? existing?.discountClasses ?? ["ORDER"],
      combinesWith: {
        orderDiscounts: input.combinesWith?.orderDiscounts ?? existing?.combinesWith.orderDiscounts ?? false,
        productDiscounts: input.combinesWith?.productDiscounts ?? existing?.combinesWith.productDiscounts ?? false,
        shippingDiscounts: input.combinesWith?.shippingDiscounts ?? existing?.combinesWith.shippingDiscounts ?? false,
      },
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? existing?.appliesOncePerCustomer ?? false,
      usageLimit: input.usageLimit ?? existing?.usageLimit ?? null,
      customerSelection: input.customerSelection ?? existing?.customerSelection ?? null,
      context: input.context ?? existing?.context ?? null,
      metafields: input.metafields
        ? input.metafields.map((m) => ({
            namespace: resolveNamespace(m.namespace),
            key: m.key,
            type: m.type,
            value: m.value,
          }))
        : (existing?.metafields ?? []),
      createdAt: existing?.createdAt ?? ctx.nowSeconds,
      updatedAt: ctx.nowSeconds,
    };
  };
  const find = (id: string, kind: "automatic" | "code") => {
    const parsed = ctx.shop.ids.parseGid(id);
    const record = parsed?.local != null ? discounts.get(parsed.local) : undefined;
    return record && record.kind === kind ? record : undefined;
  };
  const save = (kind: "automatic" | "code", payloadKey: string, input: DiscountInput, existing?: DiscountRecord) => {
    const result = build(kind, input, existing);
    if ("errors" in result) return { [payloadKey]: null, userErrors: result.errors };
    discounts.set(result.id, result);
    return { [payloadKey]: discountView(ctx, result), userErrors: [] };
  };
  const notFound = (payloadKey: string) => ({
    [payloadKey]: null,
    userErrors: [userError(["id"], "Discount does not exist", "INVALID")],
  });
  return {
    discountAutomaticAppCreate: (a: { automaticAppDiscount: DiscountInput }) =>
      save("automatic", "automaticAppDiscount", a.automaticAppDiscount),
    discountAutomaticAppUpdate: (a: { id: string; automaticAppDiscount: DiscountInput }) => {
      const existing = find(a.id, "automatic");
      return existing
        ? save("automatic", "automaticAppDiscount", a.automaticAppDiscount, existing)
        : notFound("automaticAppDiscount");
    },
    discountAutomaticDelete: (a: { id: string }) => {
      const existing = find(a.id, "automatic");
      if (!existing) return notFound("deletedAutomaticDiscountId");
      discounts.delete(existing.id);
      return { deletedAutomaticDiscountId: a.id, userErrors: [] };
    },
    discountCodeAppCreate: (a: { codeAppDiscount: DiscountInput }) =>
      save("code", "codeAppDiscount", a.codeAppDiscount),
    discountCodeAppUpdate: (a: { id: string; codeAppDiscount: DiscountInput }) => {
      const existing = find(a.id, "code");
      return existing ? save("code", "codeAppDiscount", a.codeAppDiscount, existing) : notFound("codeAppDiscount");
    },
    discountCodeDelete: (a: { id: string }) => {
      const existing = find(a.id, "code");
      if (!existing) return notFound("deletedCodeDiscountId");
      discounts.delete(existing.id);
      return { deletedCodeDiscountId: a.id, userErrors: [] };
    },
  };
}
