import { Badge, BlockStack, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { hasMessage, t } from "../i18n";
import type { DashboardData } from "../insights/dashboard.server";

const familyTitle = (family: string) => {
  const key = `families.${family}`;
  return hasMessage(key) ? t(key) : family;
};

const when = (iso: string | null) => (iso ? new Date(iso).toUTCString() : "—");
const number = (n: number) => n.toLocaleString("en-US");

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** The app's home page; rendered inside Shopify admin (/app) and in local preview (/preview). */
export function Dashboard({ data }: { data: DashboardData }) {
  return (
    <Page title="Customer segments" subtitle={data.shop}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="Customers" value={number(data.totals.customers)} />
            <Stat label="Orders" value={number(data.totals.orders)} />
            <Stat label="Guest orders" value={number(data.totals.guestOrders)} />
            <Stat label="Customers in segments" value={number(data.totals.segmented)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Sync
                </Text>
                {data.installed ? <Badge tone="success">Installed</Badge> : <Badge>Not installed</Badge>}
              </InlineStack>
              <Text as="p">
                Order history imported: {when(data.sync.backfillCompletedAt)}. Last reconciliation:{" "}
                {when(data.sync.lastReconciledAt)}
                {data.sync.lastRepairs !== null ? ` (${data.sync.lastRepairs} orders repaired)` : ""}.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        {data.families.map((group) => (
          <Layout.Section key={group.family}>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {familyTitle(group.family)}
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "text"]}
                  headings={["Segment", "Customers", "Tag"]}
                  rows={group.segments.map((segment) => [
                    segment.title,
                    number(segment.customers),
                    segment.tag ?? "(not written)",
                  ])}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Background work
              </Text>
              {data.recentRuns.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing has run yet.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Job", "Status", "Step", "Started"]}
                  rows={data.recentRuns.map((run) => [
                    run.kind,
                    run.error ? `${run.status}: ${run.error}` : run.status,
                    run.step ?? "",
                    when(run.startedAt),
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
