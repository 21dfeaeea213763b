import { Badge, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { t } from "../../i18n";
import type { DiscountLift } from "../../insights/discount-lift.server";
import { money, percent, signedPercent } from "./format";

const TONE = { helping: "success", hurting: "critical", "not-enough-data": "attention" } as const;

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <BlockStack gap="050">
      <Text as="p" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="p" variant="headingMd">
        {value}
      </Text>
      {detail ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** One discount's measured effect: groups, lift with its 95 % interval, verdict, cost and return. */
export function DiscountLiftCard({ data, currency, href }: { data: DiscountLift; currency: string; href?: string }) {
  const { lift } = data;
  const interval = (i: { low: number; high: number } | null, f: (v: number) => string) =>
    i ? `95% CI ${f(i.low)} to ${f(i.high)}` : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          {href ? <a href={href}>{data.discount.title}</a> : data.discount.title}{" "}
          <Badge tone={TONE[lift.verdict]}>{t(`insights.discounts.verdict.${lift.verdict}`)}</Badge>
        </Text>
        <Text as="p">{lift.explanation}</Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <Figure
            label={t("insights.discounts.treated")}
            value={`${lift.treated.members} · ${percent(lift.treated.conversion)}`}
            detail={money(lift.treated.revenuePerMember, currency)}
          />
          <Figure
            label={t("insights.discounts.holdout")}
            value={`${lift.holdout.members} · ${percent(lift.holdout.conversion)}`}
            detail={money(lift.holdout.revenuePerMember, currency)}
          />
          <Figure
            label={t("insights.discounts.conversionLift")}
            value={lift.conversionLift ? signedPercent(lift.conversionLift.estimate) : "—"}
            detail={interval(lift.conversionLift, signedPercent)}
          />
          <Figure
            label={t("insights.discounts.revenueLift")}
            value={lift.revenuePerMemberLift ? money(lift.revenuePerMemberLift.estimate, currency) : "—"}
            detail={interval(lift.revenuePerMemberLift, (v) => money(v, currency))}
          />
          <Figure
            label={t("insights.discounts.withDiscount")}
            value={String(data.withDiscount.orders)}
            detail={money(data.withDiscount.revenueMinor, currency)}
          />
          <Figure label={t("insights.discounts.cost")} value={money(data.withDiscount.costMinor, currency)} />
          <Figure
            label={t("insights.discounts.returnOnOffer")}
            value={lift.returnOnOffer === null ? "—" : percent(lift.returnOnOffer, 0)}
            detail={
              lift.incrementalRevenueMinor === null ? undefined : `+${money(lift.incrementalRevenueMinor, currency)}`
            }
          />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
