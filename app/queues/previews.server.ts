// What an admin page waits for, computed by the worker (ADR 052): a settings
// dry run and a rule's live preview read every customer of the shop, which on
// a big shop is seconds of CPU and hundreds of MB. In the web process that
// work would stall every other request (webhook deliveries, other shops'
// pages) for as long; as a job it runs in a worker process and the web
// request only waits for its answer.
import { setTimeout as sleep } from "node:timers/promises";
import type { DryRunResult } from "../recompute/dry-run.server";
import type { RulePreview } from "../settings/rule-preview.server";
import type { ShopSettingsInput } from "../settings/shop-config";
import type { Rule } from "../segmentation/rules/schema";
import { logger } from "../utils/logger.server";
import { QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

/** `settings.dry-run`: what saving these settings would change, as of `asOf` (ISO). */
export interface SettingsDryRunJob {
  shop: string;
  shopId: string;
  input: ShopSettingsInput;
  asOf: string;
}

/** `rules.preview`: how many customers a (validated) rule matches now, and a sample. */
export interface RulePreviewJob {
  shop: string;
  shopId: string;
  rule: Rule;
  sampleSize: number;
}

/** Each preview job's data and answer. */
export interface PreviewJobs {
  "settings.dry-run": { data: SettingsDryRunJob; result: DryRunResult };
  "rules.preview": { data: RulePreviewJob; result: RulePreview };
}

/** The preview did not come back in time, or its job failed: the page says so and nothing was stored. */
export class PreviewUnavailableError extends Error {
  override name = "PreviewUnavailableError";
}

/**
 * How long a page waits for its preview. A 1M-customer shop's dry run takes
 * 10-15 s in the worker (docs/performance.md); the bound leaves room for a
 * worker busy with other jobs and stays under common proxy timeouts.
 */
const PREVIEW_WAIT_MS = 45_000;
/** Finished previews are removed once read; one nobody read goes after this long. */
const PREVIEW_JOB_AGE_S = 600;

/** How long to wait (PREVIEW_WAIT_MS by default), and the page request's signal. */
export interface PreviewWait {
  waitMs?: number;
  /** Aborted when the page's request goes (a newer preview replaced it in the browser, the tab closed). */
  signal?: AbortSignal;
}

/**
 * Runs a preview job and waits for its answer. Polled (no QueueEvents
 * connection, the same on both queue backends), from 20 ms doubling to 250 ms:
 * a small shop's answer comes back in tens of milliseconds. A preview is not
 * retried: the merchant asks again. Throws PreviewUnavailableError when the
 * job failed, did not finish within the wait, or the request went away; a job
 * still waiting is then removed, so that no worker computes an answer nobody
 * reads (the rule builder asks again at every pause in typing).
 */
export async function runPreview<Name extends keyof PreviewJobs>(
  registry: QueueRegistry,
  name: Name,
  data: PreviewJobs[Name]["data"],
  { waitMs = PREVIEW_WAIT_MS, signal }: PreviewWait = {},
): Promise<PreviewJobs[Name]["result"]> {
  const queue = registry.get(QUEUE.previews);
  const job = await queue.add(name, data, {
    attempts: 1,
    removeOnComplete: { age: PREVIEW_JOB_AGE_S },
    removeOnFail: { age: PREVIEW_JOB_AGE_S },
  });
  const id = job.id!;
  const deadline = Date.now() + waitMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const state = await queue.getJobState(id);
    if (state === "completed" || state === "failed") {
      const finished = await queue.getJob(id);
      await queue.remove(id).catch(() => undefined);
      if (state === "completed" && finished) return finished.returnvalue as PreviewJobs[Name]["result"];
      logger.warn({ job: name, jobId: id, shop: data.shop, reason: finished?.failedReason }, "preview failed");
      throw new PreviewUnavailableError(`The preview failed: ${finished?.failedReason ?? "its job is gone"}`);
    }
    if (state === "unknown") throw new PreviewUnavailableError("The preview's job is gone before it finished");
    if (Date.now() >= deadline || signal?.aborted) {
      // Removing fails for a job a worker holds; that one finishes and ages out.
      await queue.remove(id).catch(() => undefined);
      throw new PreviewUnavailableError(
        signal?.aborted ? "The preview's request went away" : `The preview did not finish within ${waitMs / 1000} s`,
      );
    }
    // An abort ends the pause at once (and is handled at the top of the next turn).
    await sleep(Math.min(pause, Math.max(deadline - Date.now(), 1)), undefined, { signal }).catch(() => undefined);
  }
}
