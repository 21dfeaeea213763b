import { useEffect, useRef, type ReactNode } from "react";

/**
 * Wraps a Polaris DataTable whose columns may not fit: Polaris scrolls it
 * sideways in a container that a keyboard cannot reach (axe's
 * "scrollable-region-focusable", WCAG 2.1.1). The container is made a
 * focusable, named region, so arrow keys scroll it.
 */
export function KeyboardScrollable({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const container of ref.current?.querySelectorAll<HTMLElement>(".Polaris-DataTable__ScrollContainer") ?? []) {
      container.tabIndex = 0;
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", label);
    }
  });
  return <div ref={ref}>{children}</div>;
}
