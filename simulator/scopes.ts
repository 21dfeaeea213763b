// Access scope checks on root fields, answered like Shopify: the field is
// null and an ACCESS_DENIED error names the scope it needs.
import { GraphQLError } from "graphql";

export const QUERY_SCOPES: Record<string, string> = {
  customers: "read_customers",
  customer: "read_customers",
  orders: "read_orders",
  order: "read_orders",
  segments: "read_customers",
  segment: "read_customers",
  discountNodes: "read_discounts",
  discountNode: "read_discounts",
  automaticDiscountNode: "read_discounts",
  codeDiscountNode: "read_discounts",
  codeDiscountNodeByCode: "read_discounts",
};

/** metafieldsSet checks per owner type instead (see OWNER_WRITE_SCOPES). */
export const OWNER_WRITE_SCOPES: Record<string, string> = {
  Customer: "write_customers",
  Order: "write_orders",
  DiscountAutomaticNode: "write_discounts",
  DiscountCodeNode: "write_discounts",
};

export const MUTATION_SCOPES: Record<string, string> = {
  tagsAdd: "write_customers",
  tagsRemove: "write_customers",
  segmentCreate: "write_customers",
  segmentUpdate: "write_customers",
  segmentDelete: "write_customers",
  discountAutomaticAppCreate: "write_discounts",
  discountAutomaticAppUpdate: "write_discounts",
  discountAutomaticDelete: "write_discounts",
  discountCodeAppCreate: "write_discounts",
  discountCodeAppUpdate: "write_discounts",
  discountCodeDelete: "write_discounts",
  discountAutomaticActivate: "write_discounts",
  discountAutomaticDeactivate: "write_discounts",
  discountCodeActivate: "write_discounts",
  discountCodeDeactivate: "write_discounts",
};

/** write_x grants read_x, as on Shopify. */
export function hasScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) return true;
  return needed.startsWith("read_") && granted.includes(`write_${needed.slice(5)}`);
}

export function accessDenied(field: string, scope: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** Wraps root resolvers so a missing scope fails the field instead of answering. */
export function guardRoot<T extends Record<string, unknown>>(
  root: T,
  scopes: Record<string, string>,
  granted: readonly string[],
): T {
  const guarded: Record<string, unknown> = { ...root };
  for (const [field, scope] of Object.entries(scopes)) {
    const resolver = root[field];
    if (typeof resolver !== "function") continue;
    guarded[field] = (...args: unknown[]) => {
      if (!hasScope(granted, scope)) throw accessDenied(field, scope);
      return (resolver as (...a: unknown[]) => unknown)(...args);
    };
  }
  return guarded as T;
}
