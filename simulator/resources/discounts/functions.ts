// The app's Shopify Functions, as released with the app (shopify app deploy):
// registered by handle through a control method, resolved by discount
// mutations (functionHandle, or the deprecated functionId) and listed by
// shopifyFunctions / appDiscountTypes.
import { createHash } from "node:crypto";
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../../connections";
import type { RequestContext } from "../../core";
import { HttpError } from "../../http/http-util";
import type { SimRuntime } from "../../runtime";
import type { Simulator } from "../../types";
import { APP_ID, gid } from "../../util";

export const DISCOUNT_CLASSES = ["PRODUCT", "ORDER", "SHIPPING"] as const;
export type DiscountClassName = (typeof DISCOUNT_CLASSES)[number];

export interface AppFunctionInput {
  /** The extension's handle (shopify.extension.toml), e.g. "segment-discount". */
  handle: string;
  title?: string;
  description?: string;
  /** "discount" (the Discount Function API) unless given. */
  apiType?: string;
  /** The discount classes the function's targets cover (default all three). */
  discountClasses?: DiscountClassName[];
}

export interface AppFunctionRecord {
  id: string;
  handle: string;
  title: string;
  description: string | null;
  apiType: string;
  discountClasses: DiscountClassName[];
}

/** Function ids look like UUIDs; derived from the app key and handle so a run is reproducible. */
function functionId(apiKey: string, handle: string): string {
  const hex = createHash("sha256").update(`${apiKey}:${handle}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Discount functions: the unified Discount Function API and the older per-class ones. */
export const DISCOUNT_API_TYPES = ["discount", "product_discounts", "order_discounts", "shipping_discounts"];

export function functionControl(rt: SimRuntime): Pick<Simulator, "registerAppFunction" | "appFunctions"> {
  return {
    registerAppFunction(input) {
      if (!input || typeof input.handle !== "string" || !/^[a-z0-9][a-z0-9-]{0,99}$/.test(input.handle))
        throw new HttpError(400, "registerAppFunction needs the extension handle (lowercase letters, digits, hyphens)");
      const classes = input.discountClasses ?? [...DISCOUNT_CLASSES];
      const unknown = classes.filter((c) => !DISCOUNT_CLASSES.includes(c));
      if (!classes.length || unknown.length)
        throw new HttpError(400, `discountClasses must be some of ${DISCOUNT_CLASSES.join(", ")}`);
      const record: AppFunctionRecord = {
        id: functionId(rt.apiKey, input.handle),
        handle: input.handle,
        title: input.title ?? input.handle,
        description: input.description ?? null,
        apiType: input.apiType ?? "discount",
        discountClasses: classes,
      };
      rt.appFunctions.set(record.handle, record);
      return record;
    },
    appFunctions: () => [...rt.appFunctions.values()],
  };
}

function appView(ctx: RequestContext) {
  return {
    __typename: "App",
    id: gid("App", APP_ID),
    apiKey: ctx.core.apiKey,
    title: "Simulated app",
    handle: "simulated-app",
    embedded: true,
  };
}

export function appDiscountTypeView(ctx: RequestContext, fn: AppFunctionRecord) {
  return {
    __typename: "AppDiscountType",
    app: appView(ctx),
    appBridge: { createPath: `/discounts/${fn.handle}/new`, detailsPath: `/discounts/${fn.handle}/:id` },
    appKey: ctx.core.apiKey,
    title: fn.title,
    description: fn.description,
    functionId: fn.id,
    discountClasses: fn.discountClasses,
    discountClass: fn.discountClasses[0],
    targetType:
      fn.discountClasses.includes("SHIPPING") && fn.discountClasses.length === 1 ? "SHIPPING_LINE" : "LINE_ITEM",
  };
}

function shopifyFunctionView(ctx: RequestContext, fn: AppFunctionRecord) {
  return {
    __typename: "ShopifyFunction",
    id: fn.id,
    handle: fn.handle,
    title: fn.title,
    description: fn.description,
    apiType: fn.apiType,
    apiVersion: "2026-04",
    app: appView(ctx),
    appKey: ctx.core.apiKey,
    appBridge: { createPath: `/discounts/${fn.handle}/new`, detailsPath: `/discounts/${fn.handle}/:id` },
    inputQuery: null,
    useCreationUi: true,
  };
}

export function functionQueries(ctx: RequestContext) {
  const all = () => [...ctx.core.appFunctions.values()];
  return {
    shopifyFunctions: (args: ConnectionArgs & { apiType?: string | null; useCreationUi?: boolean | null }) => {
      checkPageArgs(args, "shopifyFunctions", ctx.bulk);
      const list = all().filter((fn) => !args.apiType || fn.apiType === args.apiType);
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => shopifyFunctionView(ctx, list[p]),
      );
    },
    shopifyFunction: (args: { id: string }) => {
      const fn = all().find((f) => f.id === args.id);
      return fn ? shopifyFunctionView(ctx, fn) : null;
    },
    appDiscountTypes: () =>
      all()
        .filter((fn) => DISCOUNT_API_TYPES.includes(fn.apiType))
        .map((fn) => appDiscountTypeView(ctx, fn)),
  };
}
