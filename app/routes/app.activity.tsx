import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadActivity, runActivityAction } from "../admin/activity.server";
import { queues } from "../queues/registry.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { ActivityPage } from "../components/admin/activity";

/** Backfill and recompute progress, last recompute and reconciliation, recent jobs. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return loadActivity(prisma, shop);
};

/** "Recompute now" and "Reconcile now": enqueued through the queue services. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const result = await runActivityAction(prisma, await queues(), shop, (await request.formData()).get("intent"));
  return Response.json(result, { status: result.ok ? 200 : 400 });
};

export default function Activity() {
  return <ActivityPage data={useLoaderData<typeof loader>()} />;
}
