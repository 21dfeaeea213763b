// The plan page: the shop's segmented customers against the plans' limits,
// the current plan, choosing or changing one (Shopify's confirmation page
// follows), cancelling, and what a lapse means. Strings from
// app/locales/en.json.
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Text } from "@shopify/polaris";
import type { PlanActionResult, PlanCard, PlanPageData } from "../../admin/plan.server";
import { t } from "../../i18n";
import { AppPage } from "./app-frame";
import { count, day, money, when } from "./format";

function limitText(card: PlanCard): string {
  return card.customerLimit === null
    ? t("plan.card.unlimited")
    : t("plan.card.upTo", { customers: count(card.customerLimit) });
}

function Confirmation({ confirmation }: { confirmation: NonNullable<PlanPageData["confirmation"]> }) {
  const { plan, status } = confirmation;
  if (status === "ACTIVE")
    return (
      <Banner tone="success" title={t("plan.confirmation.activeTitle", { plan })}>
        <p>{t("plan.confirmation.active")}</p>
      </Banner>
    );
  if (status === "DECLINED") return <Banner tone="warning" title={t("plan.confirmation.declined", { plan })} />;
  return <Banner tone="info" title={t("plan.confirmation.other", { plan, status: status.toLowerCase() })} />;
}

function PlanOption({ card, data, busy }: { card: PlanCard; data: PlanPageData; busy: boolean }) {
  const price = card.priceUsd === 0 ? t("plan.card.free") : money(card.priceUsd, "USD");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {card.name}
          </Text>
          {card.current ? <Badge tone="success">{t("plan.card.current")}</Badge> : null}
          {card.recommended && !card.current ? <Badge tone="info">{t("plan.card.recommended")}</Badge> : null}
        </InlineStack>
        <BlockStack gap="050">
          <Text as="p" variant="headingLg">
            {price}
          </Text>
          {card.priceUsd > 0 ? (
            <Text as="p" tone="subdued">
              {t("plan.card.price")}
            </Text>
          ) : null}
        </BlockStack>
        <Text as="p">{limitText(card)}</Text>
        {card.priceUsd > 0 && data.trialDays > 0 ? (
          <Text as="p" tone="subdued">
            {t("plan.card.trial", { days: data.trialDays })}
          </Text>
        ) : null}
        {card.current ? null : card.priceUsd === 0 ? (
          <Text as="p" tone="subdued">
            {card.covers ? t("plan.card.freeByCancelling") : t("plan.card.freeTooSmall")}
          </Text>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="choose" />
            <input type="hidden" name="plan" value={card.name} />
            <Button
              submit
              variant={card.recommended ? "primary" : undefined}
              disabled={data.preview || busy || !card.covers}
              accessibilityLabel={t("plan.card.chooseLabel", { plan: card.name })}
            >
              {data.plan === "Free" ? t("plan.card.choose") : t("plan.card.switch")}
            </Button>
          </Form>
        )}
      </BlockStack>
    </Card>
  );
}

export function PlanPage({ data }: { data: PlanPageData }) {
  const result = useActionData<PlanActionResult>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <AppPage title={t("plan.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {data.confirmation ? <Confirmation confirmation={data.confirmation} /> : null}
            {result ? <Banner tone={result.ok ? "success" : "critical"} title={result.message} /> : null}
            {data.lapsed ? (
              <Banner tone="critical" title={t("plan.lapsed.title", { date: when(data.lapsed.since) })}>
                <p>{t("plan.lapsed.body")}</p>
              </Banner>
            ) : data.needsPlan ? (
              <Banner tone="warning" title={t("plan.needsPlan.title")}>
                <p>
                  {t("plan.needsPlan.body", {
                    customers: count(data.customers),
                    free: count(data.plans[0].customerLimit ?? 0),
                  })}
                </p>
                {data.graceEndsAt ? <p>{t("plan.needsPlan.grace", { date: day(data.graceEndsAt) })}</p> : null}
              </Banner>
            ) : null}
            {!data.withinPlan && !data.needsPlan ? (
              <Banner tone="warning" title={t("plan.upgrade.title", { plan: data.plan })}>
                <p>{t("plan.upgrade.body", { customers: count(data.customers), recommended: data.recommended })}</p>
              </Banner>
            ) : null}
            {data.preview ? <Banner tone="info" title={t("plan.preview")} /> : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("plan.current.title")}
              </Text>
              <Text as="p">
                {t("plan.current.body", {
                  plan: data.plan,
                  customers: count(data.customers),
                  date: data.countedAt ? when(data.countedAt) : t("plan.current.notCounted"),
                })}
              </Text>
              {data.plan !== "Free" ? (
                <Box>
                  <Form method="post">
                    <input type="hidden" name="intent" value="cancel" />
                    <Button submit tone="critical" disabled={data.preview || busy}>
                      {t("plan.current.cancel")}
                    </Button>
                  </Form>
                </Box>
              ) : null}
              <Text as="p" tone="subdued">
                {t("plan.current.lapseRule")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
            {data.plans.map((card) => (
              <PlanOption key={card.name} card={card} data={data} busy={busy} />
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </AppPage>
  );
}
