import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { env } from "../config/env.server";
import prisma from "../db.server";
import { loadDashboard } from "../insights/dashboard.server";
import { Dashboard } from "../components/dashboard";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/**
 * Local preview of the dashboard without Shopify admin around it, for the demo
 * and development. Exists only while LOCAL_PREVIEW_SHOP is set, which the env
 * schema refuses in production; otherwise it is a 404.
 */
export const loader = async (_args: LoaderFunctionArgs) => {
  const shop = env().LOCAL_PREVIEW_SHOP;
  if (!shop || env().NODE_ENV === "production") {
    throw new Response("Not found", { status: 404 });
  }
  return { data: await loadDashboard(prisma, shop), polarisTranslations };
};

export default function Preview() {
  const { data, polarisTranslations } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={polarisTranslations}>
      <Dashboard data={data} />
    </AppProvider>
  );
}
