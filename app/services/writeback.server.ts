// Writes the differences to Shopify: segment tags (tagsAdd/tagsRemove, batched
// or as bulk mutations), customer metafields ($app:segments) and the optional
// native segment mirrors. After each successful write the app's copy
// (Customer.appTags/tagCount, CustomerWriteback) is updated, so a recompute on
// unchanged data finds nothing to send.
import {
  BULK_OPERATION_RUN_MUTATION,
  BULK_OPERATION_STATUS,
  STAGED_UPLOADS_CREATE,
} from "../graphql/admin/bulk-operations.server";
import { CUSTOMER_TAGS_ADD_BULK, CUSTOMER_TAGS_REMOVE_BULK } from "../graphql/admin/customer-tags.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { logger } from "../utils/logger.server";
import {
  aliasesPerDocument,
  bulkTagFiles,
  BULK_THRESHOLD_CUSTOMERS,
  chunk,
  shouldUseBulk,
  tagAliases,
  tagMutationDocument,
  type TagAlias,
} from "../writeback/batch";
import { applyTagDiff, type TagDiff } from "../writeback/diff";
import type { CustomerTagChange } from "./recompute.server";
import type { PgClient } from "./recompute-pg.server";

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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends the tag changes and records the result in Customer/CustomerWriteback. */
export async function writeTagChanges(
  api: AdminApi,
  client: PgClient,
  shopId: string,
  changes: readonly CustomerTagChange[],
  options: { bulkThreshold?: number; onProgress?: (done: number, total: number) => Promise<void> | void } = {},
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
    const files = bulkTagFiles(toSend);
    const withRemove = toSend.filter((c) => c.diff.remove.length > 0);
    const withAdd = toSend.filter((c) => c.diff.add.length > 0);
    if (files.removeLines) {
      const errors = await runBulkMutation(api, CUSTOMER_TAGS_REMOVE_BULK, files.remove, "tagsRemove");
      stats.bulkOperations++;
      for (const [line, message] of errors) fail(withRemove[line].customerId, "remove", message);
    }
    if (files.addLines) {
      const errors = await runBulkMutation(api, CUSTOMER_TAGS_ADD_BULK, files.add, "tagsAdd");
      stats.bulkOperations++;
      for (const [line, message] of errors) fail(withAdd[line].customerId, "add", message);
    }
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
      const data = await api.request<Record<string, { userErrors: Array<{ message: string }> } | null>>(
        query,
        variables,
      );
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

/** Customer.appTags/tagCount after the applied diffs, and the capped tags for the UI. */
async function recordAppliedTags(
  client: PgClient,
  shopId: string,
  changes: readonly CustomerTagChange[],
): Promise<void> {
  for (const part of chunk(changes, 5_000)) {
    const rows = part.map((c) => ({
      id: c.customerId,
      tags: applyTagDiff(c.current, c.diff),
      count: Math.max(0, c.tagCount - c.diff.remove.length + c.diff.add.length),
      capped: c.diff.capped,
    }));
    const json = JSON.stringify(rows);
    await client.query(
      `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
       SELECT $1, u.id, ARRAY(SELECT jsonb_array_elements_text(u.tags)), u.count, now()
       FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, tags jsonb, count int, capped jsonb)
       ON CONFLICT ("shopId", id) DO UPDATE SET "appTags" = EXCLUDED."appTags", "tagCount" = EXCLUDED."tagCount", "updatedAt" = now()`,
      [shopId, json],
    );
    await client.query(
      `INSERT INTO "CustomerWriteback" ("shopId", "customerId", "cappedTags", "updatedAt")
       SELECT $1, u.id, ARRAY(SELECT jsonb_array_elements_text(u.capped)), now()
       FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, capped jsonb)
       ON CONFLICT ("shopId", "customerId") DO UPDATE SET "cappedTags" = EXCLUDED."cappedTags", "updatedAt" = now()`,
      [shopId, json],
    );
  }
}

interface StagedTarget {
  url: string;
  parameters: Array<{ name: string; value: string }>;
}

/**
 * One bulk mutation: stage the JSONL variables, start the operation (waiting
 * while another bulk mutation of the app runs), poll until it ends, and read
 * the result file. Returns the failed lines (0-based line -> message).
 */
export async function runBulkMutation(
  api: AdminApi,
  mutation: string,
  jsonl: string,
  field: string,
): Promise<Map<number, string>> {
  const staged = await api.request<{
    stagedUploadsCreate: { stagedTargets: StagedTarget[]; userErrors: Array<{ message: string }> };
  }>(STAGED_UPLOADS_CREATE, {
    input: [
      {
        resource: "BULK_MUTATION_VARIABLES",
        filename: "segment-tags.jsonl",
        mimeType: "text/jsonl",
        httpMethod: "POST",
      },
    ],
  });
  const target = staged.stagedUploadsCreate.stagedTargets[0];
  if (!target || staged.stagedUploadsCreate.userErrors.length) {
    throw new WritebackError(
      `stagedUploadsCreate failed: ${staged.stagedUploadsCreate.userErrors.map((e) => e.message).join("; ")}`,
    );
  }
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "segment-tags.jsonl");
  const upload = await fetchWithRetry(target.url, { method: "POST", body: form });
  if (!upload.ok) throw new WritebackError(`staged upload failed: HTTP ${upload.status} ${await upload.text()}`);
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new WritebackError("staged upload target has no key parameter");

  let operationId: string | null = null;
  for (let attempt = 0; operationId === null; attempt++) {
    const run = await api.request<{
      bulkOperationRunMutation: {
        bulkOperation: { id: string } | null;
        userErrors: Array<{ message: string; code?: string }>;
      };
    }>(BULK_OPERATION_RUN_MUTATION, { mutation, stagedUploadPath: key });
    const result = run.bulkOperationRunMutation;
    if (result.bulkOperation) {
      operationId = result.bulkOperation.id;
    } else if (result.userErrors.some((e) => e.code === "LIMIT_REACHED" || e.code === "OPERATION_IN_PROGRESS")) {
      // Another bulk mutation of the app (e.g. of a worker that died) is still running: wait for it.
      await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
    } else {
      throw new WritebackError(
        `bulkOperationRunMutation failed: ${result.userErrors.map((e) => e.message).join("; ")}`,
      );
    }
  }
  let url: string | null = null;
  for (let poll = 0; ; poll++) {
    const status = await api.request<{
      node: { status: string; errorCode: string | null; url: string | null; partialDataUrl: string | null } | null;
    }>(BULK_OPERATION_STATUS, { id: operationId });
    const op = status.node;
    if (!op) throw new WritebackError(`bulk operation ${operationId} disappeared`);
    if (op.status === "COMPLETED") {
      url = op.url;
      break;
    }
    if (op.status === "FAILED" || op.status === "CANCELED" || op.status === "EXPIRED") {
      throw new WritebackError(
        `bulk ${field} operation ${operationId} ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`,
      );
    }
    await sleep(Math.min(5_000, 200 * 1.5 ** Math.min(poll, 10)));
  }
  const failed = new Map<number, string>();
  if (!url) return failed; // no result file: nothing was executed with errors
  const response = await fetchWithRetry(url, {});
  if (!response.ok) throw new WritebackError(`bulk result download failed: HTTP ${response.status}`);
  const text = await response.text();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as {
      data?: Record<string, { userErrors?: Array<{ message: string }> }>;
      errors?: Array<{ message: string }>;
      __lineNumber: number;
    };
    const userErrors = row.data?.[field]?.userErrors ?? [];
    const messages = [...(row.errors ?? []), ...userErrors].map((e) => e.message);
    if (messages.length) failed.set(row.__lineNumber, messages.join("; "));
  }
  return failed;
}

async function fetchWithRetry(url: string, init: RequestInit, attempts = 5): Promise<Response> {
  for (let i = 1; ; i++) {
    try {
      const response = await fetch(url, init);
      if (response.status < 500 || i >= attempts) return response;
    } catch (error) {
      if (i >= attempts) throw error;
    }
    await sleep(250 * 2 ** i);
  }
}
