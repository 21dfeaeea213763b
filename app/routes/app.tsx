import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { SkeletonBodyText, SkeletonPage, Card, Layout } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

import { env } from "../config/env.server";
import { ensureInstallRecorded } from "../ingest/ensure-install.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { AppFrame } from "../components/admin/app-frame";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/**
 * Every /app/* page: inside Shopify admin (session token or OAuth), or in the
 * local preview of `npm run demo` (LOCAL_PREVIEW_SHOP, refused in
 * production), where App Bridge's script is not loaded.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, scope, preview } = await requireAdmin(request);
  // The demo installs its shop itself; in admin, a session without an installed Shop re-enqueues the install.
  if (!preview) await ensureInstallRecorded({ shop, scope });
  return { apiKey: env().SHOPIFY_API_KEY, preview };
};

export default function App() {
  const { apiKey, preview } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // A skeleton while another page's data loads (not while the same page revalidates or submits).
  const loadingOtherPage =
    navigation.state === "loading" && navigation.location.pathname !== location.pathname && !navigation.formMethod;
  return (
    <AppProvider isEmbeddedApp={!preview} apiKey={apiKey}>
      <AppFrame preview={preview}>
        {loadingOtherPage ? (
          <SkeletonPage primaryAction>
            <Layout>
              <Layout.Section>
                <Card>
                  <SkeletonBodyText lines={6} />
                </Card>
              </Layout.Section>
            </Layout>
          </SkeletonPage>
        ) : (
          <Outlet />
        )}
      </AppFrame>
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
