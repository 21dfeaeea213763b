import type { Job } from "bullmq";
import type { PipelineContext } from "../../pipeline";
import type { RulePreviewJob, SettingsDryRunJob } from "../../queues/previews.server";
import { dryRunSettings } from "../../recompute/dry-run.server";
import { previewRule } from "../../settings/rule-preview.server";
import { shopConfigFrom } from "../../settings/shop-config";
import { withPgClient } from "../../stores/pg/pool.server";
import { findShopById } from "../../stores/shops.server";
import { BIG_JOB_GARBAGE_BYTES, collectGarbageIfGrown } from "../../utils/collect-garbage";
import { unknownJob, withPermanentErrors } from "./job-errors";

/** The previews queue: what an admin page waits for (ADR 052); the page reads the job's return value. */
export function previewsProcessor(ctx: PipelineContext) {
  return (job: Job) =>
    withPermanentErrors(async () => {
      switch (job.name) {
        case "settings.dry-run": {
          const { shopId, input, asOf } = job.data as SettingsDryRunJob;
          const rssAtStart = process.memoryUsage.rss();
          const answer = await withPgClient((client) => dryRunSettings(ctx.db, client, shopId, input, new Date(asOf)));
          // What a big shop's dry run read and assigned is garbage once it has its answer (ADR 057).
          collectGarbageIfGrown(rssAtStart, BIG_JOB_GARBAGE_BYTES);
          return answer;
        }
        case "rules.preview": {
          const { shopId, rule, sampleSize } = job.data as RulePreviewJob;
          const shop = await findShopById(ctx.db, shopId);
          if (!shop) throw new Error(`No shop ${shopId}`);
          return withPgClient((client) => previewRule(client, shopConfigFrom(shop), rule, sampleSize));
        }
        default:
          return unknownJob(job);
      }
    });
}
