// The recompute stage: features in, assignments and memberships out.
//  - A full recompute is a parent job with one child job per customer range
//    (docs/decisions/010-recompute-flow.md): the fit step (./fit.server.ts),
//    which enqueues each chunk (./chunk.server.ts) as soon as its slice is
//    stored (ADR 049), then, once they are done, the write-back is enqueued.
//  - A re-segmentation recomputes one customer with the stored cut-offs, then
//    enqueues that customer's write-back.
// The queue-facing parts (saving a step, waiting for children) come in
// through StepJob, so this module knows the steps, not BullMQ.
import type { PipelineContext } from "../pipeline";
import {
  enqueueRecomputeChunks,
  enqueueShopRecompute,
  type RecomputeChunkJob,
  type RecomputeShopJob,
  type ResegmentCustomerJob,
} from "../queues/segments.server";
import { enqueueCustomerWriteback, enqueueShopWriteback } from "../queues/writeback.server";
import { enqueueFiguresRefresh } from "../queues/insights.server";
import { loadInstalledShopConfig } from "../settings/settings.server";
import { hasMemberships, loadShopCutoffs } from "../stores/memberships.server";
import { analyzeAfterBulkWrite, withPgClient } from "../stores/pg/pool.server";
import {
  dropRecomputeSlices,
  recordChunkDone,
  recordRecomputeError,
  startRun,
  updateRecomputeRun,
  findRun,
} from "../stores/runs.server";
import { stopTagLog } from "../stores/tag-sync.server";
import { runtimeEnv } from "../config/env.server";
import { segmentationNow } from "../utils/segmentation-clock.server";
import { chunkSlice, processChunk, sliceOwnerData, sliceOwnerOf } from "./chunk.server";
import { DEFAULT_CHUNK_SIZE } from "./chunk-ranges";
import { fitShopStep, type ChunkPlan } from "./fit.server";
import { recomputeDuration, shopSizeLabel } from "../observability/metrics.server";

/** A multi-step job as a stage sees it: its data, a way to save a step, and whether this try is the last. */
export interface StepJob<Data> {
  id: string;
  /** Where children must point to reach this job (BullMQ's queue-qualified name). */
  queueQualifiedName: string;
  data: Data;
  save(data: Data): Promise<void>;
  finalAttempt: boolean;
  /** True when children are still running (the job must then yield until they finish). */
  childrenPending(): Promise<boolean>;
}

export type RecomputeOutcome = { waitingForChildren: true } | Record<string, unknown>;

function chunkSize(ctx: PipelineContext): number {
  return ctx.chunkSize ?? runtimeEnv().RECOMPUTE_CHUNK_SIZE ?? DEFAULT_CHUNK_SIZE;
}

/** Fit, then one chunk job per customer range, then (once they are done) the write-back. */
export async function recomputeShop(ctx: PipelineContext, job: StepJob<RecomputeShopJob>): Promise<RecomputeOutcome> {
  let data = job.data;
  const config = await loadInstalledShopConfig(ctx.db, { domain: data.shop });
  if (!config) return { skipped: "shop not installed" };
  const runId =
    data.runId ??
    (
      await startRun(ctx.db, {
        shopId: config.shopId,
        kind: "recompute",
        step: "fit",
        progress: { reason: data.reason, customersDone: 0, chunksDone: 0 },
      })
    ).id;
  if (!data.runId) {
    // Kept in the job at once, so every retry of this recompute reports to the same run.
    data = { ...data, runId };
    await job.save(data);
  }
  let step = data.step ?? "fit";
  try {
    if (step === "fit") {
      if (data.firstRun === undefined) {
        // Decided once per run: a retried fit step finds the memberships its failed
        // attempt's chunks wrote, and a first computation records no transitions.
        data = { ...data, firstRun: !(await withPgClient((client) => hasMemberships(client, config.shopId))) };
        // Every membership is written anew: the write-back after it compares every customer (ADR 066).
        if (data.firstRun) await withPgClient((client) => stopTagLog(client, config.shopId));
        await job.save(data);
      }
      const firstRun = data.firstRun;
      const fit = await withPgClient(async (client) => {
        await updateRecomputeRun(client, runId, { step: "fit" });
        return fitShopStep(client, config, new Date(data.asOf), {
          chunkSize: chunkSize(ctx),
          runId,
          firstRun,
          // Each chunk is enqueued as soon as its slice is stored: the chunk jobs
          // run while the fit step writes the later slices (ADR 049).
          handOver: {
            planned: (plan) =>
              updateRecomputeRun(client, runId, {
                step: "chunks",
                progress: {
                  customersTotal: plan.customers,
                  chunksTotal: plan.ranges.length,
                  orders: plan.orders,
                  // Fitted from the previous recompute's kept read, no order read (ADR 051).
                  keptRead: plan.slices !== undefined,
                },
              }),
            ready: (index, plan) =>
              enqueueRecomputeChunks(ctx.queues, job, [chunkJob(config.shopId, runId, data.asOf, plan, index)]),
          },
        });
      });
      data = {
        ...data,
        step: "chunks",
        shopId: config.shopId,
        ranges: fit.ranges,
        firstRun: fit.firstRun,
        customers: fit.customers,
        readAt: fit.readAt.toISOString(),
        ...(fit.slices ? { slices: sliceOwnerData(fit.slices) } : {}),
      };
      await job.save(data);
      step = "chunks";
    }
    if (step === "chunks") {
      // The fit step handed every chunk over already; a recompute whose fit step
      // ran under the code before ADR 049 resumes here with none enqueued. A job
      // id already there is not added twice.
      const plan = {
        ranges: data.ranges!,
        firstRun: data.firstRun!,
        readAt: new Date(data.readAt!),
        ...(data.slices ? { slices: sliceOwnerOf(data.slices) } : {}),
      };
      await enqueueRecomputeChunks(
        ctx.queues,
        job,
        plan.ranges.map((_, index) => chunkJob(config.shopId, runId, data.asOf, plan, index)),
      );
      data = { ...data, step: "wait" };
      await job.save(data);
      step = "wait";
    }
    // Returns here when every chunk is done (or at once if they already are).
    if (await job.childrenPending()) return { waitingForChildren: true };
    await withPgClient(async (client) => {
      await dropRecomputeSlices(client, runId);
      // A first recompute wrote every membership row of the shop: statistics before the steps that read them.
      if (data.firstRun) await analyzeAfterBulkWrite(client, "SegmentMembership", data.customers ?? 0);
      await updateRecomputeRun(client, runId, { step: "writeback" });
    });
    // The next stage: the write-back completes this run. A big shop's admin figures are computed again from the new
    // memberships now, not after the write-back, which takes minutes at that size (ADR 054).
    await enqueueShopWriteback(ctx.queues, { shop: config.domain });
    await enqueueFiguresRefresh(ctx.queues, { shop: config.domain });
    const run = await findRun(ctx.db, runId);
    recomputeDuration.observe(
      { shop_size: shopSizeLabel(data.customers ?? 0) },
      (Date.now() - run.startedAt.getTime()) / 1000,
    );
    return { customers: data.customers, writeback: "enqueued" };
  } catch (error) {
    await withPgClient(async (client) => {
      await recordRecomputeError(client, runId, step, (error as Error).message, job.finalAttempt);
      if (job.finalAttempt) await dropRecomputeSlices(client, runId);
    }).catch(() => undefined);
    throw error;
  }
}

function chunkJob(
  shopId: string,
  runId: string,
  asOf: string,
  plan: Pick<ChunkPlan, "ranges" | "firstRun" | "readAt" | "slices">,
  index: number,
): RecomputeChunkJob {
  return {
    shopId,
    runId,
    asOf,
    index,
    range: plan.ranges[index],
    recordTransitions: !plan.firstRun,
    readAt: plan.readAt.toISOString(),
    ...(plan.slices ? { slices: sliceOwnerData(plan.slices) } : {}),
  };
}

/** One chunk job: its customers' memberships from the fit step's slice (or their orders). */
export async function recomputeChunk(ctx: PipelineContext, data: RecomputeChunkJob, finalAttempt: boolean) {
  const { shopId, runId, index, range } = data;
  try {
    const config = await loadInstalledShopConfig(ctx.db, { id: shopId });
    if (!config) return { skipped: "shop not installed" };
    return await withPgClient(async (client) => {
      const model = await loadShopCutoffs(client, shopId);
      if (!model) throw new Error("no stored cut-offs for the shop (the fit step did not finish)");
      const result = await processChunk(client, {
        config,
        cutoffs: model.cutoffs,
        asOf: new Date(data.asOf),
        range,
        recordTransitions: data.recordTransitions,
        slice: data.readAt
          ? chunkSlice(runId, index, new Date(data.readAt), data.slices && sliceOwnerOf(data.slices))
          : undefined,
      });
      await recordChunkDone(client, runId, index, result.customers);
      return result;
    });
  } catch (error) {
    await withPgClient((client) =>
      recordRecomputeError(client, runId, `chunk ${index}`, (error as Error).message, finalAttempt),
    ).catch(() => undefined);
    throw error;
  }
}

/** Re-segments one customer with the shop's stored cut-offs, then enqueues its write-back. */
export async function resegmentCustomer(ctx: PipelineContext, data: ResegmentCustomerJob) {
  const { shop, customerId } = data;
  const config = await loadInstalledShopConfig(ctx.db, { domain: shop });
  if (!config) return { skipped: "shop not installed" };
  const result = await withPgClient(async (client) => {
    const model = await loadShopCutoffs(client, config.shopId);
    if (!model || model.cutoffs.timeZone !== config.segmentation.timeZone) return null;
    return processChunk(client, {
      config,
      cutoffs: model.cutoffs,
      asOf: segmentationNow(),
      range: { from: customerId, to: customerId },
      recordTransitions: true,
    });
  });
  if (!result) {
    // No usable model yet: the full recompute (coalesced) will cover this customer.
    await enqueueShopRecompute(ctx.queues, { shop, reason: "manual" });
    return { skipped: "no model; full recompute requested" };
  }
  await enqueueCustomerWriteback(ctx.queues, { shop, customerId });
  return result;
}

/** The nightly schedule's job: a (coalesced) full recompute. */
export async function requestNightlyRecompute(ctx: PipelineContext, shop: string) {
  return { enqueued: await enqueueShopRecompute(ctx.queues, { shop, reason: "nightly" }) };
}
