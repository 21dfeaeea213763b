// A bulk mutation: runs the mutation once per line of the uploaded variables
// file and writes one result line ({data, errors?, __lineNumber}) per input line.
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import {
  execute,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { requestContext, type SimCore } from "../core";
import type { CallCounts } from "../graphql-handler";
import { mutationRoot } from "../root";
import { guardRoot, MUTATION_SCOPES } from "../scopes";
import { viewFieldResolver, viewTypeResolver } from "../schema";
import type { BulkOperationRecord, Shop } from "../shop";
import { JsonlWriter } from "./jsonl-output";

const ROWS_PER_TICK = 1000;

export async function runBulkMutation(args: {
  schema: GraphQLSchema;
  core: SimCore;
  shop: Shop;
  op: BulkOperationRecord;
  document: DocumentNode;
  variablesFile: string;
  filePath: string;
  counts: CallCounts[];
}): Promise<void> {
  const { schema, core, shop, op, document, variablesFile, filePath, counts } = args;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fieldName = (operation.selectionSet.selections[0] as FieldNode).name.value;
  const writer = new JsonlWriter(createWriteStream(filePath));
  const lines = createInterface({
    input: createReadStream(variablesFile),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      if (op.cancelRequested) break;
      const current = lineNumber++;
      if (!line.trim()) continue;
      let variables: Record<string, unknown>;
      try {
        variables = JSON.parse(line) as Record<string, unknown>;
      } catch {
        await writer.write({
          errors: [
            {
              message: `Invalid JSON on line ${current + 1} of the variables file`,
            },
          ],
          __lineNumber: current,
        });
        continue;
      }
      const ctx = requestContext(core, shop, true);
      const result = await execute({
        schema,
        document,
        variableValues: variables,
        rootValue: guardRoot(mutationRoot(ctx, { schema }), MUTATION_SCOPES, shop.installation?.scopes ?? []),
        contextValue: ctx,
        fieldResolver: viewFieldResolver,
        typeResolver: viewTypeResolver,
      });
      for (const c of counts) c.bulkMutationLines[fieldName] = (c.bulkMutationLines[fieldName] ?? 0) + 1;
      const out: Record<string, unknown> = {};
      if (result.data) out.data = result.data;
      if (result.errors?.length)
        out.errors = result.errors.map((e) => ({
          message: e.message,
          path: e.path,
        }));
      out.__lineNumber = current;
      await writer.write(out);
      op.objectCount = lineNumber;
      op.rootObjectCount = lineNumber;
      if (lineNumber % ROWS_PER_TICK === 0) await new Promise((r) => setImmediate(r));
    }
  } finally {
    await writer.close();
  }
  op.objectCount = writer.lines;
  op.rootObjectCount = writer.lines;
  op.fileSize = statSync(filePath).size;
}
