// App discount mutations: create / update / delete / activate / deactivate,
// for automatic and code discounts backed by the app's discount Functions,
// with DiscountUserErrors as Shopify returns them.
import type { RequestContext } from "../../core";
import { validateMetafieldValue } from "../../metafield-types";
import type { DiscountContextRecord, DiscountRecord } from "../../shop";
import type { MetafieldRecord } from "../../store";
import { resolveNamespace, secondsFromIso } from "../../util";
import { userError, type UserError } from "../common";
import { DISCOUNT_API_TYPES, DISCOUNT_CLASSES, type AppFunctionRecord } from "./functions";
import { discountNodeGid, discountNodeView, discountStatus, discountView, findDiscount } from "./views";

/** Shopify allows 25 active automatic discounts per store. */
const MAX_ACTIVE_AUTOMATIC_DISCOUNTS = 25;
const MAX_TEXT = 255;

interface IdsInput {
  add?: string[] | null;
  remove?: string[] | null;
}

export interface DiscountInput {
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
  appliesOnOneTimePurchase?: boolean | null;
  appliesOnSubscription?: boolean | null;
  recurringCycleLimit?: number | null;
  context?: { all?: string | null; customers?: IdsInput | null; customerSegments?: IdsInput | null } | null;
  customerSelection?: { all?: boolean | null; customers?: IdsInput | null; customerSegments?: IdsInput | null } | null;
  metafields?:
    | {
        id?: string | null;
        namespace?: string | null;
        key?: string | null;
        type?: string | null;
        value?: string | null;
      }[]
    | null;
}

type Kind = "automatic" | "code";
const payloadKey = (kind: Kind) => (kind === "code" ? "codeAppDiscount" : "automaticAppDiscount");

function discountError(path: string[], message: string, code: string): UserError {
  return userError(path, message, code, { extraInfo: null });
}

/** The function behind functionHandle (or the deprecated functionId), or the userError. */
function resolveFunction(
  ctx: RequestContext,
  input: DiscountInput,
  base: string,
  existing: DiscountRecord | undefined,
): AppFunctionRecord | { error: UserError } | null {
  const { functionId, functionHandle } = input;
  if (functionId && functionHandle)
    return {
      error: discountError(
        [base],
        "Only one of functionId or functionHandle can be provided.",
        "MULTIPLE_FUNCTION_IDENTIFIERS",
      ),
    };
  if (!functionId && !functionHandle) {
    if (existing) return null; // an update keeps its function
    return {
      error: discountError(
        [base],
        "Either functionId or functionHandle must be provided.",
        "MISSING_FUNCTION_IDENTIFIER",
      ),
    };
  }
  const all = [...ctx.core.appFunctions.values()];
  const fn = functionHandle ? ctx.core.appFunctions.get(functionHandle) : all.find((f) => f.id === functionId);
  const field = functionHandle ? "functionHandle" : "functionId";
  if (!fn || !DISCOUNT_API_TYPES.includes(fn.apiType)) {
    return {
      error: discountError(
        [base, field],
        `Function ${functionHandle ?? functionId} not found. Ensure that it is released in the current app (${ctx.core.apiKey}), and that the app is installed.`,
        "INVALID",
      ),
    };
  }
  return fn;
}

/** The buyers the discount is for, checked against the store. */
function resolveContext(
  ctx: RequestContext,
  input: DiscountInput,
  base: string,
  existing: DiscountRecord | undefined,
  errors: UserError[],
): DiscountContextRecord {
  const given =
    input.context ??
    (input.customerSelection ? { ...input.customerSelection, all: input.customerSelection.all ? "ALL" : null } : null);
  if (!given) return existing?.context ?? { kind: "all" };
  const field = input.context ? "context" : "customerSelection";
  const choices = [given.all, given.customers, given.customerSegments].filter((c) => c != null).length;
  if (choices !== 1) {
    errors.push(discountError([base, field], "Choose exactly one of all, customers or customerSegments", "INVALID"));
    return existing?.context ?? { kind: "all" };
  }
  if (given.all) return { kind: "all" };
  const ids = (type: string, list: IdsInput, previous: number[], exists: (local: number) => boolean) => {
    const set = new Set(previous);
    for (const [op, values] of [
      ["add", list.add ?? []],
      ["remove", list.remove ?? []],
    ] as const) {
      for (const value of values) {
        const local = ctx.shop.ids.localFromGid(value, type);
        if (local === null || !exists(local)) {
          errors.push(discountError([base, field], `${type} ${value} does not exist`, "INVALID"));
          continue;
        }
        if (op === "add") set.add(local);
        else set.delete(local);
      }
    }
    return [...set];
  };
  const s = ctx.shop.store;
  if (given.customers) {
    const previous = existing?.context.kind === "customers" ? existing.context.customerIds : [];
    const customerExists = (id: number) => {
      const row = s.findCustomer(id);
      return row !== undefined && !s.isDeleted(row);
    };
    return { kind: "customers", customerIds: ids("Customer", given.customers, previous, customerExists) };
  }
  const previous = existing?.context.kind === "segments" ? existing.context.segmentIds : [];
  return {
    kind: "segments",
    segmentIds: ids("Segment", given.customerSegments!, previous, (id) => ctx.shop.segments.has(id)),
  };
}

/** MetafieldInput on a discount: checked like metafieldsSet, upserted by namespace and key. */
function planMetafields(input: DiscountInput, base: string, errors: UserError[]) {
  return (input.metafields ?? []).flatMap((mf, i) => {
    const path = [base, "metafields", String(i)];
    const namespace = resolveNamespace(mf.namespace);
    if (!mf.key || !/^[a-zA-Z0-9_-]{2,64}$/.test(mf.key)) {
      errors.push(
        discountError(
          [...path, "key"],
          "Key must be 2-64 characters long and can only contain alphanumeric, hyphen, and underscore characters.",
          "INVALID",
        ),
      );
      return [];
    }
    if (!mf.type) {
      errors.push(discountError([...path, "type"], "Type can't be blank", "BLANK"));
      return [];
    }
    const invalid = validateMetafieldValue(mf.type, mf.value ?? "");
    if (invalid) {
      errors.push(
        discountError([...path, invalid.code === "INVALID_TYPE" ? "type" : "value"], invalid.message, "INVALID"),
      );
      return [];
    }
    return [{ namespace, key: mf.key, type: mf.type, value: mf.value ?? "" }];
  });
}

function checkScalars(
  ctx: RequestContext,
  kind: Kind,
  input: DiscountInput,
  existing: DiscountRecord | undefined,
  errors: UserError[],
) {
  const base = payloadKey(kind);
  const title = input.title ?? existing?.title ?? "";
  if (!title.trim()) errors.push(discountError([base, "title"], "Title can't be blank", "BLANK"));
  else if (title.length > MAX_TEXT)
    errors.push(discountError([base, "title"], `Title is too long (maximum is ${MAX_TEXT} characters)`, "TOO_LONG"));
  let code: string | null = null;
  if (kind === "code") {
    code = input.code ?? existing?.code ?? "";
    if (!code.trim()) errors.push(discountError([base, "code"], "Code can't be blank", "BLANK"));
    else if (code.length > MAX_TEXT)
      errors.push(discountError([base, "code"], `Code is too long (maximum is ${MAX_TEXT} characters)`, "TOO_LONG"));
    else if (
      [...ctx.shop.discounts.values()].some(
        (d) => d.code?.toLowerCase() === code!.toLowerCase() && d.id !== existing?.id,
      )
    )
      errors.push(discountError([base, "code"], "Code must be unique. Please try a different code.", "TAKEN"));
  }
  const startsAt = input.startsAt ? secondsFromIso(input.startsAt) : (existing?.startsAt ?? ctx.nowSeconds);
  const endsAt =
    input.endsAt !== undefined ? (input.endsAt ? secondsFromIso(input.endsAt) : null) : (existing?.endsAt ?? null);
  if (endsAt !== null && endsAt <= startsAt)
    errors.push(discountError([base, "endsAt"], "Ends at needs to be after starts_at", "INVALID"));
  const classes = input.discountClasses;
  if (classes && (classes.length === 0 || classes.some((c) => !DISCOUNT_CLASSES.includes(c as never))))
    errors.push(discountError([base, "discountClasses"], "Discount classes can't be blank", "BLANK"));
  const usageLimit = input.usageLimit !== undefined ? input.usageLimit : (existing?.usageLimit ?? null);
  if (usageLimit !== null && usageLimit <= 0)
    errors.push(discountError([base, "usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN"));
  const recurringCycleLimit = input.recurringCycleLimit ?? existing?.recurringCycleLimit ?? 1;
  if (!Number.isInteger(recurringCycleLimit) || recurringCycleLimit < 0)
    errors.push(
      discountError(
        [base, "recurringCycleLimit"],
        "Recurring cycle limit must be a valid integer",
        "RECURRING_CYCLE_LIMIT_NOT_A_VALID_INTEGER",
      ),
    );
  const oneTime = input.appliesOnOneTimePurchase ?? existing?.appliesOnOneTimePurchase ?? true;
  const subscription = input.appliesOnSubscription ?? existing?.appliesOnSubscription ?? false;
  if (!oneTime && !subscription)
    errors.push(
      discountError(
        [base],
        "The discount must apply on one-time purchases, subscriptions or both",
        "APPLIES_ON_NOTHING",
      ),
    );
  return { title, code, startsAt, endsAt, usageLimit, recurringCycleLimit, oneTime, subscription };
}

function activeAutomaticCount(ctx: RequestContext, except?: number): number {
  return [...ctx.shop.discounts.values()].filter(
    (d) => d.kind === "automatic" && d.id !== except && discountStatus(d, ctx.nowSeconds) === "ACTIVE",
  ).length;
}

/** Builds the record an input asks for, or the userErrors; nothing is stored here. */
function build(ctx: RequestContext, kind: Kind, input: DiscountInput, existing?: DiscountRecord) {
  const base = payloadKey(kind);
  const errors: UserError[] = [];
  const fn = resolveFunction(ctx, input, base, existing);
  if (fn && "error" in fn) errors.push(fn.error);
  const scalars = checkScalars(ctx, kind, input, existing, errors);
  const context = resolveContext(ctx, input, base, existing, errors);
  const metafields = planMetafields(input, base, errors);
  const resolved = fn && !("error" in fn) ? fn : null;
  const record: DiscountRecord = {
    id: existing?.id ?? ctx.core.nextId(),
    kind,
    title: scalars.title,
    code: scalars.code,
    functionId: resolved?.id ?? existing?.functionId ?? "",
    functionHandle: resolved?.handle ?? existing?.functionHandle ?? "",
    startsAt: scalars.startsAt,
    endsAt: scalars.endsAt,
    discountClasses: input.discountClasses ?? existing?.discountClasses ?? resolved?.discountClasses ?? ["ORDER"],
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? existing?.combinesWith.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? existing?.combinesWith.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? existing?.combinesWith.shippingDiscounts ?? false,
    },
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? existing?.appliesOncePerCustomer ?? false,
    usageLimit: scalars.usageLimit,
    appliesOnOneTimePurchase: scalars.oneTime,
    appliesOnSubscription: scalars.subscription,
    recurringCycleLimit: scalars.recurringCycleLimit,
    context,
    createdAt: existing?.createdAt ?? ctx.nowSeconds,
    updatedAt: ctx.nowSeconds,
  };
  if (
    kind === "automatic" &&
    !errors.length &&
    discountStatus(record, ctx.nowSeconds) === "ACTIVE" &&
    activeAutomaticCount(ctx, record.id) >= MAX_ACTIVE_AUTOMATIC_DISCOUNTS
  )
    errors.push(
      discountError(
        [base],
        `A store can have at most ${MAX_ACTIVE_AUTOMATIC_DISCOUNTS} active automatic discounts`,
        "MAX_APP_DISCOUNTS",
      ),
    );
  return { record, metafields, errors };
}

function writeMetafields(ctx: RequestContext, d: DiscountRecord, planned: ReturnType<typeof planMetafields>) {
  const owner = discountNodeGid(ctx, d);
  const map = ctx.shop.store.metafields.get(owner) ?? new Map<string, MetafieldRecord>();
  ctx.shop.store.metafields.set(owner, map);
  for (const mf of planned) {
    const key = `${mf.namespace}.${mf.key}`;
    const existing = map.get(key);
    map.set(
      key,
      existing
        ? { ...existing, ...mf, updatedAt: ctx.nowSeconds }
        : { ...mf, id: ctx.core.nextId(), createdAt: ctx.nowSeconds, updatedAt: ctx.nowSeconds },
    );
  }
}

function save(ctx: RequestContext, kind: Kind, input: DiscountInput, existing?: DiscountRecord) {
  const { record, metafields, errors } = build(ctx, kind, input, existing);
  if (errors.length) return { [payloadKey(kind)]: null, userErrors: errors };
  ctx.shop.discounts.set(record.id, record);
  writeMetafields(ctx, record, metafields);
  return { [payloadKey(kind)]: discountView(ctx, record), userErrors: [] };
}

const notFound = (key: string) => ({
  [key]: null,
  userErrors: [discountError(["id"], "Discount does not exist", "INVALID")],
});

/** Activate: starts now if scheduled, no end if expired. Deactivate: ends now. */
function setActive(ctx: RequestContext, kind: Kind, id: string, active: boolean) {
  const nodeKey = kind === "code" ? "codeDiscountNode" : "automaticDiscountNode";
  const d = findDiscount(ctx, id, kind);
  if (!d) return notFound(nodeKey);
  const now = ctx.nowSeconds;
  if (active) {
    if (
      discountStatus(d, now) !== "ACTIVE" &&
      kind === "automatic" &&
      activeAutomaticCount(ctx, d.id) >= MAX_ACTIVE_AUTOMATIC_DISCOUNTS
    )
      return {
        [nodeKey]: null,
        userErrors: [
          discountError(
            ["id"],
            `A store can have at most ${MAX_ACTIVE_AUTOMATIC_DISCOUNTS} active automatic discounts`,
            "MAX_APP_DISCOUNTS",
          ),
        ],
      };
    if (d.startsAt > now) d.startsAt = now;
    if (d.endsAt !== null && d.endsAt <= now) d.endsAt = null;
  } else if (discountStatus(d, now) !== "EXPIRED") {
    if (d.startsAt > now) d.startsAt = now;
    d.endsAt = now;
  }
  d.updatedAt = now;
  return { [nodeKey]: discountNodeView(ctx, d), userErrors: [] };
}

function remove(ctx: RequestContext, kind: Kind, id: string) {
  const key = kind === "code" ? "deletedCodeDiscountId" : "deletedAutomaticDiscountId";
  const d = findDiscount(ctx, id, kind);
  if (!d) return notFound(key);
  ctx.shop.discounts.delete(d.id);
  ctx.shop.store.metafields.delete(discountNodeGid(ctx, d));
  return { [key]: discountNodeGid(ctx, d), userErrors: [] };
}

export function discountMutations(ctx: RequestContext) {
  const update = (kind: Kind, id: string, input: DiscountInput) => {
    const existing = findDiscount(ctx, id, kind);
    return existing ? save(ctx, kind, input, existing) : notFound(payloadKey(kind));
  };
  return {
    discountAutomaticAppCreate: (a: { automaticAppDiscount: DiscountInput }) =>
      save(ctx, "automatic", a.automaticAppDiscount),
    discountAutomaticAppUpdate: (a: { id: string; automaticAppDiscount: DiscountInput }) =>
      update("automatic", a.id, a.automaticAppDiscount),
    discountAutomaticDelete: (a: { id: string }) => remove(ctx, "automatic", a.id),
    discountAutomaticActivate: (a: { id: string }) => setActive(ctx, "automatic", a.id, true),
    discountAutomaticDeactivate: (a: { id: string }) => setActive(ctx, "automatic", a.id, false),
    discountCodeAppCreate: (a: { codeAppDiscount: DiscountInput }) => save(ctx, "code", a.codeAppDiscount),
    discountCodeAppUpdate: (a: { id: string; codeAppDiscount: DiscountInput }) =>
      update("code", a.id, a.codeAppDiscount),
    discountCodeDelete: (a: { id: string }) => remove(ctx, "code", a.id),
    discountCodeActivate: (a: { id: string }) => setActive(ctx, "code", a.id, true),
    discountCodeDeactivate: (a: { id: string }) => setActive(ctx, "code", a.id, false),
  };
}
