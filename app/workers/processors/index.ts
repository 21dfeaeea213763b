import type { PrismaClient } from "@prisma/client";
import { QUEUE } from "../../queues/names";
import type { ProcessorMap } from "../runtime.server";
import { shopLifecycleProcessor } from "./shop-lifecycle";

/** Every queue's processor. A queue without an entry here would never be processed. */
export function buildProcessors(deps: { db: PrismaClient }): ProcessorMap {
  return {
    [QUEUE.shopLifecycle]: shopLifecycleProcessor(deps.db),
  };
}
