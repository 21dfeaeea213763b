import { Link } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Pagination,
  Text,
} from "@shopify/polaris";
import { t } from "../../i18n";
import type { SegmentDetail, SegmentList } from "../../admin/segments.server";
import { Figure } from "./figure";
import { FiguresAsOf } from "./figures-as-of";
import { AppPage } from "./app-frame";
import { count, day, decimal, money, percent } from "./format";
import { familyTitle, segmentPath } from "./overview";
import { StaticDataTable } from "./static-data-table";

export function SegmentListPage({ data }: { data: SegmentList }) {
  return (
    <AppPage title={t("segments.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="p" tone="subdued">
                {t("segments.intro")}
              </Text>
              <FiguresAsOf asOf={data.figuresAsOf} />
              <StaticDataTable
                label={t("segments.title")}
                columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={[
                  t("segments.columns.segment"),
                  t("segments.columns.family"),
                  t("segments.columns.customers"),
                  t("segments.columns.aov"),
                  t("segments.columns.ordersPerCustomer"),
                  t("segments.columns.shareRevenue"),
                  t("segments.columns.tag"),
                ]}
                rows={data.segments.map((s) => [
                  <Link key={s.key} to={segmentPath(s.key)}>
                    {s.title}
                  </Link>,
                  familyTitle(s.family),
                  count(s.customers),
                  s.averageOrderValue === null ? "—" : money(s.averageOrderValue, data.currency),
                  s.ordersPerCustomer === null ? "—" : decimal(s.ordersPerCustomer),
                  percent(s.shareOfRevenue),
                  s.tag ?? t("segments.notWritten"),
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}

function WritebackCard({ writeback }: { writeback: SegmentDetail["writeback"] }) {
  const data = { writeback };
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("segments.detail.writeback")}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="span">{t("segments.detail.tag")}:</Text>
          {data.writeback.enabled && data.writeback.tag ? (
            <Badge tone="success">{data.writeback.tag}</Badge>
          ) : (
            <Text as="span">{t("segments.detail.tagDisabled")}</Text>
          )}
        </InlineStack>
        <Text as="p">
          {t("segments.detail.metafields")}:{" "}
          {t(data.writeback.metafields ? "segments.detail.metafieldsOn" : "segments.detail.metafieldsOff")}
        </Text>
        <Text as="p">
          {t("segments.detail.mirror")}:{" "}
          {data.writeback.mirror
            ? `${data.writeback.mirror.name} (${data.writeback.mirror.query})`
            : t("segments.detail.mirrorNone")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export function SegmentDetailPage({ data }: { data: SegmentDetail }) {
  const { segment } = data;
  const base = segmentPath(segment.key);
  const cellQuery = data.rfmCell ? `r=${data.rfmCell.r}&fm=${data.rfmCell.fm}` : "";
  const pageUrl = (after: string | null) => {
    const query = [cellQuery, after ? `after=${after}` : ""].filter(Boolean).join("&");
    return query ? `${base}?${query}` : base;
  };
  return (
    <AppPage
      title={segment.title}
      subtitle={familyTitle(segment.family)}
      backAction={{ content: t("nav.segments"), url: "/app/segments" }}
      secondaryActions={[{ content: t("segments.detail.export"), url: `${base}.csv`, external: true }]}
    >
      <Layout>
        {segment.model && segment.model.status !== "ok" ? (
          <Layout.Section>
            <Banner tone={segment.model.status === "unavailable" ? "warning" : "info"}>
              <p>{segment.model.reason}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("segments.detail.definition")}
              </Text>
              <Text as="p">{segment.description}</Text>
              <Text as="p" tone="subdued">
                {segment.definition}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("segments.detail.stats")}
              </Text>
              <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
                <Figure label={t("segments.detail.count")} value={count(segment.customers)} />
                <Figure
                  label={t("segments.detail.trend")}
                  value={`${t("segments.detail.entered", { count: count(data.trend.entered) })} ${t("segments.detail.left", { count: count(data.trend.left) })}`}
                />
                <Figure
                  label={t("segments.detail.aov")}
                  value={segment.averageOrderValue === null ? "—" : money(segment.averageOrderValue, data.currency)}
                />
                <Figure
                  label={t("segments.detail.ordersPerCustomer")}
                  value={segment.ordersPerCustomer === null ? "—" : decimal(segment.ordersPerCustomer)}
                />
                <Figure label={t("segments.detail.shareRevenue")} value={percent(segment.shareOfRevenue)} />
              </InlineGrid>
              <FiguresAsOf asOf={data.figuresAsOf} />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <WritebackCard writeback={data.writeback} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("segments.detail.members")}
                </Text>
                <Button url={`${base}.csv`} download external>
                  {t("segments.detail.export")}
                </Button>
              </InlineStack>
              {data.rfmCell ? (
                <InlineStack gap="200">
                  <Text as="p">{t("segments.detail.cellFilter", { r: data.rfmCell.r, fm: data.rfmCell.fm })}</Text>
                  <Link to={base}>{t("segments.detail.clearFilter")}</Link>
                </InlineStack>
              ) : null}
              {data.members.length === 0 ? (
                <EmptyState heading={t("segments.detail.membersEmpty")} image="/images/empty-state.svg" />
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                  headings={[
                    t("segments.detail.name"),
                    t("segments.detail.reason"),
                    t("segments.detail.since"),
                    t("segments.detail.orders"),
                    t("segments.detail.spent"),
                  ]}
                  rows={data.members.map((m) => [
                    <BlockStack key={m.customerId} gap="050">
                      <Link to={`/app/customers/${m.customerId}`}>
                        {m.name ?? t("common.customer", { id: m.customerId })}
                      </Link>
                      <a href={m.adminUrl} target="_top" rel="noreferrer">
                        {t("common.openInShopify")}
                        <span className="Polaris-Text--visuallyHidden"> ({m.customerId})</span>
                      </a>
                    </BlockStack>,
                    <span key="reason" className="member-reason">
                      {m.reason}
                    </span>,
                    day(m.since),
                    count(m.orders),
                    money(m.spent, data.currency),
                  ])}
                />
              )}
              <InlineStack align="center">
                <Pagination
                  hasPrevious={data.after !== null}
                  previousURL={data.after !== null ? pageUrl(null) : undefined}
                  hasNext={data.nextAfter !== null}
                  nextURL={data.nextAfter ? pageUrl(data.nextAfter) : undefined}
                  label={t("segments.detail.members")}
                />
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
