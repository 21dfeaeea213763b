import { Link } from "@remix-run/react";
import { Banner, BlockStack, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import { t } from "../../i18n";
import type { OverviewWeekly, WeeklySummaryData } from "../../insights/page.server";
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

function signedCount(n: number): string {
  return `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toLocaleString("en")}`;
}

/** The overview's card: the week's alerts and biggest movements, a link to the Insights page; an empty state before any snapshot. */
export function OverviewWeeklyCard({ data }: { data: OverviewWeekly | null }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {t("overview.weekly.title")}
            {data ? ` (${t("overview.weekly.range", { from: data.from, to: data.to })})` : ""}
          </Text>
          <Link to="/app/insights">{t("overview.weekly.open")}</Link>
        </InlineStack>
        {!data ? (
          <Text as="p" tone="subdued" id="overview-weekly-empty">
            {t("overview.weekly.empty")}
          </Text>
        ) : (
          <>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("overview.weekly.alerts")}
              </Text>
              {data.alerts.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("overview.weekly.noAlerts")}
                </Text>
              ) : (
                data.alerts.map((a) => (
                  <Banner key={a.segment} tone={a.direction === "grew" ? "warning" : "info"}>
                    {t(`insights.alerts.${a.direction}`, {
                      segment: a.title,
                      change: percent(Math.abs(a.change), 0),
                      from: a.from.size,
                      to: a.to.size,
                    })}
                  </Banner>
                ))
              )}
            </BlockStack>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("overview.weekly.movements")}
              </Text>
              {data.movements.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("overview.weekly.noMovements")}
                </Text>
              ) : (
                <List type="bullet">
                  {data.movements.map((m) => (
                    <List.Item key={m.segment}>
                      {t("overview.weekly.movement", {
                        segment: m.title,
                        change: signedCount(m.size - (m.sizeWeekAgo ?? m.size)),
                        from: (m.sizeWeekAgo ?? m.size).toLocaleString("en"),
                        to: m.size.toLocaleString("en"),
                        entries: m.entries.toLocaleString("en"),
                        exits: m.exits.toLocaleString("en"),
                      })}
                    </List.Item>
                  ))}
                </List>
              )}
            </BlockStack>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
