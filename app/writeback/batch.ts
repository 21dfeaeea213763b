// Batching of tag changes: several tagsAdd/tagsRemove mutations as aliases of
// one GraphQL document (small differences), or JSONL variable files for
// bulkOperationRunMutation (large ones). Pure: builds documents and files,
// sends nothing.
import type { SegmentTagsAddBulkMutation, SegmentTagsRemoveBulkMutation } from "../types/admin.generated";
import type { TagDiff } from "./diff";

export interface TagChange {
  customerId: string;
  diff: TagDiff;
}

/** Shopify's requested cost of one tag mutation alias: 10 for the mutation + 1 for userErrors. */
export const TAG_MUTATION_COST = 11;
/** Shopify rejects documents whose requested cost is above 1,000. */
export const MAX_DOCUMENT_COST = 1000;

export function customerGid(customerId: string): string {
  return `gid://shopify/Customer/${customerId}`;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be at least 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * How many mutation aliases one document may carry: at most the 1,000-cost
 * limit, and at most half the shop's bucket, so one request never waits for
 * more than half a bucket to refill (a tiny bucket still gets one alias); a
 * document costing more than the whole bucket would be throttled forever.
 */
export function aliasesPerDocument(bucketSize: number | undefined): number {
  const byLimit = Math.floor((MAX_DOCUMENT_COST * 0.9) / TAG_MUTATION_COST);
  // Bucket unknown (first call): one alias, whose answer tells the bucket size.
  if (bucketSize === undefined) return 1;
  return Math.max(1, Math.min(byLimit, Math.floor(bucketSize / 2 / TAG_MUTATION_COST)));
}

export interface TagAlias {
  alias: string;
  mutation: "tagsAdd" | "tagsRemove";
  customerId: string;
  tags: string[];
}

/** One alias per non-empty side of each change. */
export function tagAliases(changes: readonly TagChange[]): TagAlias[] {
  const out: TagAlias[] = [];
  for (const change of changes) {
    if (change.diff.remove.length > 0) {
      out.push({
        alias: `r${out.length}`,
        mutation: "tagsRemove",
        customerId: change.customerId,
        tags: change.diff.remove,
      });
    }
    if (change.diff.add.length > 0) {
      out.push({ alias: `a${out.length}`, mutation: "tagsAdd", customerId: change.customerId, tags: change.diff.add });
    }
  }
  return out;
}

/**
 * What the batch document answers, alias by alias. Built at run time, the
 * document has no generated type of its own (AdminApi.requestBuiltDocument);
 * each alias selects what the bulk documents select (`userErrors { field
 * message }`), so their generated types describe it.
 */
export type TagBatchResult = Record<
  string,
  SegmentTagsAddBulkMutation["tagsAdd"] | SegmentTagsRemoveBulkMutation["tagsRemove"]
>;

/** A document with the given aliases, and its variables; aliases are named so the answer maps back. */
export function tagMutationDocument(aliases: readonly TagAlias[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  aliases.forEach((a, i) => {
    params.push(`$id${i}: ID!`, `$tags${i}: [String!]!`);
    fields.push(`  ${a.alias}_${i}: ${a.mutation}(id: $id${i}, tags: $tags${i}) { userErrors { field message } }`);
    variables[`id${i}`] = customerGid(a.customerId);
    variables[`tags${i}`] = a.tags;
  });
  return { query: `mutation SegmentTagsBatch(${params.join(", ")}) {\n${fields.join("\n")}\n}`, variables };
}

/**
 * The JSONL variable lines of the two bulk mutations (removals first, then
 * additions), one per customer with a change on that side; the bulk runner
 * cuts them into files Shopify accepts.
 */
export function bulkTagLines(changes: readonly TagChange[]): { remove: string[]; add: string[] } {
  const remove: string[] = [];
  const add: string[] = [];
  for (const change of changes) {
    const id = customerGid(change.customerId);
    if (change.diff.remove.length > 0) remove.push(JSON.stringify({ id, tags: change.diff.remove }));
    if (change.diff.add.length > 0) add.push(JSON.stringify({ id, tags: change.diff.add }));
  }
  return { remove, add };
}

/** Customers with a change above which the write-back uses bulk mutations (docs/decisions/010-*). */
export const BULK_THRESHOLD_CUSTOMERS = 2000;

export function shouldUseBulk(changedCustomers: number, threshold = BULK_THRESHOLD_CUSTOMERS): boolean {
  return changedCustomers > threshold;
}
