import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { DiscountLiftCard } from "../components/insights/discount-lift";
import prisma from "../db.server";
import { t } from "../i18n";
import { discountLiftResponse } from "../insights/routes.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** One discount's lift against its hold-out; another shop's (or an unknown) id is a 404. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await discountLiftResponse(prisma, shop, params.id));
};

export default function DiscountLiftPage() {
  const { lift, currency } = useLoaderData<typeof loader>();
  return (
    <Page title={lift.discount.title} backAction={{ content: t("insights.title"), url: "/app/insights" }}>
      <Layout>
        <Layout.Section>
          <DiscountLiftCard data={lift} currency={currency} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
