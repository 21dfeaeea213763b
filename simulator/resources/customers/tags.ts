// tagsAdd / tagsRemove on customers, with Shopify's splitting, case-insensitive
// de-duplication and limits (255 characters per tag, 250 tags per customer).
import { GraphQLError } from "graphql";
import type { RequestContext } from "../../core";
import { userError } from "../common";
import { customerPayload } from "./payloads";
import { CustomerView } from "./views";

export const MAX_TAGS_PER_CUSTOMER = 250;
export const MAX_TAG_LENGTH = 255;

/** Splits comma-separated tags as Shopify does, trims, drops blanks. */
function normalizeTags(input: string[]): string[] {
  return input
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function addTags(current: string[], wanted: string[]): string[] {
  const lower = new Set(current.map((t) => t.toLowerCase()));
  const next = [...current];
  for (const tag of wanted) {
    if (!lower.has(tag.toLowerCase())) {
      lower.add(tag.toLowerCase());
      next.push(tag);
    }
  }
  return next;
}

function removeTags(current: string[], wanted: string[]): string[] {
  const remove = new Set(wanted.map((t) => t.toLowerCase()));
  return current.filter((t) => !remove.has(t.toLowerCase()));
}

function applyTagChange(ctx: RequestContext, id: string, tags: string[], mode: "add" | "remove") {
  const parsed = ctx.shop.ids.parseGid(id);
  const s = ctx.shop.store;
  if (parsed?.type !== "Customer") {
    if (parsed?.type === "Order" || parsed?.type === "Product" || parsed?.type === "DraftOrder") {
      throw new GraphQLError(
        `The Shopify simulator implements tagsAdd/tagsRemove on customers only, not ${parsed.type}`,
        { extensions: { code: "NOT_IMPLEMENTED_IN_SIMULATOR" } },
      );
    }
    return { node: null, userErrors: [userError(["id"], "Resource type not found")] };
  }
  const index = parsed.local === null ? undefined : s.findCustomer(parsed.local);
  if (index === undefined || s.isDeleted(index))
    return { node: null, userErrors: [userError(["id"], "Customer does not exist")] };
  const wanted = normalizeTags(tags);
  const tooLong = wanted.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong) {
    return {
      node: new CustomerView(ctx, index),
      userErrors: [
        userError(
          ["tags"],
          `Tags is invalid: '${tooLong.slice(0, 40)}...' is too long (maximum is ${MAX_TAG_LENGTH} characters)`,
        ),
      ],
    };
  }
  const current = s.tagsOf(index);
  const next = mode === "add" ? addTags(current, wanted) : removeTags(current, wanted);
  if (next.length > MAX_TAGS_PER_CUSTOMER) {
    return {
      node: new CustomerView(ctx, index),
      userErrors: [userError(["tags"], `Tags cannot be more than ${MAX_TAGS_PER_CUSTOMER}`)],
    };
  }
  if (next.length !== current.length) {
    s.setTags(index, next, ctx.nowSeconds);
    if (ctx.core.tagWritesSendCustomerUpdate)
      ctx.core.emitWebhook(ctx.shop, "customers/update", () => customerPayload(ctx.shop, index));
  }
  return { node: new CustomerView(ctx, index), userErrors: [] };
}

export function tagMutations(ctx: RequestContext) {
  return {
    tagsAdd: (args: { id: string; tags: string[] }) => applyTagChange(ctx, args.id, args.tags, "add"),
    tagsRemove: (args: { id: string; tags: string[] }) => applyTagChange(ctx, args.id, args.tags, "remove"),
  };
}
