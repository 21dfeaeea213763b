import { useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineError,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { DiscountFormPage } from "../../act/discount-pages.server";
import {
  formDataFromValues,
  parseDiscountForm,
  type DiscountFormValues,
  type FieldErrors,
} from "../../act/discount-form";
import { t } from "../../i18n";

/**
 * The create/edit form of a segment discount. The browser validates with the
 * same code as the server (app/act/discount-form.ts) before posting; the
 * server's answer (its own validation, or Shopify's refusal) shows next to the
 * same fields.
 */
export function DiscountForm({ page, serverErrors }: { page: DiscountFormPage; serverErrors?: FieldErrors }) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const [values, setValues] = useState<DiscountFormValues>(page.values);
  const [clientErrors, setClientErrors] = useState<FieldErrors | null>(null);
  const errors: FieldErrors = clientErrors ?? serverErrors ?? {};
  const isNew = page.discount === null;
  const context = useMemo(
    () => ({
      currency: page.currency,
      availableSegments: page.segments.filter((s) => s.available).map((s) => s.key),
      segmentTitles: new Map(page.segments.map((s) => [s.key, s.label])),
    }),
    [page],
  );
  const set =
    <K extends keyof DiscountFormValues>(field: K) =>
    (value: DiscountFormValues[K]) =>
      setValues((current) => ({ ...current, [field]: value }));

  const save = () => {
    const result = parseDiscountForm(values, context);
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors(null);
    submit(formDataFromValues(values), { method: "post" });
  };

  const kinds = [
    { label: t("discounts.form.kindPercentage"), value: "percentage" },
    { label: t("discounts.form.kindFixedAmount"), value: "fixedAmount" },
    ...(values.rewardTarget === "shipping" ? [{ label: t("discounts.form.kindFree"), value: "free" }] : []),
  ];
  const saving = navigation.state === "submitting";
  const title = isNew ? t("discounts.newTitle") : t("discounts.editTitle");

  return (
    <Page
      title={title}
      subtitle={page.discount?.title}
      backAction={{ content: t("discounts.actions.back"), url: "/app/discounts" }}
      primaryAction={{
        content: isNew ? t("discounts.actions.create") : t("discounts.actions.save"),
        onAction: save,
        loading: saving,
      }}
    >
      <Layout>
        {errors.form ? (
          <Layout.Section>
            <Banner tone="critical" title={t("discounts.form.errorsHeading")}>
              <p>{errors.form}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("discounts.intro")}
            </Text>
            <Card>
              <FormLayout>
                <ChoiceList
                  title={t("discounts.form.methodLabel")}
                  choices={[
                    { label: t("discounts.form.methodAutomatic"), value: "automatic" },
                    { label: t("discounts.form.methodCode"), value: "code" },
                  ]}
                  selected={[values.method]}
                  onChange={(selected) => set("method")(selected[0])}
                  disabled={!isNew}
                  error={errors.method}
                />
                {!isNew ? (
                  <Text as="p" tone="subdued">
                    {t("discounts.form.methodLocked")}
                  </Text>
                ) : null}
                {values.method === "code" ? (
                  <TextField
                    label={t("discounts.form.codeLabel")}
                    value={values.code}
                    onChange={set("code")}
                    error={errors.code}
                    autoComplete="off"
                  />
                ) : null}
                <TextField
                  label={t("discounts.form.titleLabel")}
                  helpText={t("discounts.form.titleHelp")}
                  value={values.title}
                  onChange={set("title")}
                  error={errors.title}
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
            <Card>
              {page.segments.length === 0 ? (
                <Banner tone="warning">
                  <p>{t("discounts.form.noSegments")}</p>
                </Banner>
              ) : (
                <SegmentPicker
                  segments={page.segments}
                  selected={values.segments}
                  onChange={set("segments")}
                  error={errors.segments}
                />
              )}
              <Text as="p" tone="subdued">
                {t("discounts.form.segmentsHelp")}
              </Text>
            </Card>
            <RewardCard values={values} set={set} errors={errors} kinds={kinds} currency={page.currency} />
            <TermsCards values={values} set={set} errors={errors} timeZone={page.timeZone} />
            <InlineStack align="end">
              <Button variant="primary" onClick={save} loading={saving}>
                {isNew ? t("discounts.actions.create") : t("discounts.actions.save")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function RewardCard({
  values,
  set,
  errors,
  kinds,
  currency,
}: {
  values: DiscountFormValues;
  set: <K extends keyof DiscountFormValues>(field: K) => (value: DiscountFormValues[K]) => void;
  errors: FieldErrors;
  kinds: Array<{ label: string; value: string }>;
  currency: string;
}) {
  const changeTarget = (target: string) => {
    set("rewardTarget")(target);
    // Free is for shipping only: another target falls back to a percentage.
    if (target !== "shipping" && values.rewardKind === "free") set("rewardKind")("percentage");
  };
  return (
    <Card>
      <FormLayout>
        <Text as="h2" variant="headingSm">
          {t("discounts.form.rewardSection")}
        </Text>
        <FormLayout.Group>
          <Select
            label={t("discounts.form.rewardTargetLabel")}
            options={[
              { label: t("discounts.form.targetProduct"), value: "product" },
              { label: t("discounts.form.targetOrder"), value: "order" },
              { label: t("discounts.form.targetShipping"), value: "shipping" },
            ]}
            value={values.rewardTarget}
            onChange={changeTarget}
            error={errors.rewardTarget}
          />
          <Select
            label={t("discounts.form.rewardKindLabel")}
            options={kinds}
            value={values.rewardKind}
            onChange={set("rewardKind")}
            error={errors.rewardKind}
          />
          {values.rewardKind !== "free" ? (
            <TextField
              label={t("discounts.form.rewardValueLabel")}
              type="text"
              inputMode="decimal"
              suffix={values.rewardKind === "percentage" ? "%" : currency}
              value={values.rewardValue}
              onChange={set("rewardValue")}
              error={errors.rewardValue}
              autoComplete="off"
            />
          ) : null}
        </FormLayout.Group>
        {values.rewardTarget === "product" && values.rewardKind === "fixedAmount" ? (
          <Checkbox
            label={t("discounts.form.appliesToEachItem")}
            checked={values.appliesToEachItem}
            onChange={set("appliesToEachItem")}
          />
        ) : null}
        <TextField
          label={t("discounts.form.minimumSubtotalLabel")}
          helpText={t("discounts.form.minimumSubtotalHelp", { currency })}
          type="text"
          inputMode="decimal"
          value={values.minimumSubtotal}
          onChange={set("minimumSubtotal")}
          error={errors.minimumSubtotal}
          autoComplete="off"
        />
        <TextField
          label={t("discounts.form.messageLabel")}
          placeholder={t("discounts.form.messagePlaceholder")}
          value={values.message}
          onChange={set("message")}
          error={errors.message}
          autoComplete="off"
        />
      </FormLayout>
    </Card>
  );
}

/** Combinations, hold-out share and dates. */
function TermsCards({
  values,
  set,
  errors,
  timeZone,
}: {
  values: DiscountFormValues;
  set: <K extends keyof DiscountFormValues>(field: K) => (value: DiscountFormValues[K]) => void;
  errors: FieldErrors;
  timeZone: string;
}) {
  return (
    <>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            {t("discounts.form.combinesSection")}
          </Text>
          <Checkbox
            label={t("discounts.form.combinesProduct")}
            checked={values.combinesWithProduct}
            onChange={set("combinesWithProduct")}
          />
          <Checkbox
            label={t("discounts.form.combinesOrder")}
            checked={values.combinesWithOrder}
            onChange={set("combinesWithOrder")}
          />
          <Checkbox
            label={t("discounts.form.combinesShipping")}
            checked={values.combinesWithShipping}
            onChange={set("combinesWithShipping")}
          />
        </BlockStack>
      </Card>
      <Card>
        <TextField
          label={t("discounts.form.holdoutLabel")}
          helpText={t("discounts.form.holdoutHelp")}
          type="number"
          min={0}
          max={50}
          suffix="%"
          value={values.holdoutPercentage}
          onChange={set("holdoutPercentage")}
          error={errors.holdoutPercentage}
          autoComplete="off"
        />
      </Card>
      <Card>
        <FormLayout>
          <Text as="h2" variant="headingSm">
            {t("discounts.form.datesSection")}
          </Text>
          <FormLayout.Group>
            <TextField
              label={t("discounts.form.startDateLabel")}
              type="date"
              value={values.startDate}
              onChange={set("startDate")}
              error={errors.startDate}
              autoComplete="off"
            />
            <TextField
              label={t("discounts.form.endDateLabel")}
              type="date"
              value={values.endDate}
              onChange={set("endDate")}
              error={errors.endDate}
              autoComplete="off"
            />
          </FormLayout.Group>
          <Text as="p" tone="subdued">
            {t("discounts.form.datesHelp", { timeZone: timeZone })}
          </Text>
        </FormLayout>
      </Card>
    </>
  );
}

/**
 * The segments as one group of checkboxes per family, side by side: a list of
 * some sixty checkboxes in one column was a long scroll. Each group is a
 * fieldset whose legend names the family, so "At risk" under RFM and under
 * Loyalty stay distinct for screen readers too.
 */
function SegmentPicker({
  segments,
  selected,
  onChange,
  error,
}: {
  segments: DiscountFormPage["segments"];
  selected: string[];
  onChange: (selected: string[]) => void;
  error?: string;
}) {
  const groups = new Map<string, DiscountFormPage["segments"]>();
  for (const segment of segments) groups.set(segment.group, [...(groups.get(segment.group) ?? []), segment]);
  return (
    <BlockStack gap="200">
      <Text as="h2" variant="headingMd">
        {t("discounts.form.segmentsLabel")}
      </Text>
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="400">
        {[...groups].map(([group, members]) => {
          const keys = new Set(members.map((m) => m.key));
          return (
            <ChoiceList
              key={group}
              allowMultiple
              title={group}
              choices={members.map((m) => ({ label: m.title, value: m.key }))}
              selected={selected.filter((key) => keys.has(key))}
              onChange={(chosen) => onChange([...selected.filter((key) => !keys.has(key)), ...chosen])}
            />
          );
        })}
      </InlineGrid>
      {error ? <InlineError message={error} fieldID="segments" /> : null}
    </BlockStack>
  );
}
