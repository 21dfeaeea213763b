import { webhookAction } from "../ingest/receive-webhook.server";

/** shop/update: verified and queued like every topic; the worker stores the shop's time zone and currency. */
export const action = webhookAction;
