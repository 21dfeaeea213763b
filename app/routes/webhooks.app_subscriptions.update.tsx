import { webhookAction } from "../ingest/receive-webhook.server";

/**
 * app_subscriptions/update: verified and queued like every topic; the worker
 * records the subscription's status and stops or resumes the shop's
 * write-back and discounts (app/billing, ADR 037).
 */
export const action = webhookAction;
