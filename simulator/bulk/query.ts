// A bulk query: runs the document over every matching row of the store and
// streams Shopify's JSONL, one object per line, nested objects inline and
// nested connection nodes on their own lines with __parentId.
import { createWriteStream } from "node:fs";
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { requestContext, type RequestContext, type SimCore } from "../core";
import { customerFilter, CustomerView } from "../resources/customers/views";
import { orderFilter, OrderView } from "../resources/orders/views";
import { rootSequence } from "../resources/row-order";
import { accessDenied, hasScope, QUERY_SCOPES } from "../scopes";
import { viewFieldResolver, viewTypeResolver } from "../schema";
import type { BulkOperationRecord, Shop } from "../shop";
import { GroupedLines, JsonlWriter, UngroupedLines } from "./jsonl-output";

const ROWS_PER_TICK = 1000;

interface BulkWalk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  ctx: RequestContext;
  pending: {
    parentId: string;
    nodes: unknown[];
    field: FieldNode;
    type: GraphQLObjectType;
    via: "edges" | "nodes";
  }[];
}

function resolve(source: unknown, field: FieldNode, parentType: GraphQLObjectType, walk: BulkWalk): unknown {
  let args = argsCache.get(field);
  if (!args) {
    // Bulk documents have no variables, so a field's arguments never change.
    args = getArgumentValues(parentType.getFields()[field.name.value], field, {});
    argsCache.set(field, args);
  }
  return viewFieldResolver(source, args, walk.ctx, {
    fieldName: field.name.value,
    parentType,
  } as never);
}

function concreteType(
  schema: GraphQLSchema,
  value: unknown,
  declared: ReturnType<typeof getNamedType>,
): GraphQLObjectType {
  if (isObjectType(declared)) return declared;
  const name = viewTypeResolver(value, null, null as never, declared as never) as string;
  return schema.getType(name) as GraphQLObjectType;
}

const argsCache = new WeakMap<FieldNode, Record<string, unknown>>();
const fieldsCache = new WeakMap<SelectionSetNode, Map<string, FieldNode[]>>();

function fieldsOf(selectionSet: SelectionSetNode, type: GraphQLObjectType, walk: BulkWalk): FieldNode[] {
  let byType = fieldsCache.get(selectionSet);
  if (!byType) {
    byType = new Map();
    fieldsCache.set(selectionSet, byType);
  }
  let fields = byType.get(type.name);
  if (!fields) {
    fields = collectFields(selectionSet, type, walk);
    byType.set(type.name, fields);
  }
  return fields;
}

function collectFields(
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  walk: BulkWalk,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      if (condition && condition !== type.name) {
        const conditionType = walk.schema.getType(condition);
        if (!conditionType || !isAbstractType(conditionType) || !walk.schema.isSubType(conditionType, type)) continue;
      }
      collectFields(fragment.selectionSet, type, walk, out);
    }
  }
  return out;
}

/** Builds one JSONL object; nested connections are queued as child lines. */
function buildObject(
  source: unknown,
  selectionSet: SelectionSetNode,
  type: GraphQLObjectType,
  walk: BulkWalk,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fieldsOf(selectionSet, type, walk)) {
    const key = field.alias?.value ?? field.name.value;
    if (field.name.value === "__typename") {
      result[key] = type.name;
      continue;
    }
    const def = type.getFields()[field.name.value];
    const named = getNamedType(def.type);
    const value = resolve(source, field, type, walk);
    if (named.name.endsWith("Connection") && def.args.some((a) => a.name === "first")) {
      const parentId = (source as { id?: string }).id;
      if (!parentId)
        throw new GraphQLError(
          `Bulk queries need the 'id' field on ${type.name} to nest the '${field.name.value}' connection`,
        );
      const connection = value as { nodes: unknown[] };
      const connectionType = named as GraphQLObjectType;
      for (const sub of field.selectionSet?.selections ?? []) {
        if (sub.kind !== Kind.FIELD) continue;
        if (sub.name.value === "edges") {
          const nodeField = sub.selectionSet?.selections.find(
            (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node",
          );
          if (nodeField)
            walk.pending.push({
              parentId,
              nodes: connection.nodes,
              field: nodeField,
              type: connectionType,
              via: "edges",
            });
        } else if (sub.name.value === "nodes") {
          walk.pending.push({
            parentId,
            nodes: connection.nodes,
            field: sub,
            type: connectionType,
            via: "nodes",
          });
        }
      }
      continue;
    }
    result[key] = shapeValue(value, field, named, walk);
  }
  return result;
}

function shapeValue(value: unknown, field: FieldNode, named: ReturnType<typeof getNamedType>, walk: BulkWalk): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => shapeValue(item, field, named, walk));
  if (isLeafType(named)) return named.serialize(value);
  const concrete = concreteType(walk.schema, value, named);
  return buildObject(value, field.selectionSet!, concrete, walk);
}

/** Builds the child lines queued by buildObject, each followed by its own children (grouped order). */
function collectChildren(walk: BulkWalk, out: object[]): void {
  while (walk.pending.length) {
    const batch = walk.pending.splice(0, walk.pending.length);
    for (const child of batch) {
      const nodeTypeName =
        child.via === "edges"
          ? getNamedType((getNamedType(child.type.getFields().edges.type) as GraphQLObjectType).getFields().node.type)
          : getNamedType(child.type.getFields().nodes.type);
      for (const node of child.nodes) {
        const concrete = concreteType(walk.schema, node, nodeTypeName);
        const line = buildObject(node, child.field.selectionSet!, concrete, walk);
        line.__parentId = child.parentId;
        out.push(line);
        // grandchildren queued by buildObject come right after their parent
        if (walk.pending.length) collectChildren(walk, out);
      }
    }
  }
}

interface BulkQueryPlan {
  resource: "orders" | "customers";
  rootArgs: { query?: string; sortKey?: string; reverse?: boolean };
  fragments: Record<string, FragmentDefinitionNode>;
  /** The node selection sets under edges { node } and nodes of the root connection. */
  nodeSelections: SelectionSetNode[];
  nodeType: GraphQLObjectType;
}

function planBulkQuery(schema: GraphQLSchema, document: DocumentNode): BulkQueryPlan {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const rootField = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== "__typename",
  )!;
  const queryType = schema.getQueryType()!;
  const resource = rootField.name.value;
  if (resource !== "orders" && resource !== "customers") {
    throw new GraphQLError(`The Shopify simulator runs bulk queries over orders and customers only, not '${resource}'`);
  }
  const rootArgs = getArgumentValues(queryType.getFields()[resource], rootField, {}) as BulkQueryPlan["rootArgs"];
  const connectionType = getNamedType(queryType.getFields()[resource].type) as GraphQLObjectType;
  const nodeType = getNamedType(connectionType.getFields().nodes.type) as GraphQLObjectType;
  const nodeSelections: SelectionSetNode[] = [];
  for (const sub of rootField.selectionSet?.selections ?? []) {
    if (sub.kind !== Kind.FIELD) continue;
    if (sub.name.value === "nodes" && sub.selectionSet) nodeSelections.push(sub.selectionSet);
    if (sub.name.value === "edges") {
      const node = sub.selectionSet?.selections.find(
        (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node",
      );
      if (node?.selectionSet) nodeSelections.push(node.selectionSet);
    }
  }
  return { resource, rootArgs, fragments, nodeSelections, nodeType };
}

export async function runBulkQuery(args: {
  schema: GraphQLSchema;
  core: SimCore;
  shop: Shop;
  op: BulkOperationRecord;
  document: DocumentNode;
  filePath: string;
}): Promise<void> {
  const { schema, core, shop, op, document, filePath } = args;
  const plan = planBulkQuery(schema, document);
  const { resource, rootArgs } = plan;
  const needed = QUERY_SCOPES[resource];
  if (!hasScope(shop.installation?.scopes ?? [], needed)) {
    op.errorCode = "ACCESS_DENIED";
    throw accessDenied(resource, needed);
  }
  const ctx = requestContext(core, shop, true);
  const walk: BulkWalk = { schema, fragments: plan.fragments, ctx, pending: [] };
  const sequence = rootSequence(ctx, resource, rootArgs);
  const matches = resource === "orders" ? orderFilter(ctx, rootArgs.query) : customerFilter(ctx, rootArgs.query);
  const writer = new JsonlWriter(createWriteStream(filePath));
  // Seeded with the operation's id: the same operation always writes the same file.
  const lines = op.groupObjects ? new GroupedLines(writer) : new UngroupedLines(writer, op.id);
  let rootObjects = 0;
  let objects = 0;
  try {
    const reverse = rootArgs.reverse === true;
    for (let p = 0; p < sequence.length; p++) {
      if (op.cancelRequested) break;
      const row = sequence.at(reverse ? sequence.length - 1 - p : p);
      if (!matches(row)) continue;
      const view = resource === "orders" ? new OrderView(ctx, row) : new CustomerView(ctx, row);
      for (const selectionSet of plan.nodeSelections) {
        const root = buildObject(view, selectionSet, plan.nodeType, walk);
        const descendants: object[] = [];
        collectChildren(walk, descendants);
        await lines.add(root, descendants);
        rootObjects++;
        objects += 1 + descendants.length;
      }
      op.objectCount = objects;
      op.rootObjectCount = rootObjects;
      if (p % ROWS_PER_TICK === ROWS_PER_TICK - 1) await new Promise((r) => setImmediate(r));
    }
    await lines.finish();
  } finally {
    await writer.close();
  }
  op.objectCount = objects;
  op.rootObjectCount = rootObjects;
  op.fileSize = writer.bytes;
}
