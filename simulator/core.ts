// The services resolvers need from the running simulator, as an interface so
// resolvers, the bulk runner and the HTTP server do not import each other.
import type { BulkOperationRecord, Shop } from "./shop.js";
import type { DocumentNode } from "graphql";

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
}

export interface RequestContext {
  core: SimCore;
  shop: Shop;
  nowSeconds: number;
  bulk: boolean;
  baseUrl: string;
}
