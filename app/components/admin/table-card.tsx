import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

type ColumnType = "text" | "numeric";

/**
 * A titled card holding one table, or a line saying there is nothing to show:
 * the admin pages' lists of requests, segments and history share this shape.
 */
export function TableCard({
  title,
  description,
  empty,
  columnContentTypes,
  headings,
  rows,
}: {
  title: string;
  /** A subdued line under the title. */
  description?: string;
  /** Shown instead of the table when there are no rows. */
  empty: string;
  columnContentTypes: ColumnType[];
  headings: string[];
  rows: ReactNode[][];
}) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {description ? (
          <Text as="p" tone="subdued">
            {description}
          </Text>
        ) : null}
        {rows.length === 0 ? (
          <Text as="p">{empty}</Text>
        ) : (
          <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} />
        )}
      </BlockStack>
    </Card>
  );
}
