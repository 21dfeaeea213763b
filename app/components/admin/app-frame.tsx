// The app's frame for every /app/* page. Inside Shopify admin: App Bridge
// (its CDN script), NavMenu, TitleBar and App Bridge toasts. In the local
// preview (`npm run demo`) there is no admin frame and no internet: no App
// Bridge script, a plain navigation, the title in the Polaris page header and
// Polaris toasts. Pages use AppPage and useToast and never ask which it is.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { Link, useLocation } from "@remix-run/react";
import { NavMenu, TitleBar } from "@shopify/app-bridge-react";
import { Box, Frame, InlineStack, Page, Text, Toast, type PageProps } from "@shopify/polaris";
import { t, type MessageKey } from "../../i18n";

interface FrameContext {
  preview: boolean;
  toast(message: string): void;
}

const Context = createContext<FrameContext>({ preview: true, toast: () => undefined });

/** The pages of the app, in the order of the navigation. */
export const NAV_LINKS: Array<{ to: string; label: MessageKey }> = [
  { to: "/app/segments", label: "nav.segments" },
  { to: "/app/customers", label: "nav.customers" },
  { to: "/app/insights", label: "nav.insights" },
  { to: "/app/rules", label: "nav.rules" },
  { to: "/app/discounts", label: "nav.discounts" },
  { to: "/app/activity", label: "nav.activity" },
  { to: "/app/settings", label: "nav.settings" },
  { to: "/app/privacy", label: "nav.privacy" },
  { to: "/app/plan", label: "nav.plan" },
];

function PreviewNavigation() {
  const { pathname } = useLocation();
  const links = [{ to: "/app", label: "nav.overview" as MessageKey }, ...NAV_LINKS];
  return (
    <Box padding="300" background="bg-surface" borderBlockEndWidth="025" borderColor="border">
      <nav aria-label={t("nav.label")}>
        <InlineStack gap="400" blockAlign="center">
          <Text as="span" variant="headingSm">
            {t("app.name")}
          </Text>
          {links.map((link) => {
            const current = link.to === "/app" ? pathname === "/app" : pathname.startsWith(link.to);
            return (
              <Link key={link.to} to={link.to} aria-current={current ? "page" : undefined} className="app-nav-link">
                {t(link.label)}
              </Link>
            );
          })}
        </InlineStack>
      </nav>
    </Box>
  );
}

/** Wraps the app's pages: App Bridge's NavMenu in admin, a plain navigation and a Polaris Frame in the preview. */
export function AppFrame({ preview, children }: { preview: boolean; children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const toast = useCallback(
    (text: string) => {
      // App Bridge's global `shopify` exists only inside Shopify admin.
      if (!preview && typeof shopify !== "undefined") shopify.toast.show(text);
      else setMessage(text);
    },
    [preview],
  );
  const value = useMemo(() => ({ preview, toast }), [preview, toast]);
  if (!preview) {
    return (
      <Context.Provider value={value}>
        <NavMenu>
          <Link to="/app" rel="home">
            {t("nav.overview")}
          </Link>
          {NAV_LINKS.map((link) => (
            <Link key={link.to} to={link.to}>
              {t(link.label)}
            </Link>
          ))}
        </NavMenu>
        {children}
      </Context.Provider>
    );
  }
  return (
    <Context.Provider value={value}>
      <Frame>
        <PreviewNavigation />
        {children}
        {message ? <Toast content={message} onDismiss={() => setMessage(null)} /> : null}
      </Frame>
    </Context.Provider>
  );
}

/** Shows a short confirmation: App Bridge's toast in admin, a Polaris toast in the preview. */
export function useToast(): (message: string) => void {
  return useContext(Context).toast;
}

/** A Polaris page whose title is App Bridge's TitleBar in admin and the page header in the preview. */
export function AppPage({ title, children, ...props }: PageProps & { title: string; children: ReactNode }) {
  const { preview } = useContext(Context);
  return (
    <>
      {preview ? null : <TitleBar title={title} />}
      <Page title={preview ? title : undefined} {...props}>
        {children}
      </Page>
    </>
  );
}
