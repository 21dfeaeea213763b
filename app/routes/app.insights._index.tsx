import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InsightsPage } from "../components/insights/insights-page";
import prisma from "../db.server";
import { insightsPageResponse } from "../insights/routes.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** Trends, movement, per-segment figures and discount lift of the session's shop; a refused period is a 400 with its message. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { page, status } = await insightsPageResponse(prisma, shop, request);
  return json(page, { status });
};

export default function Insights() {
  return <InsightsPage data={useLoaderData<typeof loader>()} basePath="/app/insights" />;
}
