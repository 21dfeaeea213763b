import type { PipelineContext } from "../../pipeline";
import { QUEUE } from "../../queues/names";
import type { ProcessorMap } from "../runtime.server";
import { actProcessor } from "./act";
import { insightsProcessor } from "./insights";
import { maintenanceProcessor } from "./maintenance";
import { previewsProcessor } from "./previews";
import { segmentsProcessor } from "./segments";
import { shopLifecycleProcessor } from "./shop-lifecycle";
import { shopSyncProcessor } from "./shop-sync";
import { webhooksProcessor } from "./webhooks";
import { writebackProcessor } from "./writeback";

/**
 * Every queue's processor: each a thin adapter from a job to a stage's
 * service (app/ingest, app/recompute, app/writeback, app/act), which enqueues its own
 * next step. A queue without an entry here would never be processed.
 */
export function buildProcessors(ctx: PipelineContext): ProcessorMap {
  return {
    [QUEUE.shopLifecycle]: shopLifecycleProcessor(ctx),
    [QUEUE.shopSync]: shopSyncProcessor(ctx),
    [QUEUE.webhooks]: webhooksProcessor(ctx),
    [QUEUE.segments]: segmentsProcessor(ctx),
    [QUEUE.writeback]: writebackProcessor(ctx),
    [QUEUE.act]: actProcessor(ctx),
    [QUEUE.insights]: insightsProcessor(ctx),
    [QUEUE.previews]: previewsProcessor(ctx),
    [QUEUE.maintenance]: maintenanceProcessor(ctx),
  };
}
