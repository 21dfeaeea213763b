import { segmentationNow } from "../../utils/segmentation-clock.server";
import type { PrismaClient } from "@prisma/client";
import { UnrecoverableError, WaitingChildrenError, type Job } from "bullmq";
import pg from "pg";
import { env } from "../../config/env.server";
import { jobId, QUEUE } from "../../queues/names";
import type { QueueRegistry } from "../../queues/registry.server";
import {
  enqueueShopRecompute,
  type RecomputeChunkJob,
  type RecomputeShopJob,
  type ResegmentCustomerJob,
} from "../../queues/segments.server";
import {
  forgetPreviousPrefixes,
  shopConfigFrom,
  ShopSettingsError,
  type ShopConfig,
} from "../../services/shop-settings.server";
import {
  computeTagChanges,
  DEFAULT_CHUNK_SIZE,
  dropRecomputeSlices,
  fitShopStep,
  loadShopCutoffs,
  processChunk,
} from "../../services/recompute.server";
import {
  completeRecomputeRun,
  recordChunkDone,
  recordRecomputeError,
  startRecomputeRun,
  updateRecomputeRun,
} from "../../services/recompute-run.server";
import { writeTagChanges } from "../../services/writeback.server";
import { writePendingMetafields } from "../../services/writeback-metafields.server";
import { syncSegmentMirrors } from "../../services/writeback-mirrors.server";
import type { AdminApi } from "../../shopify/admin-api.server";
import { logger } from "../../utils/logger.server";

export interface SegmentsProcessorDeps {
  db: PrismaClient;
  registry: QueueRegistry;
  adminApi(shop: string): Promise<AdminApi>;
  databaseUrl?: string;
  /** Customers per chunk job (tests use small chunks to get several children). */
  chunkSize?: number;
}

/**
 * The segments queue: full recomputes as a parent job with child chunk jobs
 * (a BullMQ flow built step by step, docs/decisions/010-recompute-flow.md),
 * per-customer re-segmentation, and the nightly trigger. Thin: the work is
 * in app/services/recompute*, memberships*, writeback*.
 */
export function segmentsProcessor(deps: SegmentsProcessorDeps) {
  const pool = new pg.Pool({ connectionString: deps.databaseUrl ?? env().DATABASE_URL, max: 4, allowExitOnIdle: true });
  // An idle client whose connection drops (database restart) must not crash the worker.
  pool.on("error", (error) => logger.warn({ error: error.message }, "segments: idle PostgreSQL client error"));
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };
  // RECOMPUTE_CHUNK_SIZE: customers per chunk job (an operational knob; tests use small chunks).
  const chunkSize = deps.chunkSize ?? (Number(process.env.RECOMPUTE_CHUNK_SIZE) || DEFAULT_CHUNK_SIZE);
  const isFinalAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

  async function loadConfig(where: { domain: string } | { id: string }): Promise<ShopConfig | null> {
    const shop = await deps.db.shop.findUnique({ where: where as never });
    if (!shop || shop.status === "uninstalled") return null;
    try {
      return shopConfigFrom(shop);
    } catch (error) {
      if (error instanceof ShopSettingsError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  async function recomputeShop(job: Job<RecomputeShopJob>, token: string | undefined) {
    let data = job.data;
    const config = await loadConfig({ domain: data.shop });
    if (!config) return { skipped: "shop not installed" };
    const asOf = new Date(data.asOf);
    const runId = data.runId ?? (await startRecomputeRun(deps.db, config.shopId, data.reason));
    if (!data.runId) {
      // Kept in the job at once, so every retry of this recompute reports to the same run.
      data = { ...data, runId };
      await job.updateData(data);
    }
    let step = data.step ?? "fit";
    try {
      if (step === "fit") {
        const fit = await withClient(async (client) => {
          await updateRecomputeRun(client, runId, { step: "fit" });
          return fitShopStep(client, config, asOf, { chunkSize, runId });
        });
        data = {
          ...data,
          step: "chunks",
          runId,
          shopId: config.shopId,
          ranges: fit.ranges,
          firstRun: fit.firstRun,
          customers: fit.customers,
          readAt: fit.readAt.toISOString(),
        };
        await job.updateData(data);
        await withClient((client) =>
          updateRecomputeRun(client, runId, {
            step: "chunks",
            progress: {
              customersTotal: fit.customers,
              customersDone: 0,
              chunksTotal: fit.ranges.length,
              chunksDone: 0,
              orders: fit.orders,
            },
          }),
        );
        step = "chunks";
      }
      if (step === "chunks") {
        // Deterministic child ids: adding them again after a crash adds nothing twice.
        await deps.registry.get(QUEUE.segments).addBulk(
          data.ranges!.map((range, index) => ({
            name: "recompute.chunk",
            data: {
              shopId: config.shopId,
              runId,
              asOf: data.asOf,
              index,
              range,
              recordTransitions: !data.firstRun,
              readAt: data.readAt,
            } satisfies RecomputeChunkJob,
            opts: {
              jobId: jobId(job.id!, "chunk", index),
              parent: { id: job.id!, queue: job.queueQualifiedName },
              failParentOnFailure: true,
              attempts: 5,
              backoff: { type: "exponential", delay: 1_000, jitter: 0.5 },
            },
          })),
        );
        data = { ...data, step: "writeback" };
        await job.updateData(data);
        step = "writeback";
      }
      // Waits for every chunk; returns here when they are done (or at once if they already are).
      if (await job.moveToWaitingChildren(token!)) throw new WaitingChildrenError();
      return await writeBack(config, runId, data);
    } catch (error) {
      if (error instanceof WaitingChildrenError) throw error;
      const final = error instanceof UnrecoverableError || isFinalAttempt(job);
      await withClient(async (client) => {
        await recordRecomputeError(client, runId, step, (error as Error).message, final);
        if (final) await dropRecomputeSlices(client, runId);
      }).catch(() => undefined);
      throw error;
    }
  }

  async function writeBack(config: ShopConfig, runId: string, data: RecomputeShopJob) {
    const api = await deps.adminApi(config.domain);
    return withClient(async (client) => {
      await updateRecomputeRun(client, runId, { step: "writeback" });
      await dropRecomputeSlices(client, runId);
      const changes = await computeTagChanges(client, config);
      const tags = await writeTagChanges(api, client, config.shopId, changes, {
        onProgress: (done, total) =>
          updateRecomputeRun(client, runId, { progress: { writebackDone: done, writebackTotal: total } }),
      });
      const metafields = config.writeback.metafields
        ? await writePendingMetafields(api, client, config.shopId)
        : { customers: 0, apiCalls: 0, bulkOperations: 0, definitionsCreated: 0, failedCustomers: 0 };
      const mirrors = await syncSegmentMirrors(api, deps.db, config);
      if (tags.failedCustomers.length === 0 && config.prefixes.length > 1) {
        const old = config.prefixes.slice(1);
        const { rows } = await client.query(
          `SELECT 1 FROM "Customer", unnest("appTags") t WHERE "shopId" = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE lower(t) LIKE lower(p) || '%') LIMIT 1`,
          [config.shopId, old],
        );
        if (rows.length === 0) await forgetPreviousPrefixes(deps.db, config.shopId, old);
      }
      const writeback = {
        changedCustomers: tags.changedCustomers,
        apiCalls: tags.apiCalls,
        bulkOperations: tags.bulkOperations,
        cappedCustomers: tags.cappedCustomers,
        failedCustomers: tags.failedCustomers.length,
        failedExamples: tags.failedCustomers.slice(0, 20),
      };
      const summary = { writeback, metafields, mirrors, customers: data.customers };
      await completeRecomputeRun(client, runId, summary);
      return summary;
    });
  }

  async function recomputeChunk(job: Job<RecomputeChunkJob>) {
    const { shopId, runId, index, range } = job.data;
    try {
      const config = await loadConfig({ id: shopId });
      if (!config) return { skipped: "shop not installed" };
      return await withClient(async (client) => {
        const model = await loadShopCutoffs(client, shopId);
        if (!model) throw new Error("no stored cut-offs for the shop (the fit step did not finish)");
        const { readAt } = job.data;
        const result = await processChunk(client, {
          config,
          cutoffs: model.cutoffs,
          asOf: new Date(job.data.asOf),
          range,
          recordTransitions: job.data.recordTransitions,
          slice: readAt ? { runId, index, readAt: new Date(readAt) } : undefined,
        });
        await recordChunkDone(client, runId, result.customers);
        return result;
      });
    } catch (error) {
      const final = error instanceof UnrecoverableError || isFinalAttempt(job);
      await withClient((client) =>
        recordRecomputeError(client, runId, `chunk ${index}`, (error as Error).message, final),
      ).catch(() => undefined);
      throw error;
    }
  }

  async function resegmentCustomer(job: Job<ResegmentCustomerJob>) {
    const { shop, customerId } = job.data;
    const config = await loadConfig({ domain: shop });
    if (!config) return { skipped: "shop not installed" };
    return withClient(async (client) => {
      const model = await loadShopCutoffs(client, config.shopId);
      if (!model || model.cutoffs.timeZone !== config.segmentation.timeZone) {
        // No usable model yet: the full recompute (coalesced) will cover this customer.
        await enqueueShopRecompute(deps.registry, { shop, reason: "manual" });
        return { skipped: "no model; full recompute requested" };
      }
      const result = await processChunk(client, {
        config,
        cutoffs: model.cutoffs,
        asOf: segmentationNow(),
        range: { from: customerId, to: customerId },
        recordTransitions: true,
      });
      const changes = await computeTagChanges(client, config, customerId);
      const needsApi = changes.some((c) => c.diff.add.length || c.diff.remove.length) || result.metafieldsPending > 0;
      if (!needsApi) return { ...result, tagsChanged: 0 };
      const api = await deps.adminApi(shop);
      const tags = await writeTagChanges(api, client, config.shopId, changes);
      const metafields = config.writeback.metafields
        ? await writePendingMetafields(api, client, config.shopId, { customerId })
        : null;
      return { ...result, tagsChanged: tags.changedCustomers, metafields };
    });
  }

  return async (job: Job, token?: string) => {
    switch (job.name) {
      case "recompute.shop":
        return recomputeShop(job as Job<RecomputeShopJob>, token);
      case "recompute.chunk":
        return recomputeChunk(job as Job<RecomputeChunkJob>);
      case "resegment.customer":
        return resegmentCustomer(job as Job<ResegmentCustomerJob>);
      case "recompute.nightly":
        return { enqueued: await enqueueShopRecompute(deps.registry, { shop: job.data.shop, reason: "nightly" }) };
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on ${QUEUE.segments}`);
    }
  };
}
