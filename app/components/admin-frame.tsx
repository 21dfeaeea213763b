import { SaveBar, TitleBar } from "@shopify/app-bridge-react";
import { Banner, Box, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { t } from "../i18n";

// Pieces of a page that need the Shopify admin frame (App Bridge's title bar,
// save bar and toasts), each with the plain Polaris stand-in used by the
// local preview, where there is no admin frame and no App Bridge script.

interface ShopifyGlobal {
  toast?: { show(message: string): void };
}

function appBridge(): ShopifyGlobal | null {
  if (typeof window === "undefined") return null;
  return ((window as unknown as { shopify?: ShopifyGlobal }).shopify ?? null) as ShopifyGlobal | null;
}

/** The admin's title bar in Shopify admin; the Polaris Page's own title does the job in the preview. */
export function AdminTitleBar({ embedded, title }: { embedded: boolean; title: string }) {
  return embedded ? <TitleBar title={title} /> : null;
}

/**
 * A form's save bar: App Bridge's contextual save bar in Shopify admin, a
 * card with the same two buttons in the preview. Shown while there are
 * unsaved changes.
 */
export function FormSaveBar(props: {
  id: string;
  embedded: boolean;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
  saveLabel?: string;
}) {
  const saveLabel = props.saveLabel ?? t("common.save");
  if (props.embedded) {
    return (
      <SaveBar id={props.id} open={props.dirty}>
        {/* App Bridge's ui-save-bar reads `variant` from its button children (the documented API). */}
        {/* eslint-disable-next-line react/no-unknown-property */}
        <button variant="primary" onClick={props.onSave} disabled={props.saving}>
          {saveLabel}
        </button>
        <button onClick={props.onDiscard}>{t("common.discard")}</button>
      </SaveBar>
    );
  }
  if (!props.dirty) return null;
  return (
    <Card>
      <InlineStack align="space-between" blockAlign="center">
        <Text as="p" variant="bodyMd" fontWeight="semibold">
          {t("common.unsaved")}
        </Text>
        <InlineStack gap="200">
          <Button onClick={props.onDiscard}>{t("common.discard")}</Button>
          <Button variant="primary" onClick={props.onSave} loading={props.saving}>
            {saveLabel}
          </Button>
        </InlineStack>
      </InlineStack>
    </Card>
  );
}

/**
 * Toasts for completed actions: App Bridge's toast in Shopify admin, a
 * dismissible success banner in the preview. Returns `notify` and the banner
 * to render (null in admin).
 */
export function useNotice(embedded: boolean, initial: string | null = null): [(message: string) => void, ReactNode] {
  const [message, setMessage] = useState<string | null>(null);
  const notify = useCallback(
    (text: string) => {
      const bridge = embedded ? appBridge() : null;
      if (bridge?.toast) bridge.toast.show(text);
      else setMessage(text);
    },
    [embedded],
  );
  useEffect(() => {
    if (initial) notify(initial);
  }, [initial, notify]);
  const banner = message ? (
    <Box paddingBlockEnd="400">
      <Banner tone="success" onDismiss={() => setMessage(null)}>
        <p>{message}</p>
      </Banner>
    </Box>
  ) : null;
  return [notify, banner];
}
