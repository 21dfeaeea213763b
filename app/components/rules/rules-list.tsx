import { Form, Link as RemixLink } from "@remix-run/react";
import { BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { t } from "../../i18n";
import { AdminTitleBar, useNotice } from "../admin-frame";

interface Row {
  handle: string;
  title: string;
  description: string;
  definition: string;
  members: number;
}

/** The custom segments of the shop, with their rule in words, member counts and edit/delete. */
export function RulesList({
  rows,
  embedded,
  notice,
}: {
  rows: Row[];
  embedded: boolean;
  notice: "saved" | "deleted" | null;
}) {
  const [, banner] = useNotice(
    embedded,
    notice === "saved" ? t("rules.savedToast") : notice === "deleted" ? t("rules.deleted") : null,
  );
  return (
    <Page
      title={t("rules.title")}
      backAction={{ content: t("nav.overview"), url: "/app" }}
      primaryAction={{ content: t("rules.create"), url: "/app/rules/new" }}
    >
      <AdminTitleBar embedded={embedded} title={t("rules.title")} />
      {banner}
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("rules.intro")}
            </Text>
            <Card padding="0">
              {rows.length === 0 ? (
                <EmptyState
                  heading={t("rules.empty.heading")}
                  action={{ content: t("rules.create"), url: "/app/rules/new" }}
                  image=""
                >
                  <p>{t("rules.empty.body")}</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "segment", plural: "segments" }}
                  itemCount={rows.length}
                  selectable={false}
                  headings={[
                    { title: t("rules.columns.title") },
                    { title: t("rules.columns.definition") },
                    { title: t("rules.columns.members"), alignment: "end" },
                    { title: t("rules.columns.actions") },
                  ]}
                >
                  {rows.map((row, index) => (
                    <IndexTable.Row id={row.handle} key={row.handle} position={index}>
                      <IndexTable.Cell>
                        <BlockStack gap="100">
                          <RemixLink to={`/app/rules/${row.handle}`}>{row.title}</RemixLink>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {row.description}
                          </Text>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" variant="bodySm">
                          {row.definition}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {row.members.toLocaleString("en")}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack gap="200">
                          <Button
                            url={`/app/rules/${row.handle}`}
                            accessibilityLabel={`${t("rules.edit")} ${row.title}`}
                          >
                            {t("rules.edit")}
                          </Button>
                          <Form
                            method="post"
                            onSubmit={(event) => {
                              if (!window.confirm(t("rules.deleteConfirm", { title: row.title })))
                                event.preventDefault();
                            }}
                          >
                            <input type="hidden" name="handle" value={row.handle} />
                            <Button submit tone="critical" accessibilityLabel={`${t("common.delete")} ${row.title}`}>
                              {t("common.delete")}
                            </Button>
                          </Form>
                        </InlineStack>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
