// Shopify's calculated query cost: scalars and enums 0, objects 1,
// connections 2 + (first|last) x (cost of one node), mutations 10.
// The same walk computes the actual cost from the response data, where a
// connection costs 2 + the cost of the nodes it really returned.
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from "graphql";

const MUTATION_COST = 10;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function argValue(field: FieldNode, name: string, walk: Walk): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return valueFromASTUntyped(arg.value as ValueNode, walk.variables);
}

function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function isConnectionField(def: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(def.type);
  return named.name.endsWith("Connection") && def.args.some((a) => a.name === "first");
}

/** Cost of a selection set on `parent`; with `data`, the actual cost. */
function selectionCost(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  walk: Walk,
  data: unknown,
  actual: boolean,
): number {
  if (actual && (data === null || data === undefined)) return 0;
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? (walk.schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
        : parent;
      if (
        actual &&
        selection.typeCondition &&
        (data as { __typename?: string })?.__typename &&
        !typeMatches(walk.schema, type, data)
      )
        continue;
      total += selectionCost(selection.selectionSet, type, walk, data, actual);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments[selection.name.value];
      if (!fragment) continue;
      const type = walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType;
      total += selectionCost(fragment.selectionSet, type, walk, data, actual);
    } else {
      total += fieldCost(selection, parent, walk, data, actual);
    }
  }
  return total;
}

function typeMatches(schema: GraphQLSchema, type: GraphQLCompositeType, data: unknown): boolean {
  const typename = (data as { __typename?: string }).__typename;
  if (!typename || type.name === typename) return true;
  const concrete = schema.getType(typename);
  if (!concrete || !isObjectType(concrete)) return true;
  if (isInterfaceType(type) || isUnionType(type)) return schema.isSubType(type, concrete);
  return false;
}

function fieldCost(field: FieldNode, parent: GraphQLCompositeType, walk: Walk, data: unknown, actual: boolean): number {
  const name = field.name.value;
  if (name === "__typename") return 0;
  const def = fieldDef(parent, name);
  if (!def) return 0;
  const named = getNamedType(def.type);
  if (!field.selectionSet || !(isObjectType(named) || isInterfaceType(named) || isUnionType(named))) return 0;
  const childType = named as GraphQLCompositeType;
  const value = actual ? (data as Record<string, unknown> | null)?.[field.alias?.value ?? name] : undefined;
  if (actual && (value === null || value === undefined)) return 0;

  // PageInfo is free; `edges` is a transparent wrapper around the nodes.
  if (named.name === "PageInfo") return 0;
  if (name === "edges" && named.name.endsWith("Edge")) {
    if (actual)
      return (value as unknown[]).reduce<number>(
        (sum, edge) => sum + selectionCost(field.selectionSet!, childType, walk, edge, true),
        0,
      );
    return selectionCost(field.selectionSet, childType, walk, undefined, false);
  }
  if (isConnectionField(def)) {
    if (actual) return 2 + selectionCost(field.selectionSet, childType, walk, value, true);
    const size = Number(argValue(field, "first", walk) ?? argValue(field, "last", walk) ?? 0);
    return 2 + size * selectionCost(field.selectionSet, childType, walk, undefined, false);
  }
  const listed = isListType(getNullableType(def.type));
  if (listed) {
    if (actual)
      return (value as unknown[]).reduce<number>(
        (sum, item) => sum + (item == null ? 0 : 1 + selectionCost(field.selectionSet!, childType, walk, item, true)),
        0,
      );
    const size = Number(argValue(field, "first", walk) ?? 1);
    return size * (1 + selectionCost(field.selectionSet, childType, walk, undefined, false));
  }
  return 1 + selectionCost(field.selectionSet, childType, walk, value, actual);
}

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: unknown,
): number {
  if (operation.operation === "mutation") {
    return (
      operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== "__typename").length *
      MUTATION_COST
    );
  }
  const root = schema.getQueryType()!;
  const walk: Walk = { schema, fragments, variables };
  return selectionCost(operation.selectionSet, root, walk, data, data !== undefined);
}
