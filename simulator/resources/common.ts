// Helpers shared by the resource modules: the view context, userErrors and
// the "not implemented" error that names what the simulator lacks.
import { GraphQLError } from "graphql";
import type { Shop } from "../shop";

export interface ViewContext {
  shop: Shop;
  /** Current simulated time in seconds. */
  nowSeconds: number;
  /** True inside a bulk operation: connections need no first/last. */
  bulk: boolean;
  /** Public base URL of the simulator (for bulk result URLs). */
  baseUrl: string;
}

export function unsupported(what: string): GraphQLError {
  return new GraphQLError(`The Shopify simulator does not implement ${what}`, {
    extensions: { code: "NOT_IMPLEMENTED_IN_SIMULATOR" },
  });
}

export interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
  [extra: string]: unknown;
}

export function userError(
  field: string[] | null,
  message: string,
  code?: string,
  extra?: Record<string, unknown>,
): UserError {
  return { field, message, ...(code ? { code } : {}), ...extra };
}
