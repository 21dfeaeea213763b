// The one runner of Shopify bulk operations, for exports (the install
// backfill) and mutations (tag and metafield write-back): start or adopt an
// operation, follow it by its id until it ends, and hand back its result file.
import pLimit from "p-limit";
import {
  BULK_OPERATION_RUN_MUTATION,
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS,
  RECENT_BULK_QUERIES,
  STAGED_UPLOADS_CREATE,
} from "../graphql/admin/bulk-operations.server";
import type { AdminApi } from "./admin-api.server";

class BulkOperationError extends Error {
  override name = "BulkOperationError";
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const ENDED_BADLY = ["FAILED", "CANCELED", "CANCELING", "EXPIRED"];
const normalize = (query: string) => query.replace(/\s+/g, " ").trim();
/** A refused mutation's userErrors as one line (or why there are none: no payload at all). */
const joinMessages = (errors: ReadonlyArray<{ message: string }> | undefined) =>
  errors ? errors.map((e) => e.message).join("; ") : "no payload returned";

interface RunningExport {
  id: string;
  status: string;
  query: string;
}

/** The app's bulk exports still running (CREATED or RUNNING), newest first. */
async function runningBulkQueries(api: AdminApi): Promise<RunningExport[]> {
  const recent = await api.request(RECENT_BULK_QUERIES);
  return recent.bulkOperations.nodes.filter((op) => op.status === "CREATED" || op.status === "RUNNING");
}

/**
 * Starts a bulk export and returns the operation's id, to be kept and
 * followed by id (waitForBulkOperation). The caller keeps ids of operations
 * it started; this only finds one it could not keep: an export of the same
 * query still running (started by a worker that crashed before saving the id)
 * is adopted rather than started twice, and another running export of the
 * app is waited for (Shopify runs one export per shop at a time).
 */
export async function startBulkQuery(api: AdminApi, query: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const running = await runningBulkQueries(api);
    const same = running.find((op) => normalize(op.query) === normalize(query));
    if (same) return same.id;
    for (const other of running) {
      await waitForBulkOperation(api, other.id, { pollIntervalMs: 1000 }).catch(() => undefined);
    }
    const result = await api.request(BULK_OPERATION_RUN_QUERY, { query });
    const bulkOperation = result.bulkOperationRunQuery?.bulkOperation;
    if (bulkOperation) return bulkOperation.id;
    const userErrors = result.bulkOperationRunQuery?.userErrors;
    // Another export started between the look and the start: look again.
    if (attempt < 3 && userErrors?.some((e) => e.code === "OPERATION_IN_PROGRESS")) continue;
    throw new BulkOperationError(`Shopify refused the bulk export: ${joinMessages(userErrors)}`);
  }
}

/**
 * Follows an operation by its id until it completes; returns its result
 * file's URL (null when it produced no objects). `pollIntervalMs` fixed, or
 * growing from 200 ms to 5 s when omitted.
 */
export async function waitForBulkOperation(
  api: AdminApi,
  id: string,
  options: { pollIntervalMs?: number } = {},
): Promise<string | null> {
  for (let poll = 0; ; poll++) {
    const { node } = await api.request(BULK_OPERATION_STATUS, { id });
    if (!node) throw new BulkOperationError(`Bulk operation ${id} does not exist`);
    if (node.status === "COMPLETED") return node.url ?? null;
    if (ENDED_BADLY.includes(node.status)) {
      throw new BulkOperationError(
        `Bulk operation ${id} ended ${node.status}${node.errorCode ? ` (${node.errorCode})` : ""}`,
      );
    }
    await sleep(options.pollIntervalMs ?? Math.min(5_000, 200 * 1.5 ** Math.min(poll, 10)));
  }
}

/** Uploads a bulk mutation's JSONL variables; returns the staged upload path. */
async function stageVariables(api: AdminApi, jsonl: string): Promise<string> {
  const staged = await api.request(STAGED_UPLOADS_CREATE, {
    input: [
      {
        resource: "BULK_MUTATION_VARIABLES",
        filename: "bulk-variables.jsonl",
        mimeType: "text/jsonl",
        httpMethod: "POST",
      },
    ],
  });
  const target = staged.stagedUploadsCreate?.stagedTargets?.[0];
  if (!target?.url || staged.stagedUploadsCreate?.userErrors.length) {
    throw new BulkOperationError(`stagedUploadsCreate failed: ${joinMessages(staged.stagedUploadsCreate?.userErrors)}`);
  }
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "bulk-variables.jsonl");
  const upload = await fetchWithRetry(target.url, { method: "POST", body: form });
  if (!upload.ok) throw new BulkOperationError(`staged upload failed: HTTP ${upload.status} ${await upload.text()}`);
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new BulkOperationError("staged upload target has no key parameter");
  return key;
}

/** Starts the bulk mutation, waiting while another bulk mutation of the app runs. */
async function startBulkMutation(api: AdminApi, mutation: string, stagedUploadPath: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const run = await api.request(BULK_OPERATION_RUN_MUTATION, { mutation, stagedUploadPath });
    const result = run.bulkOperationRunMutation;
    if (result?.bulkOperation) return result.bulkOperation.id;
    const userErrors = result?.userErrors ?? [];
    if (!userErrors.some((e) => e.code === "LIMIT_REACHED" || e.code === "OPERATION_IN_PROGRESS")) {
      throw new BulkOperationError(`bulkOperationRunMutation failed: ${joinMessages(userErrors)}`);
    }
    // Another bulk mutation of the app (e.g. of a worker that died) is still running: wait for it.
    await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
  }
}

/**
 * The most bytes one bulk mutation's JSONL file holds. Shopify's staged upload
 * target refuses a file over 20 MiB (20,971,520 bytes; S3's EntityTooLarge),
 * so a larger mutation runs as several files; this keeps a margin under it.
 */
const MAX_BULK_MUTATION_FILE_BYTES = 20_000_000;

/** What a bulk mutation did: the failed lines (0-based line -> message) and the operations it ran (one per file). */
export interface BulkMutationResult {
  failed: Map<number, string>;
  operations: number;
}

/**
 * Runs a mutation once per line (each line a JSON object of its variables):
 * the lines are cut into files of at most `maxFileBytes` (Shopify's upload
 * limit, MAX_BULK_MUTATION_FILE_BYTES), each staged, run and followed to its
 * end, up to `filesAtOnce` files at once (BULK_MUTATION_FILES_AT_ONCE). A line
 * longer than a file can hold is an error before anything is sent. Failed
 * lines are numbered across all the files.
 */
export async function runBulkMutation(
  api: AdminApi,
  mutation: string,
  lines: readonly string[],
  field: string,
  options: { maxFileBytes?: number; filesAtOnce?: number } = {},
): Promise<BulkMutationResult> {
  const files = bulkMutationFiles(lines, options.maxFileBytes ?? MAX_BULK_MUTATION_FILE_BYTES);
  const failed = new Map<number, string>();
  const limit = pLimit(options.filesAtOnce ?? BULK_MUTATION_FILES_AT_ONCE);
  // After a file fails, no further file starts; those running are followed to their end before the error is thrown,
  // so no operation of this write-back is left running unwatched (the caller records nothing and sends it all again).
  let stopped = false;
  const settled = await Promise.allSettled(
    files.map((file) =>
      limit(async () => {
        if (stopped) return;
        try {
          const fileFailed = await runBulkMutationFile(api, mutation, lines.slice(file.from, file.to), field);
          for (const [line, message] of fileFailed) failed.set(file.from + line, message);
        } catch (error) {
          stopped = true;
          throw error;
        }
      }),
    ),
  );
  const error = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (error) throw error.reason;
  return { failed, operations: files.length };
}

/**
 * Bulk mutation files of one write-back run at once, at most: Shopify runs up
 * to 5 bulk operations of an app per shop at once (API 2026-01 on); one is
 * left for the shop's other bulk work (the export of a backfill, another
 * worker's write-back), and a file that finds all taken waits (startBulkMutation).
 */
const BULK_MUTATION_FILES_AT_ONCE = 4;

/** The lines cut into runs of whole lines whose JSONL (each line and its newline) fits in `maxBytes`. */
export function bulkMutationFiles(lines: readonly string[], maxBytes: number): Array<{ from: number; to: number }> {
  const files: Array<{ from: number; to: number }> = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const size = Buffer.byteLength(lines[i]) + 1;
    if (size > maxBytes) {
      throw new BulkOperationError(
        `bulk mutation line ${i} has ${size} bytes, more than a file of at most ${maxBytes} bytes holds`,
      );
    }
    if (bytes + size > maxBytes) {
      files.push({ from, to: i });
      from = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (from < lines.length) files.push({ from, to: lines.length });
  return files;
}

/**
 * One bulk mutation file: stage the JSONL variables, start the operation,
 * follow it until it ends, and read the result file. Returns the failed lines
 * (0-based line of the file -> message).
 */
async function runBulkMutationFile(
  api: AdminApi,
  mutation: string,
  lines: readonly string[],
  field: string,
): Promise<Map<number, string>> {
  const key = await stageVariables(api, `${lines.join("\n")}\n`);
  const operationId = await startBulkMutation(api, mutation, key);
  const url = await waitForBulkOperation(api, operationId);
  const failed = new Map<number, string>();
  if (!url) return failed; // no result file: nothing was executed with errors
  const response = await fetchWithRetry(url, {});
  if (!response.ok) throw new BulkOperationError(`bulk result download failed: HTTP ${response.status}`);
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

/** Result files and staged uploads are plain HTTP: retried on network errors and 5xx. */
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
