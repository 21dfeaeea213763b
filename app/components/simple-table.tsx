import { Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * A small read-only table (a few rows, no scrolling): plain table semantics,
 * unlike Polaris' DataTable, whose scroll container is not keyboard-focusable
 * (axe: scrollable-region-focusable).
 */
export function SimpleTable({
  caption,
  headings,
  rows,
  numeric = [],
}: {
  caption: string;
  headings: string[];
  rows: ReactNode[][];
  /** Column indexes aligned to the end. */
  numeric?: number[];
}) {
  const cell = (i: number) => ({
    textAlign: numeric.includes(i) ? ("end" as const) : ("start" as const),
    padding: "var(--p-space-200)",
    borderBottom: "var(--p-border-width-025) solid var(--p-color-border-secondary)",
    verticalAlign: "top" as const,
  });
  return (
    <table style={{ width: "100%", borderCollapse: "collapse" }}>
      <caption style={{ textAlign: "start" }}>
        <Text as="span" variant="headingSm">
          {caption}
        </Text>
      </caption>
      <thead>
        <tr>
          {headings.map((h, i) => (
            <th key={i} scope="col" style={cell(i)}>
              <Text as="span" variant="bodySm" fontWeight="semibold">
                {h}
              </Text>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((value, i) => (
              <td key={i} style={cell(i)}>
                <Text as="span" variant="bodySm" numeric={numeric.includes(i)}>
                  {value}
                </Text>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
