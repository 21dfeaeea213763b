import { Badge, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import type { DashboardData } from "../services/dashboard.server";

/** The app's home page; rendered inside Shopify admin (/app) and in local preview (/preview). */
export function Dashboard({ data }: { data: DashboardData }) {
  return (
    <Page title="Customer segments" subtitle={data.shop}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Store
              </Text>
              <Text as="p">
                {data.installed ? <Badge tone="success">Installed</Badge> : <Badge>Not installed</Badge>}{" "}
                {data.installedAt ? `since ${new Date(data.installedAt).toUTCString()}` : ""}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
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
                    new Date(run.startedAt).toUTCString(),
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
