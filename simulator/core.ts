// The services resolvers need from the running simulator, as an interface so
// resolvers, the bulk runner and the HTTP server do not import each other.
import type { DocumentNode } from "graphql";
import type { ViewContext } from "./resources/common";
import type { AppFunctionRecord } from "./resources/discounts/functions";
import type { BulkOperationRecord, Shop } from "./shop";

export interface SimCore {
  nowMs(): number;
  nextId(): number;
  baseUrl(): string;
  /** The app's API key (client id). */
  apiKey: string;
  /** Staged uploads: key (stagedUploadPath) -> file on disk, once uploaded. */
  stagedUploads: Map<string, string | null>;
  startBulkQuery(shop: Shop, op: BulkOperationRecord, document: DocumentNode): void;
  startBulkMutation(shop: Shop, op: BulkOperationRecord, document: DocumentNode, variablesFile: string): void;
  maxConcurrentBulkMutations: number;
  /** Sends a webhook if the shop's app subscribed to the topic (e.g. "customers/update"). */
  emitWebhook(shop: Shop, topic: string, payload: () => unknown): void;
  /** Whether tag writes send customers/update (Shopify does; benchmarks may turn it off). */
  tagWritesSendCustomerUpdate: boolean;
  /** The app's released Functions, by handle (app-wide, as on Shopify). */
  appFunctions: Map<string, AppFunctionRecord>;
}

export interface RequestContext extends ViewContext {
  core: SimCore;
}

/** The context of one GraphQL execution (a request, or one line of a bulk operation). */
export function requestContext(core: SimCore, shop: Shop, bulk: boolean): RequestContext {
  return { core, shop, nowSeconds: Math.floor(core.nowMs() / 1000), bulk, baseUrl: core.baseUrl() };
}
