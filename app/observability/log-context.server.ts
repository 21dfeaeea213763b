import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What every log line of a request or a job carries (app/utils/logger.server.ts
 * mixes it in): the request id, the shop, the queue and job id. Never
 * customer data: ids of our own making and the shop's domain only.
 */
export interface LogContext {
  requestId?: string;
  shop?: string;
  queue?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to the current one. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** Adds fields to the current context (a request learns its shop once authenticated). */
export function addLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
