import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../webhooks/receive.server";

/** customers/redact: verified, recorded and queued; processed by the webhook-events worker. */
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
