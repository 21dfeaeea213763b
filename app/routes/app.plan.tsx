import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadPlanPage, runPlanAction } from "../admin/plan.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { PlanPage } from "../components/admin/plan";

/**
 * The shop's plan, the plans to choose from, and the billing callback
 * (`?charge_id=`, where Shopify sends the merchant back after a charge).
 * Never guarded by the plan (app/billing/guard.server.ts).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  return loadPlanPage(prisma, ctx, new URL(request.url));
};

/** Choose or change a plan (to Shopify's confirmation page), or cancel the current one. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const result = await runPlanAction(prisma, ctx, await request.formData());
  return Response.json(result, { status: result.ok ? 200 : 400 });
};

export default function Plan() {
  return <PlanPage data={useLoaderData<typeof loader>()} />;
}
