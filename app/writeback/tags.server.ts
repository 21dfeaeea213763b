// Writes segment tag differences to Shopify (tagsAdd/tagsRemove, batched as
// aliases or as bulk mutations). After each successful write the app's copy
// (Customer.appTags/tagCount, CustomerWriteback.cappedTags) is updated, so a
// recompute on unchanged data finds nothing to send.
import { CUSTOMER_TAGS_ADD_BULK, CUSTOMER_TAGS_REMOVE_BULK } from "../graphql/admin/customer-tags.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { runBulkMutation } from "../shopify/bulk-operations.server";
import { recordAppliedTags as storeAppliedTags } from "../stores/customers.server";
import type { PgClient } from "../stores/pg/pool.server";
import { recordCappedTags } from "../stores/writeback-state.server";
import { logger } from "../utils/logger.server";
import {
  aliasesPerDocument,
  bulkTagLines,
  BULK_THRESHOLD_CUSTOMERS,
  chunk,
  shouldUseBulk,
  tagAliases,
  tagMutationDocument,
  type TagAlias,
  type TagBatchResult,
} from "./batch";
import { applyTagDiff, type TagDiff } from "./diff";
import type { CustomerTagChange } from "./tag-changes.server";

export interface TagWriteStats {
  changedCustomers: number;
  apiCalls: number;
  bulkOperations: number;
  cappedCustomers: number;
  /** Customers Shopify refused a change for (e.g. deleted in Shopify); their app tags are left as they were. */
  failedCustomers: Array<{ customerId: string; message: string }>;
}

export class WritebackError extends Error {
  override name = "WritebackError";
}

/** Sends the tag changes and records the result in Customer/CustomerWriteback. */
export async function writeTagChanges(
  api: AdminApi,
  client: PgClient,
  shopId: string,
  changes: readonly CustomerTagChange[],
  options: {
    bulkThreshold?: number;
    /** The most bytes of one bulk mutation file (default: what Shopify accepts, MAX_BULK_MUTATION_FILE_BYTES). */
    bulkFileBytes?: number;
    onProgress?: (done: number, total: number) => Promise<void> | void;
  } = {},
): Promise<TagWriteStats> {
  const callsBefore = api.stats.calls;
  const toSend = changes.filter((c) => c.diff.add.length || c.diff.remove.length);
  const stats: TagWriteStats = {
    changedCustomers: toSend.length,
    apiCalls: 0,
    bulkOperations: 0,
    cappedCustomers: changes.filter((c) => c.diff.capped.length > 0).length,
    failedCustomers: [],
  };
  // Failures per customer and side; the rest of the diff is applied.
  const failed = new Map<string, { add: boolean; remove: boolean; message: string }>();
  const fail = (customerId: string, side: "add" | "remove", message: string) => {
    const f = failed.get(customerId) ?? { add: false, remove: false, message };
    f[side] = true;
    failed.set(customerId, f);
  };
  if (shouldUseBulk(toSend.length, options.bulkThreshold ?? BULK_THRESHOLD_CUSTOMERS)) {
    const lines = bulkTagLines(toSend);
    const withRemove = toSend.filter((c) => c.diff.remove.length > 0);
    const withAdd = toSend.filter((c) => c.diff.add.length > 0);
    const fileBytes = { maxFileBytes: options.bulkFileBytes };
    const removed = await runBulkMutation(api, CUSTOMER_TAGS_REMOVE_BULK, lines.remove, "tagsRemove", fileBytes);
    stats.bulkOperations += removed.operations;
    for (const [line, message] of removed.failed) fail(withRemove[line].customerId, "remove", message);
    const added = await runBulkMutation(api, CUSTOMER_TAGS_ADD_BULK, lines.add, "tagsAdd", fileBytes);
    stats.bulkOperations += added.operations;
    for (const [line, message] of added.failed) fail(withAdd[line].customerId, "add", message);
    await options.onProgress?.(toSend.length, toSend.length);
  } else {
    let done = 0;
    // Customers are never split across documents, so a document's result settles them.
    for (let start = 0; start < toSend.length;) {
      const perDocument = aliasesPerDocument(api.lastThrottleStatus?.maximumAvailable);
      const batch: CustomerTagChange[] = [];
      let aliases = 0;
      while (start < toSend.length) {
        const sides = (toSend[start].diff.add.length ? 1 : 0) + (toSend[start].diff.remove.length ? 1 : 0);
        if (batch.length > 0 && aliases + sides > perDocument) break;
        batch.push(toSend[start++]);
        aliases += sides;
      }
      const list = tagAliases(batch);
      const { query, variables } = tagMutationDocument(list);
      const data = await api.requestBuiltDocument<TagBatchResult>(query, variables);
      list.forEach((a: TagAlias, i: number) => {
        const result = data[`${a.alias}_${i}`];
        const errors = result?.userErrors ?? [{ message: "no result" }];
        if (errors.length)
          fail(a.customerId, a.mutation === "tagsAdd" ? "add" : "remove", errors.map((e) => e.message).join("; "));
      });
      done += batch.length;
      await options.onProgress?.(done, toSend.length);
    }
  }
  stats.apiCalls = api.stats.calls - callsBefore;
  for (const [customerId, f] of failed) stats.failedCustomers.push({ customerId, message: f.message });
  await recordAppliedTags(
    client,
    shopId,
    changes.map((c) => {
      const f = failed.get(c.customerId);
      const diff: TagDiff = {
        add: f?.add ? [] : c.diff.add,
        remove: f?.remove ? [] : c.diff.remove,
        capped: c.diff.capped,
      };
      return { ...c, diff };
    }),
  );
  if (stats.failedCustomers.length) {
    logger.warn(
      { shopId, failed: stats.failedCustomers.slice(0, 10), count: stats.failedCustomers.length },
      "tag write-back refused for some customers",
    );
  }
  return stats;
}

/**
 * Customer.appTags/tagCount after the applied diffs, and the capped tags for the UI
 * (also the recompute bench's record of a write-back, bench/recompute.ts).
 */
export async function recordAppliedTags(
  client: PgClient,
  shopId: string,
  changes: readonly CustomerTagChange[],
): Promise<void> {
  for (const part of chunk(changes, 5_000)) {
    await storeAppliedTags(
      client,
      shopId,
      part.map((c) => ({
        id: c.customerId,
        tags: applyTagDiff(c.current, c.diff),
        count: Math.max(0, c.tagCount - c.diff.remove.length + c.diff.add.length),
      })),
    );
    await recordCappedTags(
      client,
      shopId,
      part.map((c) => ({ id: c.customerId, capped: c.diff.capped })),
    );
  }
}
