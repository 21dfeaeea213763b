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
import { Await } from "@remix-run/react";
import { Suspense } from "react";
import { KeyboardScrollable } from "../admin/keyboard-scrollable";
import { t } from "../../i18n";
import { withPredictions, type SegmentMetrics, type SegmentPredictions } from "../../insights/core/segment-metrics";
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

/**
 * Where the model's check of the segments stands: in the metrics (with or
 * without a fitted model; unknown when the metrics came without it), still
 * being computed, or failed.
 */
type CheckState = "fitted" | "not-fitted" | "pending" | "failed";

function MetricsTable({
  data,
  metrics,
  label,
  check,
}: {
  data: InsightsPageData;
  metrics: SegmentMetrics[];
  label: (key: string) => string;
  check: CheckState;
}) {
  const predicted = (m: SegmentMetrics) => {
    if (check === "pending") return t("insights.metrics.checkPending");
    if (check === "failed") return t("insights.metrics.checkFailed");
    if (m.predictedPurchaseDays !== null) return m.predictedPurchaseDays.toFixed(1);
    // A fitted model describes members with an order before the period: a segment of customers without any has none.
    return check === "fitted" ? "—" : t("insights.metrics.notFitted");
  };
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
        rows={metrics.map((m) => [
          label(m.segment),
          m.members,
          percent(m.conversion),
          percent(m.churnRate),
          money(m.revenueMinor, data.currency),
          money(m.revenuePerMemberMinor, data.currency),
          predicted(m),
          m.actualPurchaseDaysModelled ?? "—",
          m.predictionError === null ? "—" : percent(m.predictionError),
        ])}
      />
    </KeyboardScrollable>
  );
}

/**
 * The segments' metrics, completed with the model's check: given with the
 * page, or a promise the route deferred (a big shop's, ADR 055), shown as
 * being computed until it arrives.
 */
function SegmentMetricsTable({
  data,
  predictions,
  label,
}: {
  data: InsightsPageData;
  predictions: InsightsPredictions;
  label: (key: string) => string;
}) {
  const table = (metrics: SegmentMetrics[], check: CheckState) => (
    <MetricsTable data={data} metrics={metrics} label={label} check={check} />
  );
  const checked = (p: SegmentPredictions) =>
    table(withPredictions(data.metrics, p), p.fitted ? "fitted" : "not-fitted");
  if (!predictions) return table(data.metrics, "not-fitted");
  if (!(predictions instanceof Promise)) return checked(predictions);
  return (
    <Suspense fallback={table(data.metrics, "pending")}>
      <Await resolve={predictions} errorElement={table(data.metrics, "failed")}>
        {(resolved) => checked(resolved)}
      </Await>
    </Suspense>
  );
}

/** The model's check as the route gives it: with the page, deferred, or none (a page without metrics). */
export type InsightsPredictions = SegmentPredictions | Promise<SegmentPredictions> | null | undefined;

/** The insights page: trends, movement, per-segment figures and discount lift for one family and period. */
export function InsightsPage({
  data,
  predictions,
  basePath,
}: {
  data: InsightsPageData;
  predictions?: InsightsPredictions;
  basePath: string;
}) {
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
                  <SegmentMetricsTable data={data} predictions={predictions} label={label} />
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
