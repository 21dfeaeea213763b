// Shopify Admin API 2026-04 schema, built once per process from the SDL copy.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";

const SDL_PATH = fileURLToPath(new URL("../schemas/shopify-admin-2026-04.graphql", import.meta.url));

let cached: GraphQLSchema | null = null;

export function adminSchema(): GraphQLSchema {
  if (!cached)
    cached = buildSchema(readFileSync(SDL_PATH, "utf8"), {
      assumeValidSDL: true,
    });
  return cached;
}

/**
 * Reads the same-named property (or calls the same-named method with the
 * field arguments) of the view object. A field the view does not define is an
 * error naming it: a silent null would hide gaps in the simulator.
 */
export const viewFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source !== null && typeof source === "object" && info.fieldName in source) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function"
      ? (value as (a: unknown, c: unknown) => unknown).call(source, args, context)
      : value;
  }
  throw new GraphQLError(
    `Field '${info.parentType.name}.${info.fieldName}' is not implemented by the Shopify simulator`,
    {
      extensions: {
        code: "NOT_IMPLEMENTED_IN_SIMULATOR",
        typeName: info.parentType.name,
        fieldName: info.fieldName,
      },
    },
  );
};

export const viewTypeResolver: GraphQLTypeResolver<unknown, unknown> = (value) => {
  const typename = (value as { __typename?: string } | null)?.__typename;
  if (!typename)
    throw new GraphQLError("The Shopify simulator could not determine the concrete type of an abstract field");
  return typename;
};
