import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import prisma from "../db.server";
import { loadDashboard } from "../insights/dashboard.server";
import { Dashboard } from "../components/dashboard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadDashboard(prisma, session.shop);
};

export default function Index() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title="Customer segments" />
      <Dashboard data={data} />
    </>
  );
}
