import { defer, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InsightsPage } from "../components/insights/insights-page";
import prisma from "../db.server";
import { insightsPageResponse } from "../insights/routes.server";
import { requireAdmin } from "../shopify/admin-session.server";

/**
 * Trends, movement, per-segment figures and discount lift of the session's
 * shop; a refused period is a 400 with its message. The model's check of the
 * segments follows the page when it takes longer (a big shop's, ADR 055).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { page, predictions, status } = await insightsPageResponse(prisma, shop, request);
  return defer({ page, predictions }, { status });
};

export default function Insights() {
  const { page, predictions } = useLoaderData<typeof loader>();
  return <InsightsPage data={page} predictions={predictions} basePath="/app/insights" />;
}
