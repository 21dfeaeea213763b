// The segment discount in Shopify: discountAutomaticAppCreate /
// discountCodeAppCreate and their update, activate, deactivate and delete
// mutations, with the Function's handle and configuration metafields. Shopify's
// userErrors come back as messages for the form's fields.
import {
  SEGMENT_DISCOUNT_AUTOMATIC_ACTIVATE,
  SEGMENT_DISCOUNT_AUTOMATIC_CREATE,
  SEGMENT_DISCOUNT_AUTOMATIC_DEACTIVATE,
  SEGMENT_DISCOUNT_AUTOMATIC_DELETE,
  SEGMENT_DISCOUNT_AUTOMATIC_UPDATE,
  SEGMENT_DISCOUNT_CODE_ACTIVATE,
  SEGMENT_DISCOUNT_CODE_CREATE,
  SEGMENT_DISCOUNT_CODE_DEACTIVATE,
  SEGMENT_DISCOUNT_CODE_DELETE,
  SEGMENT_DISCOUNT_CODE_UPDATE,
  SEGMENT_DISCOUNT_METAFIELDS_SET,
} from "../graphql/admin/discounts.server";
import { t } from "../i18n";
import type { AdminApi } from "../shopify/admin-api.server";
import type { CombinesWith, DiscountField, DiscountMethod, FieldErrors } from "./discount-form";
import {
  SEGMENT_DISCOUNT_FUNCTION_HANDLE,
  type DiscountClassName,
  type MetafieldInput,
} from "./segment-discount-function";

/** The fields of DiscountAutomaticAppInput / DiscountCodeAppInput the app sets. */
export interface ShopifyDiscountInput {
  title: string;
  /** Code discounts only. */
  code?: string;
  /** Omitted on updates of a paused discount: Shopify keeps it ended until it is resumed. */
  startsAt?: string;
  endsAt?: string | null;
  discountClasses: DiscountClassName[];
  combinesWith: CombinesWith;
  metafields: MetafieldInput[];
}

interface DiscountUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export type ShopifyOutcome<T> =
  | ({ ok: true } & T)
  | {
      ok: false;
      errors: FieldErrors;
      /** The discount no longer exists in Shopify (deleted in Shopify admin). */
      gone: boolean;
    };

/** Shopify's input field -> the form field its message belongs next to. */
const FIELD_OF_INPUT: Record<string, DiscountField> = {
  title: "title",
  code: "code",
  startsAt: "startDate",
  endsAt: "endDate",
};

function failure(userErrors: readonly DiscountUserError[]): ShopifyOutcome<never> {
  const errors: FieldErrors = {};
  let gone = false;
  for (const error of userErrors) {
    const path = error.field ?? [];
    if (path[0] === "id") gone = true;
    // Paths are ["automaticAppDiscount", "title"], ["codeAppDiscount", "metafields", "0", "value"], ["id"].
    const field = FIELD_OF_INPUT[path[1] ?? ""] ?? "form";
    const message = t("discounts.errors.shopify", { message: error.message });
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  if (gone) errors.form = t("discounts.errors.goneInShopify");
  return { ok: false, errors, gone };
}

function discountInput(method: DiscountMethod, input: ShopifyDiscountInput, create: boolean) {
  return {
    ...(create ? { functionHandle: SEGMENT_DISCOUNT_FUNCTION_HANDLE } : {}),
    title: input.title,
    ...(method === "code" ? { code: input.code } : {}),
    ...(input.startsAt !== undefined ? { startsAt: input.startsAt } : {}),
    ...(input.endsAt !== undefined ? { endsAt: input.endsAt } : {}),
    discountClasses: input.discountClasses,
    combinesWith: input.combinesWith,
    metafields: input.metafields,
  };
}

/** Creates the discount; returns its node GID (gid://shopify/DiscountAutomaticNode/... or DiscountCodeNode). */
export async function createShopifyDiscount(
  api: AdminApi,
  method: DiscountMethod,
  input: ShopifyDiscountInput,
): Promise<ShopifyOutcome<{ shopifyId: string }>> {
  const variables = { discount: discountInput(method, input, true) };
  if (method === "code") {
    const data = await api.request(SEGMENT_DISCOUNT_CODE_CREATE, variables);
    const payload = data.discountCodeAppCreate;
    if (!payload?.codeAppDiscount) return failure(payload?.userErrors ?? []);
    return { ok: true, shopifyId: payload.codeAppDiscount.discountId };
  }
  const data = await api.request(SEGMENT_DISCOUNT_AUTOMATIC_CREATE, variables);
  const payload = data.discountAutomaticAppCreate;
  if (!payload?.automaticAppDiscount) return failure(payload?.userErrors ?? []);
  return { ok: true, shopifyId: payload.automaticAppDiscount.discountId };
}

export async function updateShopifyDiscount(
  api: AdminApi,
  method: DiscountMethod,
  shopifyId: string,
  input: ShopifyDiscountInput,
): Promise<ShopifyOutcome<object>> {
  const variables = { id: shopifyId, discount: discountInput(method, input, false) };
  if (method === "code") {
    const payload = (await api.request(SEGMENT_DISCOUNT_CODE_UPDATE, variables)).discountCodeAppUpdate;
    return payload?.codeAppDiscount ? { ok: true } : failure(payload?.userErrors ?? []);
  }
  const payload = (await api.request(SEGMENT_DISCOUNT_AUTOMATIC_UPDATE, variables)).discountAutomaticAppUpdate;
  return payload?.automaticAppDiscount ? { ok: true } : failure(payload?.userErrors ?? []);
}

/** Activate (starts now if scheduled, clears a past end) or deactivate (ends now): Shopify's pause and resume. */
export async function setShopifyDiscountActive(
  api: AdminApi,
  method: DiscountMethod,
  shopifyId: string,
  active: boolean,
): Promise<ShopifyOutcome<object>> {
  const variables = { id: shopifyId };
  let payload: { node: unknown; userErrors: readonly DiscountUserError[] } | undefined;
  if (method === "code") {
    const result = active
      ? (await api.request(SEGMENT_DISCOUNT_CODE_ACTIVATE, variables)).discountCodeActivate
      : (await api.request(SEGMENT_DISCOUNT_CODE_DEACTIVATE, variables)).discountCodeDeactivate;
    payload = result ? { node: result.codeDiscountNode, userErrors: result.userErrors } : undefined;
  } else {
    const result = active
      ? (await api.request(SEGMENT_DISCOUNT_AUTOMATIC_ACTIVATE, variables)).discountAutomaticActivate
      : (await api.request(SEGMENT_DISCOUNT_AUTOMATIC_DEACTIVATE, variables)).discountAutomaticDeactivate;
    payload = result ? { node: result.automaticDiscountNode, userErrors: result.userErrors } : undefined;
  }
  return payload?.node ? { ok: true } : failure(payload?.userErrors ?? []);
}

/** Deletes the discount; one already gone from Shopify counts as deleted. */
export async function deleteShopifyDiscount(
  api: AdminApi,
  method: DiscountMethod,
  shopifyId: string,
): Promise<ShopifyOutcome<object>> {
  const variables = { id: shopifyId };
  let deleted: string | null | undefined;
  let userErrors: readonly DiscountUserError[] = [];
  if (method === "code") {
    const payload = (await api.request(SEGMENT_DISCOUNT_CODE_DELETE, variables)).discountCodeDelete;
    deleted = payload?.deletedCodeDiscountId;
    userErrors = payload?.userErrors ?? [];
  } else {
    const payload = (await api.request(SEGMENT_DISCOUNT_AUTOMATIC_DELETE, variables)).discountAutomaticDelete;
    deleted = payload?.deletedAutomaticDiscountId;
    userErrors = payload?.userErrors ?? [];
  }
  if (deleted) return { ok: true };
  const outcome = failure(userErrors);
  return outcome.ok === false && outcome.gone ? { ok: true } : outcome;
}

/** Rewrites the configuration metafields on the discount node (where the Function reads them). */
export async function setShopifyDiscountMetafields(
  api: AdminApi,
  shopifyId: string,
  metafields: readonly MetafieldInput[],
): Promise<ShopifyOutcome<object>> {
  const data = await api.request(SEGMENT_DISCOUNT_METAFIELDS_SET, {
    metafields: metafields.map((m) => ({ ownerId: shopifyId, ...m })),
  });
  const errors = data.metafieldsSet?.userErrors ?? [{ message: "no payload returned" }];
  if (errors.length === 0) return { ok: true };
  return { ok: false, gone: false, errors: { form: errors.map((e) => e.message).join(" ") } };
}
