import { Link } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Text,
} from "@shopify/polaris";
import { hasMessage, t } from "../../i18n";
import type { Overview } from "../../admin/overview.server";
import { OverviewWeeklyCard } from "../insights/weekly-summary";
import { AppPage, NAV_LINKS } from "./app-frame";
import { Chart } from "./charts";
import { StaticDataTable } from "./static-data-table";
import { Figure } from "./figure";
import { FiguresAsOf } from "./figures-as-of";
import { compactNumber, count, day, money, percent } from "./format";

export const familyTitle = (family: string) => {
  const key = `families.${family}`;
  return hasMessage(key) ? t(key) : family;
};

export const segmentPath = (key: string) => `/app/segments/${key}`;

type ModelNote = Overview["modelNotes"][number];

/** One banner per status: the weak segments' notes share their evidence (e.g. almost no dropout), so they sit together. */
function modelNoteGroups(notes: ModelNote[]): Array<{ status: ModelNote["status"]; notes: ModelNote[] }> {
  const statuses = [...new Set(notes.map((note) => note.status))];
  return statuses.map((status) => ({ status, notes: notes.filter((note) => note.status === status) }));
}

const FM_SCORES = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];
const R_SCORES = [5, 4, 3, 2, 1];

/** What the models say, beside the counts they explain: one banner per status. */
function ModelNotes({ notes }: { notes: ModelNote[] }) {
  return (
    <>
      {modelNoteGroups(notes).map((group) => (
        <Layout.Section key={group.status}>
          <Banner
            tone={group.status === "unavailable" ? "warning" : "info"}
            title={t(group.status === "unavailable" ? "overview.model.unavailable" : "overview.model.weak")}
          >
            {group.notes.length === 1 ? (
              <p>
                {group.notes[0].reason} ({group.notes[0].segments.join(", ")})
              </p>
            ) : (
              <List>
                {group.notes.map((note) => (
                  <List.Item key={note.reason}>
                    {note.segments.join(", ")}: {note.reason}
                  </List.Item>
                ))}
              </List>
            )}
          </Banner>
        </Layout.Section>
      ))}
    </>
  );
}

/**
 * Background for a share of the largest cell, and the text colour with the higher contrast on it: black or white
 * switched at luminance 0.179 gives at least 4.58:1 on any background (a dark grey instead of black falls to 4.49).
 */
function heat(share: number): { background: string; color: string } {
  const alpha = share === 0 ? 0 : 0.08 + 0.87 * share;
  const channel = (base: number) => Math.round(255 - (255 - base) * alpha);
  const [r, g, b] = [channel(0), channel(48), channel(120)];
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return { background: `rgb(${r}, ${g}, ${b})`, color: luminance > 0.179 ? "#000000" : "#ffffff" };
}

function RfmHeatMap({ cells }: { cells: Overview["rfm"] }) {
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const cellAt = (r: number, fm: number) => cells.find((c) => c.r === r && c.fm === fm);
  return (
    <div style={{ overflowX: "auto" }}>
      <table className="rfm-grid" style={{ borderCollapse: "separate", borderSpacing: 2, width: "100%" }}>
        <caption className="Polaris-Text--visuallyHidden">{t("overview.rfm.description")}</caption>
        <thead>
          <tr>
            <td />
            {FM_SCORES.map((fm) => (
              <th key={fm} scope="col" style={{ fontWeight: 500, padding: 4 }}>
                {t("overview.rfm.fm", { score: fm })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {R_SCORES.map((r) => (
            <tr key={r}>
              <th scope="row" style={{ fontWeight: 500, padding: 4, whiteSpace: "nowrap" }}>
                {t("overview.rfm.recency", { score: r })}
              </th>
              {FM_SCORES.map((fm) => {
                const cell = cellAt(r, fm);
                if (!cell) {
                  return <td key={fm} style={{ background: "#f7f7f7", height: 40 }} />;
                }
                const style = heat(cell.customers / max);
                return (
                  <td key={fm} style={{ ...style, textAlign: "center", height: 40, borderRadius: 4 }}>
                    <Link
                      to={`${segmentPath(cell.group)}?r=${r}&fm=${fm}`}
                      style={{ color: style.color, display: "block", padding: 8, textDecoration: "none" }}
                      aria-label={t("overview.rfm.cell", { r, fm, count: count(cell.customers) })}
                    >
                      {count(cell.customers)}
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FamilyCard({ family, segments }: Overview["families"][number]) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {familyTitle(family)}
        </Text>
        <StaticDataTable
          label={familyTitle(family)}
          columnContentTypes={["text", "numeric", "numeric", "numeric"]}
          headings={[
            t("overview.familyColumns.segment"),
            t("overview.familyColumns.customers"),
            t("overview.familyColumns.shareCustomers"),
            t("overview.familyColumns.shareRevenue"),
          ]}
          rows={segments.map((segment) => [
            <Link key={segment.key} to={segmentPath(segment.key)}>
              {segment.title}
            </Link>,
            count(segment.customers),
            percent(segment.shareOfCustomers),
            percent(segment.shareOfRevenue),
          ])}
        />
      </BlockStack>
    </Card>
  );
}

export function OverviewPage({ data }: { data: Overview }) {
  if (!data.ready) {
    return (
      <AppPage title={t("overview.title")}>
        <Card>
          <EmptyState
            heading={t("overview.empty.heading")}
            action={{ content: t("overview.empty.action"), url: "/app/activity" }}
            image="/images/empty-state.svg"
          >
            <p>{t("overview.empty.body")}</p>
          </EmptyState>
        </Card>
      </AppPage>
    );
  }
  const moneyOf = (n: number) => money(n, data.currency);
  return (
    <AppPage title={t("overview.title")} subtitle={data.shop}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
            <Card>
              <Figure heading="h2" label={t("overview.totals.customers")} value={count(data.totals.customers)} />
            </Card>
            <Card>
              <Figure heading="h2" label={t("overview.totals.orders")} value={count(data.totals.orders)} />
            </Card>
            <Card>
              <Figure heading="h2" label={t("overview.totals.revenue")} value={moneyOf(data.totals.revenue)} />
            </Card>
          </InlineGrid>
        </Layout.Section>
        {data.figuresAsOf ? (
          <Layout.Section>
            <FiguresAsOf asOf={data.figuresAsOf} />
          </Layout.Section>
        ) : null}
        <ModelNotes notes={data.modelNotes} />
        <Layout.Section>
          <OverviewWeeklyCard data={data.weekly} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("overview.rfm.title")}
              </Text>
              <Text as="p" tone="subdued">
                {t("overview.rfm.description")}
              </Text>
              {data.rfm.length === 0 ? <Text as="p">{t("overview.rfm.empty")}</Text> : <RfmHeatMap cells={data.rfm} />}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("overview.clv.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("overview.clv.description", { currency: data.currency })}
                </Text>
                {data.clv.available ? (
                  <Chart
                    kind="bar"
                    label={t("overview.clv.title")}
                    data={[
                      {
                        name: t("overview.clv.customers"),
                        data: data.clv.buckets.map((b) => ({
                          key: t("overview.clv.bucket", {
                            // The currency is in the description: the bars' labels have room for the numbers only.
                            from: compactNumber(b.from),
                            to: compactNumber(b.to),
                          }),
                          value: b.customers,
                        })),
                      },
                    ]}
                  />
                ) : (
                  <Text as="p">
                    {t("overview.clv.unavailable", {
                      reason: data.modelNotes.find((n) => n.status === "unavailable")?.reason ?? "",
                    })}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("overview.trend.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("overview.trend.description")}
                </Text>
                {data.trend.length === 0 ? (
                  <Text as="p">{t("overview.trend.empty")}</Text>
                ) : (
                  <Chart
                    kind="line"
                    label={t("overview.trend.title")}
                    data={data.trend.map((series) => ({
                      name: series.title,
                      data: series.points.map((p) => ({ key: day(p.day), value: p.customers })),
                    }))}
                  />
                )}
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        {data.families.map((group) => (
          <Layout.Section key={group.family}>
            <FamilyCard {...group} />
          </Layout.Section>
        ))}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("overview.links.heading")}
              </Text>
              <Box>
                <InlineStack gap="400">
                  {NAV_LINKS.map((link) => (
                    <Link key={link.to} to={link.to}>
                      {t(link.label)}
                    </Link>
                  ))}
                </InlineStack>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
