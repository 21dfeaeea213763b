import { BlockStack, Card, InlineGrid, Layout, List, Text } from "@shopify/polaris";
import { t, type MessageKey } from "../../i18n";
import type { PrivacyPage as PrivacyData } from "../../admin/privacy.server";
import { AppPage } from "./app-frame";
import { TableCard } from "./table-card";
import { when } from "./format";

const STORED: MessageKey[] = [
  "privacy.stored.items.0",
  "privacy.stored.items.1",
  "privacy.stored.items.2",
  "privacy.stored.items.3",
];
const NEVER: MessageKey[] = ["privacy.never.items.0", "privacy.never.items.1", "privacy.never.items.2"];

export function PrivacyPage({ data }: { data: PrivacyData }) {
  return (
    <AppPage title={t("privacy.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("privacy.stored.title")}
                </Text>
                <List>
                  {STORED.map((key) => (
                    <List.Item key={key}>{t(key)}</List.Item>
                  ))}
                </List>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("privacy.never.title")}
                </Text>
                <List>
                  {NEVER.map((key) => (
                    <List.Item key={key}>{t(key)}</List.Item>
                  ))}
                </List>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t("privacy.requests.title")}
            empty={t("privacy.requests.empty")}
            columnContentTypes={["text", "text", "text"]}
            headings={[t("privacy.requests.topic"), t("privacy.requests.status"), t("privacy.requests.received")]}
            rows={data.requests.map((r) => [
              r.topic,
              r.error ? `${r.status}: ${r.error}` : r.status,
              when(r.receivedAt),
            ])}
          />
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t("privacy.requests.dataRequests")}
            empty={t("privacy.requests.dataRequestsEmpty")}
            columnContentTypes={["text", "text", "text"]}
            headings={[t("privacy.requests.customer"), t("privacy.requests.received"), t("privacy.requests.download")]}
            rows={data.dataRequests.map((r) => [
              r.customerId,
              when(r.requestedAt),
              <a key={r.id} href={`/app/privacy/requests/${r.id}`} download>
                {t("privacy.requests.download")}
                <span className="Polaris-Text--visuallyHidden"> ({r.customerId})</span>
              </a>,
            ])}
          />
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
