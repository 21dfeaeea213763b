import { Form, Link, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { t } from "../../i18n";
import type { CustomerDetail, CustomerSearchResult } from "../../admin/customers.server";
import { Figure } from "./figure";
import { AppPage } from "./app-frame";
import { TableCard } from "./table-card";
import { count, day, decimal, money, when } from "./format";
import { segmentPath } from "./overview";

export function CustomerSearchPage({ data }: { data: CustomerSearchResult }) {
  const [query, setQuery] = useState(data.query);
  const navigation = useNavigation();
  return (
    <AppPage title={t("customers.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <Form method="get" role="search">
              <BlockStack gap="300">
                <Text as="p" tone="subdued">
                  {t("customers.intro")}
                </Text>
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ flexGrow: 1 }}>
                    <TextField
                      label={t("customers.searchLabel")}
                      name="q"
                      value={query}
                      onChange={setQuery}
                      autoComplete="off"
                    />
                  </div>
                  <Button submit variant="primary" loading={navigation.state === "loading"}>
                    {t("customers.search")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        {data.error ? (
          <Layout.Section>
            <Banner tone="critical">
              <p>{data.error}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {data.query && !data.error ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("customers.results")}
                </Text>
                {data.results.length === 0 ? (
                  <Text as="p">{t("customers.noResults", { query: data.query })}</Text>
                ) : (
                  <DataTable
                    columnContentTypes={["text", "text", "numeric"]}
                    headings={[t("segments.detail.name"), t("customers.email"), t("customers.detail.orders")]}
                    rows={data.results.map((r) => [
                      r.stored ? (
                        <Link key={r.id} to={`/app/customers/${r.id}`}>
                          {r.name}
                        </Link>
                      ) : (
                        <Text key={r.id} as="span">
                          {r.name} ({t("customers.notStored")})
                        </Text>
                      ),
                      r.email ?? "—",
                      r.orders,
                    ])}
                  />
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </AppPage>
  );
}

/** The customer's figures: smaller than a segment's, four to a row. */
function Stat({ label, value }: { label: string; value: string }) {
  return <Figure size="headingMd" label={label} value={value} />;
}

export function CustomerDetailPage({ data }: { data: CustomerDetail }) {
  const title = data.name ?? t("customers.detail.title", { id: data.id });
  const p = data.predictions;
  return (
    <AppPage
      title={title}
      subtitle={data.id}
      backAction={{ content: t("nav.customers"), url: "/app/customers" }}
      secondaryActions={[{ content: t("common.openInShopify"), url: data.adminUrl, target: "_top" }]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("customers.detail.scores")}
              </Text>
              {!data.modelReady ? <Text as="p">{t("customers.detail.noModel")}</Text> : null}
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                <Stat label={t("customers.detail.orders")} value={count(data.orders)} />
                <Stat label={t("customers.detail.spent")} value={money(data.spent, data.currency)} />
                {data.scores ? (
                  <>
                    <Stat label={t("customers.detail.recency")} value={String(data.scores.recency)} />
                    <Stat label={t("customers.detail.frequency")} value={String(data.scores.frequency)} />
                    <Stat label={t("customers.detail.monetary")} value={String(data.scores.monetary)} />
                  </>
                ) : null}
                {p?.status === "ok" ? (
                  <>
                    <Stat label={t("customers.detail.pAlive")} value={decimal(p.pAlive)} />
                    <Stat label={t("customers.detail.expected90")} value={decimal(p.expectedOrders90d)} />
                    <Stat label={t("customers.detail.expected365")} value={decimal(p.expectedOrders365d)} />
                    <Stat label={t("customers.detail.clv")} value={money(p.clv12m, data.currency)} />
                    <Stat label={t("customers.detail.nextOrder")} value={day(p.nextOrderDate)} />
                  </>
                ) : null}
              </InlineGrid>
              {p?.status === "unavailable" ? (
                <Text as="p" tone="subdued">
                  {t("customers.detail.predictionsUnavailable", { reason: p.reason })}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t("customers.detail.segments")}
            empty={t("customers.detail.noSegments")}
            columnContentTypes={["text", "text", "text"]}
            headings={[t("segments.columns.segment"), t("customers.detail.reason"), t("customers.detail.since")]}
            rows={data.segments.map((s) => [
              <Link key={s.key} to={segmentPath(s.key)}>
                {s.title}
              </Link>,
              s.reason,
              day(s.since),
            ])}
          />
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t("customers.detail.history")}
            description={t("customers.detail.historyKept", { days: data.historyDays })}
            empty={t("customers.detail.historyEmpty")}
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[
              t("segments.columns.segment"),
              t("customers.detail.change"),
              t("customers.detail.since"),
              t("customers.detail.reason"),
            ]}
            rows={data.history.map((h, i) => [
              h.title,
              <Badge key={i} tone={h.change === "entered" ? "success" : undefined}>
                {t(h.change === "entered" ? "customers.detail.entered" : "customers.detail.left")}
              </Badge>,
              when(h.at),
              h.reason ?? "",
            ])}
          />
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
