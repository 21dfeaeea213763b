import { webhookAction } from "../ingest/receive-webhook.server";

/** orders/updated: verified, recorded and queued; processed by the webhook-events worker. */
export const action = webhookAction;
