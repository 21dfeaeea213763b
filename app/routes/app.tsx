import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { AppProvider as PolarisProvider } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

import { env } from "../config/env.server";
import { t } from "../i18n";
import { ensureInstallRecorded } from "../ingest/ensure-install.server";
import { requireAdmin } from "../shopify/admin-session.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, scope, preview } = await requireAdmin(request);
  // The demo installs its shop itself; in admin, a session without an installed Shop re-enqueues the install.
  if (!preview) await ensureInstallRecorded({ shop, scope });

  return { apiKey: env().SHOPIFY_API_KEY, preview };
};

export default function App() {
  const { apiKey, preview } = useLoaderData<typeof loader>();

  // The local preview has no admin frame: plain Polaris, no App Bridge script.
  if (preview) {
    return (
      <PolarisProvider i18n={polarisTranslations}>
        <Outlet />
      </PolarisProvider>
    );
  }
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Segments
        </Link>
        <Link to="/app/rules">{t("nav.rules")}</Link>
        <Link to="/app/settings">{t("nav.settings")}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included in the response.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => {
  return boundary.headers(headersArgs);
};
