// Shopify's static restrictions on bulk query documents, checked at
// submission: at least one connection, at most five, at most two levels of
// nested connections, no connection inside a list field, and `id` selected on
// the parent of every nested connection (the JSONL's __parentId needs it).
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

const MAX_BULK_CONNECTIONS = 5;
const MAX_BULK_NESTING = 2;

export function bulkQueryProblems(schema: GraphQLSchema, document: DocumentNode): string[] {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return ["The document has no operation"];
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const problems = new Set<string>();
  let connections = 0;

  const selectsId = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === "id" && !s.alias;
      const inner = s.kind === Kind.FRAGMENT_SPREAD ? fragments[s.name.value]?.selectionSet : s.selectionSet;
      return inner ? selectsId(inner) : false;
    });

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    depth: number,
    inList: boolean,
    parentHasId: boolean,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) {
        const inner = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
        if (!inner) continue;
        const type = inner.typeCondition
          ? (schema.getType(inner.typeCondition.name.value) as GraphQLCompositeType)
          : parent;
        walk(inner.selectionSet, type, depth, inList, parentHasId);
        continue;
      }
      if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const def = parent.getFields()[selection.name.value];
      if (!def) continue;
      const named = getNamedType(def.type) as GraphQLCompositeType;
      const isConnection = named.name.endsWith("Connection") && def.args.some((a) => a.name === "first");
      if (isConnection) {
        connections++;
        if (inList)
          problems.add(
            `Queries that contain a connection field within a list field are not currently supported ('${selection.name.value}').`,
          );
        if (depth + 1 > MAX_BULK_NESTING)
          problems.add(
            `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.`,
          );
        if (depth >= 1 && !parentHasId)
          problems.add(`The parent of the nested connection '${selection.name.value}' must select the 'id' field.`);
        // edges { node { ... } } and nodes { ... } both lead to the node type.
        for (const sub of selection.selectionSet.selections) {
          if (sub.kind !== Kind.FIELD || !sub.selectionSet) continue;
          if (sub.name.value === "nodes") {
            const nodeType = getNamedType((named as GraphQLObjectType).getFields().nodes.type) as GraphQLCompositeType;
            walk(sub.selectionSet, nodeType, depth + 1, false, selectsId(sub.selectionSet));
          } else if (sub.name.value === "edges") {
            for (const edgeField of sub.selectionSet.selections) {
              if (edgeField.kind !== Kind.FIELD || edgeField.name.value !== "node" || !edgeField.selectionSet) continue;
              const edgeType = getNamedType((named as GraphQLObjectType).getFields().edges.type) as GraphQLObjectType;
              const nodeType = getNamedType(edgeType.getFields().node.type) as GraphQLCompositeType;
              walk(edgeField.selectionSet, nodeType, depth + 1, false, selectsId(edgeField.selectionSet));
            }
          }
        }
        continue;
      }
      const listed = inList || isListType(getNullableType(def.type));
      walk(selection.selectionSet, named, depth, listed, selectsId(selection.selectionSet));
    }
  };

  walk(operation.selectionSet, schema.getQueryType()!, 0, false, false);
  if (connections === 0) problems.add("Bulk queries must contain at least one connection.");
  if (connections > MAX_BULK_CONNECTIONS)
    problems.add(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.`);
  return [...problems];
}
