import { Text } from "@shopify/polaris";
import { t } from "../../i18n";
import { when } from "./format";

/** When a big shop's stored counts and totals were computed (ADR 054); nothing when the page computed them. */
export function FiguresAsOf({ asOf }: { asOf: string | null }) {
  if (!asOf) return null;
  return (
    <Text as="p" tone="subdued">
      {t("common.figuresAsOf", { when: when(asOf) })}
    </Text>
  );
}
