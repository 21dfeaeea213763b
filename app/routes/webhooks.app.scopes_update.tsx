import { webhookAction } from "../ingest/receive-webhook.server";

/** app/scopes_update: verified and queued like every topic; the worker stores the granted scopes. */
export const action = webhookAction;
