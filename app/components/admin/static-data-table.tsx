import type { ReactNode } from "react";

type ColumnType = "text" | "numeric";

const cellClass = (type: ColumnType, extra = "") =>
  `Polaris-DataTable__Cell Polaris-DataTable__Cell--verticalAlignTop${extra}${
    type === "numeric" ? " Polaris-DataTable__Cell--numeric" : ""
  }`;

/**
 * A read-only table that looks like Polaris' DataTable (its markup and class names, so Polaris' stylesheet draws
 * it) without DataTable's machinery: DataTable renders two scroll buttons with icons, and after mounting measures
 * every header cell, listens to resizes and scrolls, and renders again. For the overview's seven family tables and
 * the segment list that was most of the page's markup and of its work in the browser (ADR 042). Here the scroll
 * container itself is a focusable, named region, so a keyboard can scroll a table that does not fit (as
 * KeyboardScrollable does for DataTable).
 */
export function StaticDataTable({
  label,
  columnContentTypes,
  headings,
  rows,
}: {
  /** Names the table's scroll region for assistive technology. */
  label: string;
  columnContentTypes: ColumnType[];
  headings: string[];
  rows: ReactNode[][];
}) {
  return (
    <div className="Polaris-DataTable">
      {/* A scrollable region must be reachable by keyboard (axe: scrollable-region-focusable, WCAG 2.1.1). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="Polaris-DataTable__ScrollContainer" role="region" aria-label={label} tabIndex={0}>
        <table className="Polaris-DataTable__Table">
          <thead>
            <tr>
              {headings.map((heading, i) => (
                <th
                  key={i}
                  data-polaris-header-cell="true"
                  className={cellClass(columnContentTypes[i] ?? "text", " Polaris-DataTable__Cell--header")}
                  scope="col"
                >
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r} className="Polaris-DataTable__TableRow Polaris-DataTable--hoverable">
                {row.map((value, i) =>
                  i === 0 ? (
                    <th
                      key={i}
                      className={cellClass(columnContentTypes[i] ?? "text", " Polaris-DataTable__Cell--firstColumn")}
                      scope="row"
                    >
                      {value}
                    </th>
                  ) : (
                    <td key={i} className={cellClass(columnContentTypes[i] ?? "text")}>
                      {value}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
