import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { InsightsPage } from "../components/insights/insights-page";
import prisma from "../db.server";
import { insightsPageResponse } from "../insights/routes.server";
import { previewShop } from "../shopify/admin-session.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** The insights page in the local preview (demo); a 404 unless LOCAL_PREVIEW_SHOP is set outside production. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = previewShop();
  if (!shop) throw new Response("Not found", { status: 404 });
  const { page, status } = await insightsPageResponse(prisma, shop, request);
  return json({ page, polarisTranslations }, { status });
};

export default function PreviewInsights() {
  const { page, polarisTranslations } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={polarisTranslations}>
      <InsightsPage data={page} basePath="/preview/insights" />
    </AppProvider>
  );
}
