import { Link, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import type { DisplayStatus } from "../../act/discount-display";
import type { DiscountRow, DiscountsPage } from "../../act/discount-pages.server";
import { t } from "../../i18n";

const STATUS_TONE: Record<DisplayStatus, "success" | "info" | "attention" | undefined> = {
  active: "success",
  scheduled: "info",
  paused: "attention",
  expired: undefined,
};

/** The Discounts page: every segment discount, the app's notices, and the buttons to act on each. */
export function DiscountsList({
  page,
  result,
}: {
  page: DiscountsPage;
  result?: { ok: boolean; message?: string; intent?: string };
}) {
  const submit = useSubmit();
  const act = (intent: string, id: string) => submit({ intent, id }, { method: "post" });
  return (
    <Page
      title={t("discounts.title")}
      primaryAction={{ content: t("discounts.actions.new"), url: "/app/discounts/new", disabled: !page.canCreate }}
    >
      <Layout>
        {result && !result.ok && result.message ? (
          <Layout.Section>
            <Banner tone="critical">
              <p>{result.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {page.notices.map((notice) => (
          <Layout.Section key={notice.id}>
            <Banner tone={notice.tone} onDismiss={() => act("dismiss", notice.id)}>
              <p>{notice.text}</p>
            </Banner>
          </Layout.Section>
        ))}
        <Layout.Section>
          <Card padding={page.rows.length === 0 ? undefined : "0"}>
            {page.rows.length === 0 ? (
              <EmptyState
                heading={t("discounts.empty.heading")}
                action={{ content: t("discounts.actions.new"), url: "/app/discounts/new", disabled: !page.canCreate }}
                image=""
              >
                <p>{t("discounts.empty.body")}</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text", "text", "text", "text", "text"]}
                headings={[
                  t("discounts.columns.title"),
                  t("discounts.columns.status"),
                  t("discounts.columns.method"),
                  t("discounts.columns.segments"),
                  t("discounts.columns.reward"),
                  t("discounts.columns.holdout"),
                  t("discounts.columns.groups"),
                  t("discounts.columns.dates"),
                  t("discounts.columns.actions"),
                ]}
                rows={page.rows.map((row) => [
                  <Link key="title" to={`/app/discounts/${row.id}`}>
                    {row.title}
                  </Link>,
                  <Badge key="status" tone={STATUS_TONE[row.status]}>
                    {t(`discounts.status.${row.status}`)}
                  </Badge>,
                  row.method,
                  row.segments.join(", "),
                  row.reward,
                  row.holdout,
                  row.groups ?? "—",
                  row.dates,
                  <RowActions key="actions" row={row} act={act} />,
                ])}
              />
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("discounts.intro")}
          </Text>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RowActions({ row, act }: { row: DiscountRow; act: (intent: string, id: string) => void }) {
  const navigation = useNavigation();
  const [confirming, setConfirming] = useState(false);
  const busy = navigation.state === "submitting";
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" wrap={false}>
        <Button url={`/app/discounts/${row.id}`} size="slim">
          {t("discounts.actions.edit")}
        </Button>
        {row.canPause ? (
          <Button size="slim" onClick={() => act("pause", row.id)} disabled={busy}>
            {t("discounts.actions.pause")}
          </Button>
        ) : null}
        {row.canResume ? (
          <Button size="slim" onClick={() => act("resume", row.id)} disabled={busy}>
            {t("discounts.actions.resume")}
          </Button>
        ) : null}
        {confirming ? (
          <Button size="slim" tone="critical" variant="primary" onClick={() => act("delete", row.id)} disabled={busy}>
            {t("discounts.actions.confirmDelete")}
          </Button>
        ) : (
          <Button size="slim" tone="critical" onClick={() => setConfirming(true)} disabled={busy}>
            {t("discounts.actions.delete")}
          </Button>
        )}
      </InlineStack>
    </BlockStack>
  );
}
