import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../ingest/receive-webhook.server";

/** customers/delete: verified, recorded and queued; processed by the webhook-events worker. */
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
