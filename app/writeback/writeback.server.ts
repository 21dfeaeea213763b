// The write-back stage: the segments the recompute stored, written to Shopify
// as customer tags (read by email tools), customer metafields (read by Liquid
// and Functions) and native customer segments. Runs after a full recompute
// (the whole shop) and after a re-segmentation (one customer). A shop's
// write-back enqueues the act step (app/act: segment discounts and their
// hold-out groups) as its next step. Neither runs while the shop's plan has
// lapsed (app/billing, ADR 037): the job is skipped with the reason, nothing
// stored is touched, and the next write-back after a new plan sends it all.
import { backgroundGate, followGateChange } from "../billing/billing.server";
import type { PipelineContext } from "../pipeline";
import { enqueueShopAct } from "../queues/act.server";
import { enqueueSnapshot } from "../queues/insights.server";
import type { WritebackCustomerJob, WritebackShopJob } from "../queues/writeback.server";
import { forgetPreviousPrefixes, loadInstalledShopConfig } from "../settings/settings.server";
import { anyCustomerTagUnder } from "../stores/customers.server";
import { withPgClient } from "../stores/pg/pool.server";
import {
  completeRecomputeRun,
  recomputeRunsAwaitingWriteback,
  recordRecomputeError,
  updateRecomputeRun,
} from "../stores/runs.server";
import { readPendingMetafields } from "../stores/writeback-state.server";
import { writePendingMetafields, type MetafieldWriteStats } from "./metafields.server";
import { syncSegmentMirrors } from "./mirrors.server";
import { computeTagChanges, endShopTagPass, startShopTagPass } from "./tag-changes.server";
import { writeTagChanges } from "./tags.server";
import { logger } from "../utils/logger.server";

const NO_METAFIELDS: MetafieldWriteStats = {
  customers: 0,
  apiCalls: 0,
  bulkOperations: 0,
  definitionsCreated: 0,
  failedCustomers: 0,
};

/**
 * Writes the whole shop's differences, then completes the recomputes that
 * were waiting for it (their JobRuns show the write-back's counts). Throws
 * on a failure; the queue retries, and the runs are failed on the last try.
 */
export async function writeBackShop(
  ctx: PipelineContext,
  input: WritebackShopJob,
  options: { finalAttempt: boolean },
): Promise<Record<string, unknown>> {
  const config = await loadInstalledShopConfig(ctx.db, { domain: input.shop });
  if (!config) return { skipped: "shop not installed" };
  // Each full write-back counts the segmented customers the plan is measured against.
  const gate = await backgroundGate(ctx.db, config.shopId, { recount: true });
  if (!gate.runs) return skipForPlan(ctx, config, gate.reason, gate.change);
  return withPgClient(async (client) => {
    // The recomputes whose memberships this write-back sends.
    const runIds = await recomputeRunsAwaitingWriteback(client, config.shopId);
    const report = async (patch: { step?: string; progress?: Record<string, unknown> }) => {
      for (const runId of runIds) await updateRecomputeRun(client, runId, patch);
    };
    try {
      const api = await ctx.adminApi(config.domain);
      // Every customer, or (after a complete pass under the same tag settings) those logged since (ADR 066).
      const pass = await startShopTagPass(client, config);
      const tags = await writeTagChanges(api, client, config.shopId, pass.changes, {
        onProgress: (done, total) => report({ progress: { writebackDone: done, writebackTotal: total } }),
      });
      await endShopTagPass(client, config.shopId, pass, tags.failedCustomers);
      const metafields = config.writeback.metafields
        ? await writePendingMetafields(api, client, config.shopId)
        : NO_METAFIELDS;
      const mirrors = await syncSegmentMirrors(api, ctx.db, config);
      if (tags.failedCustomers.length === 0 && config.prefixes.length > 1) {
        // Every tag is under the current prefix once no customer carries an old one.
        const old = config.prefixes.slice(1);
        if (!(await anyCustomerTagUnder(client, config.shopId, old))) {
          await forgetPreviousPrefixes(ctx.db, config.shopId, old);
        }
      }
      const summary = {
        writeback: {
          changedCustomers: tags.changedCustomers,
          apiCalls: tags.apiCalls,
          bulkOperations: tags.bulkOperations,
          cappedCustomers: tags.cappedCustomers,
          // "all", or "logged": the customers logged since the last complete pass (ADR 066).
          compared: pass.scope,
          failedCustomers: tags.failedCustomers.length,
          failedExamples: tags.failedCustomers.slice(0, 20),
        },
        metafields,
        mirrors,
      };
      // The next step first: if enqueueing fails, the retried write-back (which finds little left to send) enqueues it.
      await enqueueShopAct(ctx.queues, { shop: config.domain });
      // The recompute ends here: its memberships are stored and sent; the day's snapshot takes them in.
      await enqueueSnapshot(ctx.queues, { shop: config.domain });
      for (const runId of runIds) await completeRecomputeRun(client, runId, summary);
      return summary;
    } catch (error) {
      const message = (error as Error).message;
      for (const runId of runIds) {
        await recordRecomputeError(client, runId, "writeback", message, options.finalAttempt).catch(() => undefined);
      }
      throw error;
    }
  });
}

/**
 * A lapsed plan: nothing is sent. The recomputes waiting for this write-back
 * complete (their memberships are stored and kept), the day's snapshot still
 * takes them in, and a lapse just noticed enqueues the act step, which
 * pauses the segment discounts.
 */
async function skipForPlan(
  ctx: PipelineContext,
  config: { shopId: string; domain: string },
  reason: string,
  change: Awaited<ReturnType<typeof backgroundGate>>["change"],
): Promise<{ skipped: string }> {
  logger.info({ shop: config.domain, reason }, "write-back skipped");
  await followGateChange(ctx.queues, config.domain, change);
  await withPgClient(async (client) => {
    for (const runId of await recomputeRunsAwaitingWriteback(client, config.shopId)) {
      await completeRecomputeRun(client, runId, { writeback: { skipped: reason } });
    }
  });
  await enqueueSnapshot(ctx.queues, { shop: config.domain });
  return { skipped: reason };
}

/** Writes one customer's differences (tags and metafields) after a re-segmentation. */
export async function writeBackCustomer(ctx: PipelineContext, input: WritebackCustomerJob) {
  const config = await loadInstalledShopConfig(ctx.db, { domain: input.shop });
  if (!config) return { skipped: "shop not installed" };
  const gate = await backgroundGate(ctx.db, config.shopId);
  // A lapse noticed here pauses the discounts; a resume sends the whole shop's differences.
  await followGateChange(ctx.queues, config.domain, gate.change);
  if (!gate.runs) {
    logger.info({ shop: config.domain, reason: gate.reason }, "write-back skipped");
    return { skipped: gate.reason };
  }
  return withPgClient(async (client) => {
    const changes = await computeTagChanges(client, config, input.customerId);
    const tagsToSend = changes.some((c) => c.diff.add.length || c.diff.remove.length);
    const metafieldsToSend =
      config.writeback.metafields && (await readPendingMetafields(client, config.shopId, input.customerId)).length > 0;
    if (!tagsToSend && !metafieldsToSend) return { tagsChanged: 0, metafields: null };
    const api = await ctx.adminApi(config.domain);
    const tags = tagsToSend ? await writeTagChanges(api, client, config.shopId, changes) : null;
    const metafields = metafieldsToSend
      ? await writePendingMetafields(api, client, config.shopId, { customerId: input.customerId })
      : null;
    return { tagsChanged: tags?.changedCustomers ?? 0, metafields };
  });
}
