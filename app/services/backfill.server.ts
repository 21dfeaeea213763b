import type { PrismaClient } from "@prisma/client";
import type { AdminApi } from "../shopify/admin-api.server";
import {
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS,
  CURRENT_BULK_QUERY,
} from "../graphql/admin/bulk-operations.server";
import { CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY } from "../graphql/admin/orders.server";
import { readBulkGroups, type BulkReadProgress } from "../sync/bulk-jsonl.server";
import { numericId, orderFromGraphql, type OrderRecord } from "../sync/order-record";
import { upsertOrders } from "./order-store.server";
import { upsertCustomers, type CustomerRecord } from "./customer-store.server";
import { shopTagPrefix } from "./shop-settings.server";

export interface BackfillProgress {
  step: "orders-export" | "orders-import" | "customers-export" | "customers-import" | "done";
  ordersOperationId?: string;
  customersOperationId?: string;
  linesRead: number;
  ordersStored: number;
  customersStored: number;
  startedAt: string;
}

export interface BackfillOptions {
  db: PrismaClient;
  api: AdminApi;
  shopId: string;
  /** The JobRun that records progress for the UI (and lets a retry resume). */
  runId: string;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Called after each stored batch (tests use it to kill a worker midway). */
  onBatch?: (progress: BackfillProgress) => Promise<void> | void;
}

export class BulkOperationError extends Error {
  override name = "BulkOperationError";
}

/**
 * Install backfill: a bulk export of all orders, then of all customers,
 * streamed into the database in batches. Safe to re-run or resume after a
 * crash: the bulk operation id is kept in the run's progress (and an export
 * still running for the shop is adopted rather than started twice), and every
 * write is an upsert keyed by Shopify id.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillProgress> {
  const { db, api, shopId, runId } = options;
  const run = await db.jobRun.findUniqueOrThrow({ where: { id: runId } });
  const saved = run.progress as Partial<BackfillProgress>;
  const progress: BackfillProgress = {
    step: "orders-export",
    linesRead: 0,
    ordersStored: 0,
    customersStored: 0,
    startedAt: new Date().toISOString(),
    ...saved,
  };
  const save = async (step: BackfillProgress["step"]) => {
    progress.step = step;
    await db.jobRun.update({ where: { id: runId }, data: { step, progress: { ...progress } } });
  };
  const tagPrefix = await shopTagPrefix(db, shopId);

  // Orders. A resumed run re-reads the export from the start: upserts make that harmless.
  if (progress.step === "orders-export" || progress.step === "orders-import") {
    progress.ordersOperationId ??= await startExport(api, ORDERS_BULK_QUERY);
    await save("orders-export");
    const url = await waitForExport(api, progress.ordersOperationId, options.pollIntervalMs);
    progress.linesRead = 0;
    progress.ordersStored = 0;
    await save("orders-import");
    if (url) await importOrders(options, url, progress, save);
    await save("customers-export");
  }

  if (progress.step === "customers-export" || progress.step === "customers-import") {
    progress.customersOperationId ??= await startExport(api, CUSTOMERS_BULK_QUERY);
    await save("customers-export");
    const url = await waitForExport(api, progress.customersOperationId, options.pollIntervalMs);
    progress.customersStored = 0;
    await save("customers-import");
    if (url) {
      const batch: CustomerRecord[] = [];
      const flush = async () => {
        progress.customersStored += await upsertCustomers(db, shopId, tagPrefix, batch.splice(0));
      };
      for await (const { node } of readBulkGroups(url, { lines: 0 })) {
        batch.push({
          id: numericId(node.id, "customer.id"),
          shopifyCreatedAt: node.createdAt ? new Date(node.createdAt) : null,
          shopifyUpdatedAt: node.updatedAt ? new Date(node.updatedAt) : null,
          tags: Array.isArray(node.tags) ? node.tags : [],
          emailMarketing: node.emailMarketingConsent?.marketingState ?? null,
        });
        if (batch.length >= (options.batchSize ?? 1000)) await flush();
      }
      await flush();
    }
  }
  await save("done");
  return progress;
}

async function importOrders(
  options: BackfillOptions,
  url: string,
  progress: BackfillProgress,
  save: (step: BackfillProgress["step"]) => Promise<void>,
) {
  const batchSize = options.batchSize ?? 1000;
  const reading: BulkReadProgress = { lines: 0 };
  let batch: OrderRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await upsertOrders(options.db, options.shopId, batch);
    progress.ordersStored += batch.length;
    progress.linesRead = reading.lines;
    batch = [];
    await save("orders-import");
    await options.onBatch?.(progress);
  };
  for await (const group of readBulkGroups(url, reading)) {
    batch.push(orderFromGraphql(group.node, group.children));
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  progress.linesRead = reading.lines;
}

/** Starts a bulk export, or adopts the shop's running export of the same query. */
async function startExport(api: AdminApi, query: string): Promise<string> {
  const current = await api.request<{ currentBulkOperation: { id: string; status: string; query: string } | null }>(
    CURRENT_BULK_QUERY,
  );
  const running = current.currentBulkOperation;
  if (running && ["CREATED", "RUNNING"].includes(running.status)) {
    if (normalize(running.query) === normalize(query)) return running.id;
    // Another export of this app is running (only one per shop): wait for it.
    await waitForExport(api, running.id, 1000).catch(() => undefined);
  }
  const result = await api.request<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ message: string }> };
  }>(BULK_OPERATION_RUN_QUERY, { query });
  const { bulkOperation, userErrors } = result.bulkOperationRunQuery;
  if (!bulkOperation) {
    throw new BulkOperationError(`Shopify refused the bulk export: ${userErrors.map((e) => e.message).join("; ")}`);
  }
  return bulkOperation.id;
}

/** Polls until the export completes; returns its JSONL URL (null when it produced no objects). */
export async function waitForExport(api: AdminApi, id: string, pollIntervalMs = 1000): Promise<string | null> {
  for (;;) {
    const { node } = await api.request<{
      node: { status: string; errorCode: string | null; url: string | null; objectCount: string } | null;
    }>(BULK_OPERATION_STATUS, { id });
    if (!node) throw new BulkOperationError(`Bulk operation ${id} does not exist`);
    if (node.status === "COMPLETED") return node.url;
    if (["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(node.status)) {
      throw new BulkOperationError(
        `Bulk operation ${id} ended ${node.status}${node.errorCode ? ` (${node.errorCode})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

const normalize = (query: string) => query.replace(/\s+/g, " ").trim();
