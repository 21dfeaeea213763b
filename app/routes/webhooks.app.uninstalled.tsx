import { webhookAction } from "../ingest/receive-webhook.server";

/**
 * app/uninstalled: verified and queued like every topic; the job deletes the
 * shop's sessions, stops its scheduled jobs and marks it uninstalled. Its data
 * is deleted by shop/redact, which Shopify sends 48 hours later.
 */
export const action = webhookAction;
