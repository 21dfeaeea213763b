import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "../ingest/receive-webhook.server";

/** shop/update: verified and queued like every topic; the worker stores the shop's time zone and currency. */
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request);
