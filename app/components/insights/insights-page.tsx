import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { KeyboardScrollable } from "../admin/keyboard-scrollable";
import { t } from "../../i18n";
import type { InsightsPage as InsightsPageData } from "../../insights/page.server";
import { MovementFlow, TrendChart } from "./charts";
import { DiscountLiftCard } from "./discount-lift";
import { InsightsWeeklySummary } from "./weekly-summary";
import { familyTitle, labeller, money, percent } from "./format";

function PeriodForm({ data }: { data: InsightsPageData }) {
  return (
    <form method="get">
      <InlineStack gap="300" blockAlign="end">
        <label>
          {t("insights.period.from")}{" "}
          <input type="date" name="from" defaultValue={data.period?.from} max={data.today} />
        </label>
        <label>
          {t("insights.period.to")} <input type="date" name="to" defaultValue={data.period?.to} max={data.today} />
        </label>
        <label>
          {t("insights.period.family")}{" "}
          <select name="family" defaultValue={data.family}>
            {data.families.map((f) => (
              <option key={f} value={f}>
                {familyTitle(f)}
              </option>
            ))}
          </select>
        </label>
        <Button submit>{t("insights.period.apply")}</Button>
      </InlineStack>
    </form>
  );
}

function MetricsTable({ data, label }: { data: InsightsPageData; label: (key: string) => string }) {
  return (
    <KeyboardScrollable label={t("insights.metrics.segment")}>
      <DataTable
        columnContentTypes={[
          "text",
          "numeric",
          "numeric",
          "numeric",
          "numeric",
          "numeric",
          "numeric",
          "numeric",
          "numeric",
        ]}
        headings={[
          t("insights.metrics.segment"),
          t("insights.metrics.members"),
          t("insights.metrics.conversion"),
          t("insights.metrics.churn"),
          t("insights.metrics.revenue"),
          t("insights.metrics.perMember"),
          t("insights.metrics.predicted"),
          t("insights.metrics.actual"),
          t("insights.metrics.error"),
        ]}
        rows={data.metrics.map((m) => [
          label(m.segment),
          m.members,
          percent(m.conversion),
          percent(m.churnRate),
          money(m.revenueMinor, data.currency),
          money(m.revenuePerMemberMinor, data.currency),
          m.predictedPurchaseDays === null ? t("insights.metrics.notFitted") : m.predictedPurchaseDays.toFixed(1),
          m.actualPurchaseDaysModelled ?? "—",
          m.predictionError === null ? "—" : percent(m.predictionError),
        ])}
      />
    </KeyboardScrollable>
  );
}

/** The insights page: trends, movement, per-segment figures and discount lift for one family and period. */
export function InsightsPage({ data, basePath }: { data: InsightsPageData; basePath: string }) {
  const label = labeller(data.labels);
  const query = data.period ? `from=${data.period.from}&to=${data.period.to}&family=${data.family}` : "";
  return (
    <Page title={t("insights.title")} subtitle={t("insights.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <PeriodForm data={data} />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InsightsWeeklySummary data={data.weekly} />
        </Layout.Section>
        {data.problem ? (
          <Layout.Section>
            <Banner tone="critical" title={t("insights.period.refused")}>
              {data.problem}
            </Banner>
          </Layout.Section>
        ) : null}
        {data.alerts.length ? (
          <Layout.Section>
            <BlockStack gap="200">
              {data.alerts.map((a) => (
                <Banner key={a.segment} tone={a.direction === "grew" ? "warning" : "info"}>
                  {t(`insights.alerts.${a.direction}`, {
                    segment: label(a.segment),
                    change: percent(Math.abs(a.change), 0),
                    from: a.from.size,
                    to: a.to.size,
                  })}
                </Banner>
              ))}
            </BlockStack>
          </Layout.Section>
        ) : null}
        {data.period && data.empty ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("insights.empty.heading")} image="">
                <p>{t("insights.empty.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : null}
        {data.period && !data.empty ? (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between">
                    <Text as="h2" variant="headingMd">
                      {t("insights.trend.heading")} · {familyTitle(data.family)}
                    </Text>
                    <a href={`${basePath}/export/snapshots?${query}`}>{t("insights.exportSnapshots")}</a>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {t("insights.trend.caption")}
                  </Text>
                  <TrendChart days={data.trend.days} series={data.trend.series} label={label} />
                </BlockStack>
              </Card>
            </Layout.Section>
            {data.matrix ? (
              <Layout.Section>
                <Card>
                  <BlockStack gap="300">
                    <InlineStack align="space-between">
                      <Text as="h2" variant="headingMd">
                        {t("insights.matrix.heading")}
                      </Text>
                      <a href={`${basePath}/export/movement?${query}`}>{t("insights.matrix.export")}</a>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {t("insights.matrix.caption", { from: data.period.from, to: data.period.to })}
                    </Text>
                    <KeyboardScrollable label={t("insights.matrix.heading")}>
                      <DataTable
                        columnContentTypes={["text", ...data.matrix.columns.map(() => "numeric" as const), "numeric"]}
                        headings={["", ...data.matrix.columns.map(label), t("insights.matrix.start")]}
                        rows={data.matrix.rows.map((row, r) => [
                          label(row),
                          ...data.matrix!.counts[r],
                          data.matrix!.startSizes[r],
                        ])}
                      />
                    </KeyboardScrollable>
                    <Box paddingBlockStart="200">
                      <MovementFlow matrix={data.matrix} label={label} />
                    </Box>
                  </BlockStack>
                </Card>
              </Layout.Section>
            ) : null}
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("insights.metrics.heading")}
                  </Text>
                  <MetricsTable data={data} label={label} />
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        ) : null}
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("insights.discounts.heading")}
            </Text>
            {data.discounts.length === 0 ? <Text as="p">{t("insights.discounts.none")}</Text> : null}
            {data.discounts.map((d) => (
              <DiscountLiftCard
                key={d.discount.id}
                data={d}
                currency={data.currency}
                href={`${basePath}/discounts/${encodeURIComponent(d.discount.id)}`}
              />
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
