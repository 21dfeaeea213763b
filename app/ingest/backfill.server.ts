// The install backfill: a bulk export of all orders, then of all customers,
// streamed into the database in batches, recorded as a JobRun the admin
// shows. When the history is in, the shop is segmented, recomputed nightly and
// reconciled (the next steps, enqueued here).
import type { PrismaClient } from "@prisma/client";
import { CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY } from "../graphql/admin/orders.server";
import type { PipelineContext } from "../pipeline";
import { scheduleDailySnapshot } from "../queues/insights.server";
import { enqueueShopRecompute, scheduleNightlyRecompute } from "../queues/segments.server";
import { scheduleReconcile } from "../queues/sync.server";
import { nightlyHourOf } from "../settings/shop-config";
import { shopTagPrefix } from "../settings/settings.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { startBulkQuery, waitForBulkOperation } from "../shopify/bulk-operations.server";
import { dropStagedLines, stagedRootCount } from "../stores/bulk-staging.server";
import { upsertCustomers, type CustomerRecord } from "../stores/customers.server";
import { upsertOrders } from "../stores/orders.server";
import { withPgClient, type WithPgClient } from "../stores/pg/pool.server";
import { rememberProductTypes } from "../stores/product-types.server";
import { completeRun, failRun, findRun, resumeRun, saveRunProgress, startRun } from "../stores/runs.server";
import { patchSyncState, readSettings, readSyncState } from "../stores/shops.server";
import { readBulkRoots, readStagedBulkGroups, stageBulkExport } from "./bulk-jsonl.server";
import { numericId, orderFromGraphql, productTypesOf, type OrderRecord } from "./order-record";

export interface BackfillProgress {
  step: "orders-export" | "orders-import" | "customers-export" | "customers-import" | "done";
  ordersOperationId?: string;
  customersOperationId?: string;
  linesRead: number;
  ordersStored: number;
  /** Orders in the export (its parent lines), known once it is staged: the import's progress is ordersStored of this. */
  ordersTotal?: number;
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
  /** Where the export is staged: the process's pool unless given (a benchmark's own database). */
  withPg?: WithPgClient;
}

type Save = (step: BackfillProgress["step"]) => Promise<void>;

/**
 * Runs (or resumes) the backfill of a JobRun. Safe to re-run or resume after
 * a crash: the bulk operation ids are kept in the run's progress and each
 * operation is followed by its id (an export started by a worker that died
 * before saving the id is found among the app's running exports), and every
 * write is an upsert keyed by Shopify id.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillProgress> {
  const { db, api, runId } = options;
  const run = await findRun(db, runId);
  const progress: BackfillProgress = {
    step: "orders-export",
    linesRead: 0,
    ordersStored: 0,
    customersStored: 0,
    startedAt: new Date().toISOString(),
    ...(run.progress as Partial<BackfillProgress>),
  };
  const save: Save = async (step) => {
    progress.step = step;
    await saveRunProgress(db, runId, step, { ...progress });
  };
  // A resumed run re-reads an export from the start: upserts make that harmless.
  if (progress.step === "orders-export" || progress.step === "orders-import") {
    progress.ordersOperationId ??= await startBulkQuery(api, ORDERS_BULK_QUERY);
    await save("orders-export");
    const url = await waitForBulkOperation(api, progress.ordersOperationId, {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
    });
    progress.linesRead = 0;
    progress.ordersStored = 0;
    await save("orders-import");
    if (url) await importOrders(options, url, progress, save);
    await save("customers-export");
  }
  if (progress.step === "customers-export" || progress.step === "customers-import") {
    progress.customersOperationId ??= await startBulkQuery(api, CUSTOMERS_BULK_QUERY);
    await save("customers-export");
    const url = await waitForBulkOperation(api, progress.customersOperationId, {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
    });
    progress.customersStored = 0;
    await save("customers-import");
    if (url) await importCustomers(options, url, progress);
  }
  await save("done");
  return progress;
}

/**
 * The orders export: staged in PostgreSQL (its child lines may come before
 * their parents), read back one order with its lines at a time, stored in
 * batches; the staged lines are deleted whatever happens.
 */
async function importOrders(options: BackfillOptions, url: string, progress: BackfillProgress, save: Save) {
  const batchSize = options.batchSize ?? 1000;
  const { db, shopId, runId } = options;
  await (options.withPg ?? withPgClient)(async (client) => {
    try {
      const staging = { lines: 0 };
      await stageBulkExport(client, { runId, shopId }, url, staging);
      progress.linesRead = staging.lines;
      progress.ordersTotal = await stagedRootCount(client, runId);
      await save("orders-import");
      let batch: OrderRecord[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await upsertOrders(db, shopId, batch);
        await rememberProductTypes(db, shopId, productTypesOf(batch));
        progress.ordersStored += batch.length;
        batch = [];
        await save("orders-import");
        await options.onBatch?.(progress);
      };
      for await (const group of readStagedBulkGroups(client, runId)) {
        batch.push(orderFromGraphql(group.node, group.children));
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } finally {
      await dropStagedLines(client, runId).catch(() => undefined);
    }
  });
}

async function importCustomers(options: BackfillOptions, url: string, progress: BackfillProgress) {
  const tagPrefix = await shopTagPrefix(options.db, options.shopId);
  const batch: CustomerRecord[] = [];
  const flush = async () => {
    progress.customersStored += await upsertCustomers(options.db, options.shopId, tagPrefix, batch.splice(0));
  };
  for await (const node of readBulkRoots(url)) {
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

/** Starts or resumes the JobRun of a backfill, runs it, and records the outcome for the UI. */
export async function backfillShop(
  db: PrismaClient,
  api: AdminApi,
  shop: { id: string },
  runId: string | undefined,
  options: {
    pollIntervalMs?: number;
    onBatch?: (progress: BackfillProgress) => Promise<void> | void;
    withPg?: WithPgClient;
    /** Called once the JobRun exists, so the job can remember it for a retry. */
    onRun?: (runId: string) => Promise<void>;
  } = {},
): Promise<{ runId: string; progress: BackfillProgress }> {
  const run = runId
    ? await resumeRun(db, runId)
    : await startRun(db, { shopId: shop.id, kind: "backfill", step: "starting" });
  await options.onRun?.(run.id);
  if (!runId) await patchSyncState(db, shop.id, { backfillStartedAt: new Date().toISOString() });
  try {
    const progress = await runBackfill({ db, api, shopId: shop.id, runId: run.id, ...options });
    const state = await readSyncState(db, shop.id);
    await db.$transaction(async (tx) => {
      await completeRun(tx, run.id);
      await patchSyncState(tx, shop.id, {
        backfillCompletedAt: new Date().toISOString(),
        // Reconciliation takes over from the moment the export began.
        lastReconciledAt: state.lastReconciledAt ?? state.backfillStartedAt,
      });
    });
    return { runId: run.id, progress };
  } catch (error) {
    await failRun(db, run.id, error);
    throw error;
  }
}

/**
 * The backfill job: the shop's history, then its next steps: the first
 * recompute, the nightly schedule (in the shop's time zone) and reconciliation.
 */
export async function backfillAndHandOver(
  ctx: PipelineContext,
  shop: { id: string; domain: string; timezone: string },
  runId: string | undefined,
  onRun: (runId: string) => Promise<void>,
): Promise<{ ordersStored: number; customersStored: number }> {
  const api = await ctx.adminApi(shop.domain);
  const { progress } = await backfillShop(ctx.db, api, shop, runId, { pollIntervalMs: ctx.pollIntervalMs, onRun });
  // The schedule first: once the first recompute is enqueued it can finish before anything after it here.
  const hour = nightlyHourOf(await readSettings(ctx.db, shop.id));
  await scheduleNightlyRecompute(ctx.queues, shop.domain, { timeZone: shop.timezone, hour });
  await enqueueShopRecompute(ctx.queues, { shop: shop.domain, reason: "backfill" });
  await scheduleDailySnapshot(ctx.queues, shop.domain, shop.timezone);
  await scheduleReconcile(ctx.queues, shop.domain);
  return { ordersStored: progress.ordersStored, customersStored: progress.customersStored };
}
