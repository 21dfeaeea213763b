import { Banner, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { t } from "../../i18n";
import type { WeeklySummaryData } from "../../insights/page.server";
import { labeller, money, percent } from "./format";

/** The last seven days of every segment, with the alerts, for the overview page. */
export function InsightsWeeklySummary({ data }: { data: WeeklySummaryData | null }) {
  if (!data) {
    return (
      <Card>
        <Text as="p">{t("insights.weekly.none")}</Text>
      </Card>
    );
  }
  const label = labeller(data.labels);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("insights.weekly.heading")} ({data.from} – {data.to})
        </Text>
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
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            t("insights.weekly.segment"),
            t("insights.weekly.size"),
            t("insights.weekly.change"),
            t("insights.weekly.entries"),
            t("insights.weekly.exits"),
            t("insights.weekly.orders"),
            t("insights.weekly.revenue"),
          ]}
          rows={data.segments.map((s) => [
            label(s.segment),
            s.size,
            s.sizeWeekAgo ? percent((s.size - s.sizeWeekAgo) / s.sizeWeekAgo, 0) : "—",
            s.entries,
            s.exits,
            s.orders,
            money(s.revenueMinor, data.currency),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
