import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { memo, useCallback, useEffect, useMemo, useState } from "react";
import { hasMessage, t, type MessageKey } from "../../i18n";
import type { DryRunAnswer, SaveAnswer, SettingsPage } from "../../settings/settings-page.server";
import { insightsSettingsOf } from "../../insights/core/settings";
import { DEFAULT_RETENTION, RETENTION_BOUNDS } from "../../settings/retention";
import {
  INSIGHTS_BOUNDS,
  THRESHOLD_FAMILIES,
  THRESHOLD_FIELDS,
  type InsightsFormValues,
  type RetentionFormValues,
  validateSettingsForm,
  type SettingsFormErrors,
  type SettingsFormValues,
  type ThresholdField,
  type WindowValues,
} from "../../settings/settings-form";
import { AdminTitleBar, FormSaveBar, useNotice } from "../admin-frame";
import { SimpleTable } from "../simple-table";

type ActionAnswer = DryRunAnswer | (SaveAnswer & { saved?: true });

function familyTitle(family: string): string {
  const key = `families.${family}`;
  return hasMessage(key) ? t(key) : family;
}

function fieldLabel(path: string): string {
  const key = `settings.fields.${path}`;
  return hasMessage(key) ? t(key as MessageKey) : path;
}

function formData(intent: "dry-run" | "save", values: SettingsFormValues): FormData {
  const form = new FormData();
  form.set("intent", intent);
  form.set("values", JSON.stringify(values));
  return form;
}

/**
 * The settings form. "Review changes" validates in the browser (the same
 * validation the server runs again), then asks the server for a dry run:
 * per tag, how many customers would gain and lose it, and some of them.
 * Only from the dry run can the settings be saved, which stores them and
 * schedules a recompute.
 */
export function SettingsForm({ page, embedded }: { page: SettingsPage; embedded: boolean }) {
  const fetcher = useFetcher<ActionAnswer>();
  const [baseline, setBaseline] = useState(page.values);
  const [values, setValues] = useState<SettingsFormValues>(page.values);
  const [clientErrors, setClientErrors] = useState<SettingsFormErrors | null>(null);
  const [reviewed, setReviewed] = useState<string | null>(null);
  const [notify, banner] = useNotice(embedded);
  const valuesJson = JSON.stringify(values);
  const dirty = valuesJson !== JSON.stringify(baseline);
  const answer = fetcher.data;
  const busy = fetcher.state !== "idle";
  const serverErrors = answer && !answer.ok && reviewed === valuesJson ? answer.errors : null;
  const errors: SettingsFormErrors = clientErrors ?? serverErrors ?? NO_ERRORS;
  const dryRun = answer && answer.ok && "dryRun" in answer && reviewed === valuesJson ? answer : null;

  useEffect(() => {
    if (fetcher.state === "idle" && answer && answer.ok && "saved" in answer) {
      setBaseline(JSON.parse(reviewed ?? valuesJson));
      setReviewed(null);
      notify(answer.next === "writeback" ? t("settings.savedTags") : t("settings.saved"));
    }
    // Only when a save comes back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer, fetcher.state]);

  // Stable, with the sections memoized on their own slices of the values: a keypress re-renders the section typed
  // in, not the whole form (the segment checkboxes alone are a hundred controls; INP, ADR 039).
  const set = useCallback((patch: Partial<SettingsFormValues>) => {
    setClientErrors(null);
    setValues((v) => ({ ...v, ...patch }));
  }, []);
  const setThreshold = useCallback((path: string, text: string) => {
    setClientErrors(null);
    setValues((v) => ({ ...v, thresholds: { ...v.thresholds, [path]: text } }));
  }, []);
  const review = () => {
    const checked = validateSettingsForm(values, page.stored, page.shop);
    if (!checked.ok) {
      setClientErrors(checked.errors);
      return;
    }
    setClientErrors(null);
    setReviewed(valuesJson);
    fetcher.submit(formData("dry-run", values), { method: "post" });
  };
  const save = () => fetcher.submit(formData("save", values), { method: "post" });
  const discard = () => {
    setValues(baseline);
    setClientErrors(null);
    setReviewed(null);
  };

  return (
    <Page title={t("settings.title")} backAction={{ content: t("nav.overview"), url: "/app" }}>
      <AdminTitleBar embedded={embedded} title={t("settings.title")} />
      {banner}
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          {t("settings.intro")}
        </Text>
        <FormSaveBar
          id="settings-save-bar"
          embedded={embedded}
          dirty={dirty}
          saving={busy}
          onSave={review}
          onDiscard={discard}
          saveLabel={t("settings.dryRun.run")}
        />
        {errors.form ? (
          <Banner tone="critical">
            <p>{errors.form}</p>
          </Banner>
        ) : null}
        {dryRun ? <DryRunCard answer={dryRun} busy={busy} onSave={save} /> : null}
        <Layout>
          <Layout.AnnotatedSection title={t("settings.tags.title")}>
            <Card>
              <FormLayout>
                <TextField
                  label={t("settings.tags.prefix")}
                  value={values.tagPrefix}
                  onChange={(tagPrefix) => set({ tagPrefix })}
                  error={errors.tagPrefix}
                  helpText={t("settings.tags.prefixHelp")}
                  autoComplete="off"
                />
                <Checkbox
                  label={t("settings.tags.metafields")}
                  checked={values.metafields}
                  onChange={(metafields) => set({ metafields })}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>

          <SegmentsSection
            segments={page.segments}
            disabledSegments={values.disabledSegments}
            mirrors={values.mirrors}
            error={errors.segments}
            set={set}
          />

          <ThresholdsSection
            hemisphere={values.hemisphere}
            thresholds={values.thresholds}
            errors={errors}
            set={set}
            setThreshold={setThreshold}
          />

          <CalendarSection windows={values.windows} errors={errors} set={set} />

          <Layout.AnnotatedSection title={t("settings.schedule.title")}>
            <Card>
              <TextField
                label={t("settings.schedule.hour")}
                type="number"
                min={0}
                max={23}
                value={values.nightlyHour}
                onChange={(nightlyHour) => set({ nightlyHour })}
                error={errors.nightlyHour}
                autoComplete="off"
              />
            </Card>
          </Layout.AnnotatedSection>

          <InsightsSection insights={values.insights} errors={errors} set={set} />

          <RetentionSection retention={values.retention} errors={errors} set={set} />
        </Layout>
      </BlockStack>
    </Page>
  );
}

const NO_ERRORS: SettingsFormErrors = {};

/** `set` with `item` added, or removed when it was there. */
function toggled(set: ReadonlySet<string>, item: string): ReadonlySet<string> {
  const next = new Set(set);
  if (next.has(item)) next.delete(item);
  else next.add(item);
  return next;
}

type SetValues = (patch: Partial<SettingsFormValues>) => void;

const SegmentsSection = memo(function SegmentsSection({
  segments: all,
  disabledSegments,
  mirrors,
  error,
  set,
}: {
  segments: SettingsPage["segments"];
  disabledSegments: string[];
  mirrors: string[];
  error: string | undefined;
  set: SetValues;
}) {
  const families = useMemo(() => {
    const byFamily = new Map<string, SettingsPage["segments"]>();
    for (const s of all) byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), s]);
    return [...byFamily];
  }, [all]);

  // Families whose segment list is shown (each list is one click away; all closed when the page opens).
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const lists = { disabledSegments, mirrors };
  const toggle = (list: "disabledSegments" | "mirrors", keys: string[], on: boolean) => {
    const current = new Set(lists[list]);
    for (const key of keys) {
      if (on) current.add(key);
      else current.delete(key);
    }
    set({ [list]: [...current].sort() } as Partial<SettingsFormValues>);
  };

  return (
    <Layout.AnnotatedSection title={t("settings.segments.title")} description={t("settings.segments.help")}>
      <Card>
        <BlockStack gap="400">
          {error ? <InlineError message={error} fieldID="segments" /> : null}
          {families.map(([family, segments], index) => {
            const keys = segments.map((s) => s.key);
            const on = keys.some((k) => !disabledSegments.includes(k));
            const listId = `settings-segments-${family}`;
            const isOpen = open.has(family);
            return (
              <BlockStack gap="200" key={family}>
                {index > 0 ? <Divider /> : null}
                <Checkbox
                  label={t("settings.segments.familyOn", { family: familyTitle(family) })}
                  checked={on}
                  onChange={(checked) => toggle("disabledSegments", keys, !checked)}
                />
                <Box paddingInlineStart="600">
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" tone="subdued">
                        {t("settings.segments.summary", {
                          tagged: keys.filter((k) => !disabledSegments.includes(k)).length,
                          total: keys.length,
                          mirrored: keys.filter((k) => mirrors.includes(k)).length,
                        })}
                      </Text>
                      <Button
                        variant="plain"
                        disclosure={isOpen ? "up" : "down"}
                        ariaExpanded={isOpen}
                        ariaControls={listId}
                        accessibilityLabel={t(isOpen ? "settings.segments.hideLabel" : "settings.segments.showLabel", {
                          family: familyTitle(family),
                        })}
                        onClick={() => setOpen((current) => toggled(current, family))}
                      >
                        {t(isOpen ? "settings.segments.hide" : "settings.segments.show")}
                      </Button>
                    </InlineStack>
                    {/* A closed list is not rendered: the two checkboxes per segment were half of the page's markup (120 KB). */}
                    <div id={listId}>
                      {isOpen ? (
                        <BlockStack gap="100">
                          {segments.map((s) => (
                            <InlineStack key={s.key} gap="400">
                              <Checkbox
                                label={t("settings.segments.on", { title: s.title })}
                                checked={!disabledSegments.includes(s.key)}
                                onChange={(checked) => toggle("disabledSegments", [s.key], !checked)}
                              />
                              <Checkbox
                                label={t("settings.segments.mirror", { title: s.title })}
                                checked={mirrors.includes(s.key)}
                                onChange={(checked) => toggle("mirrors", [s.key], checked)}
                              />
                            </InlineStack>
                          ))}
                        </BlockStack>
                      ) : null}
                    </div>
                  </BlockStack>
                </Box>
              </BlockStack>
            );
          })}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
});

const ThresholdsSection = memo(function ThresholdsSection({
  hemisphere,
  thresholds,
  errors,
  set,
  setThreshold,
}: {
  hemisphere: SettingsFormValues["hemisphere"];
  thresholds: SettingsFormValues["thresholds"];
  errors: SettingsFormErrors;
  set: SetValues;
  setThreshold: (path: string, text: string) => void;
}) {
  return (
    <Layout.AnnotatedSection title={t("settings.thresholds.title")}>
      <BlockStack gap="400">
        <Card>
          <Select
            label={t("settings.thresholds.hemisphere")}
            options={["north", "south"]}
            value={hemisphere}
            onChange={(hemisphere) => set({ hemisphere: hemisphere as "north" | "south" })}
            error={errors.hemisphere}
          />
        </Card>
        {THRESHOLD_FAMILIES.map(({ family, key }) => (
          <Card key={family}>
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">
                {familyTitle(family)}
              </Text>
              {errors[`family.${family}`] ? (
                <InlineError message={errors[`family.${family}`]} fieldID={`family-${family}`} />
              ) : null}
              <FormLayout>
                {THRESHOLD_FIELDS.filter((f) => f.path.startsWith(`${key}.`)).map((f) => (
                  <ThresholdInput
                    key={f.path}
                    field={f}
                    value={thresholds[f.path] ?? f.defaultText}
                    error={errors[`thresholds.${f.path}`]}
                    onChange={setThreshold}
                  />
                ))}
              </FormLayout>
            </BlockStack>
          </Card>
        ))}
      </BlockStack>
    </Layout.AnnotatedSection>
  );
});

const CalendarSection = memo(function CalendarSection({
  windows,
  errors,
  set,
}: {
  windows: WindowValues[];
  errors: SettingsFormErrors;
  set: SetValues;
}) {
  const setWindow = (index: number, patch: Partial<WindowValues>) =>
    set({ windows: windows.map((w, i) => (i === index ? { ...w, ...patch } : w)) });

  return (
    <Layout.AnnotatedSection title={t("settings.calendar.title")} description={t("settings.calendar.help")}>
      <Card>
        <BlockStack gap="400">
          {windows.map((w, i) => (
            <BlockStack gap="200" key={i}>
              <Text as="h3" variant="headingSm">
                {t("settings.calendar.window", { n: i + 1 })}
              </Text>
              <FormLayout>
                <FormLayout.Group condensed>
                  <TextField
                    label={t("settings.calendar.titleLabel")}
                    value={w.title}
                    onChange={(title) => setWindow(i, { title })}
                    error={errors[`windows.${i}.title`]}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.calendar.handle")}
                    value={w.handle}
                    onChange={(handle) => setWindow(i, { handle })}
                    error={errors[`windows.${i}.handle`]}
                    autoComplete="off"
                  />
                </FormLayout.Group>
                <FormLayout.Group condensed>
                  <Select
                    label={t("settings.calendar.kind")}
                    options={[
                      { label: t("settings.calendar.yearly"), value: "yearly" },
                      { label: t("settings.calendar.dates"), value: "dates" },
                    ]}
                    value={w.kind}
                    onChange={(kind) => setWindow(i, { kind: kind as WindowValues["kind"] })}
                  />
                  <TextField
                    label={t("settings.calendar.start")}
                    value={w.start}
                    placeholder={w.kind === "yearly" ? "MM-DD" : "YYYY-MM-DD"}
                    onChange={(start) => setWindow(i, { start })}
                    error={errors[`windows.${i}.start`]}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.calendar.end")}
                    value={w.end}
                    placeholder={w.kind === "yearly" ? "MM-DD" : "YYYY-MM-DD"}
                    onChange={(end) => setWindow(i, { end })}
                    error={errors[`windows.${i}.end`]}
                    autoComplete="off"
                  />
                </FormLayout.Group>
              </FormLayout>
              <InlineStack>
                <Button
                  variant="plain"
                  tone="critical"
                  onClick={() => set({ windows: windows.filter((_, j) => j !== i) })}
                >
                  {t("settings.calendar.remove")}
                </Button>
              </InlineStack>
            </BlockStack>
          ))}
          <InlineStack>
            <Button
              onClick={() =>
                set({
                  windows: [...windows, { handle: "", title: "", kind: "yearly", start: "", end: "" }],
                })
              }
            >
              {t("settings.calendar.add")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
});

const INSIGHTS_DEFAULTS = insightsSettingsOf({});

const InsightsSection = memo(function InsightsSection({
  insights,
  errors,
  set,
}: {
  insights: InsightsFormValues;
  errors: SettingsFormErrors;
  set: SetValues;
}) {
  const setField = (patch: Partial<InsightsFormValues>) => set({ insights: { ...insights, ...patch } });
  return (
    <Layout.AnnotatedSection title={t("settings.insights.title")} description={t("settings.insights.description")}>
      <Card>
        <FormLayout>
          <TextField
            label={t("settings.insights.retentionDays")}
            type="number"
            min={INSIGHTS_BOUNDS.retentionDays.min}
            max={INSIGHTS_BOUNDS.retentionDays.max}
            value={insights.retentionDays}
            onChange={(retentionDays) => setField({ retentionDays })}
            error={errors["insights.retentionDays"]}
            helpText={t("settings.insights.retentionHelp", { default: INSIGHTS_DEFAULTS.retentionDays })}
            autoComplete="off"
          />
          <TextField
            label={t("settings.insights.alertThreshold")}
            type="number"
            min={INSIGHTS_BOUNDS.alertThresholdPercent.min}
            max={INSIGHTS_BOUNDS.alertThresholdPercent.max}
            suffix="%"
            value={insights.alertThresholdPercent}
            onChange={(alertThresholdPercent) => setField({ alertThresholdPercent })}
            error={errors["insights.alertThresholdPercent"]}
            helpText={t("settings.insights.alertThresholdHelp", { default: INSIGHTS_DEFAULTS.alertThreshold * 100 })}
            autoComplete="off"
          />
          <TextField
            label={t("settings.insights.alertMinSize")}
            type="number"
            min={INSIGHTS_BOUNDS.alertMinSize.min}
            max={INSIGHTS_BOUNDS.alertMinSize.max}
            value={insights.alertMinSize}
            onChange={(alertMinSize) => setField({ alertMinSize })}
            error={errors["insights.alertMinSize"]}
            helpText={t("settings.insights.alertMinSizeHelp", { default: INSIGHTS_DEFAULTS.alertMinSize })}
            autoComplete="off"
          />
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
});

const RetentionSection = memo(function RetentionSection({
  retention,
  errors,
  set,
}: {
  retention: RetentionFormValues;
  errors: SettingsFormErrors;
  set: SetValues;
}) {
  const setField = (patch: Partial<RetentionFormValues>) => set({ retention: { ...retention, ...patch } });
  const field = (name: keyof RetentionFormValues, label: string, help: string) => (
    <TextField
      label={label}
      type="number"
      min={RETENTION_BOUNDS[name].min}
      max={RETENTION_BOUNDS[name].max}
      value={retention[name]}
      onChange={(text) => setField({ [name]: text })}
      error={errors[`retention.${name}`]}
      helpText={help}
      autoComplete="off"
    />
  );
  return (
    <Layout.AnnotatedSection title={t("settings.retention.title")} description={t("settings.retention.body")}>
      <Card>
        <FormLayout>
          {field(
            "historyDays",
            t("settings.retention.historyDays"),
            t("settings.retention.historyHelp", { default: DEFAULT_RETENTION.historyDays }),
          )}
          {field(
            "activityDays",
            t("settings.retention.activityDays"),
            t("settings.retention.activityHelp", { default: DEFAULT_RETENTION.activityDays }),
          )}
          {field(
            "complianceDays",
            t("settings.retention.complianceDays"),
            t("settings.retention.complianceHelp", { default: DEFAULT_RETENTION.complianceDays }),
          )}
        </FormLayout>
      </Card>
    </Layout.AnnotatedSection>
  );
});

/** One threshold's input; memoized, so typing in one re-renders that one only. */
const ThresholdInput = memo(function ThresholdInput({
  field,
  value,
  error,
  onChange: setThreshold,
}: {
  field: ThresholdField;
  value: string;
  error?: string;
  onChange: (path: string, text: string) => void;
}) {
  const onChange = (text: string) => setThreshold(field.path, text);
  const label = fieldLabel(field.path);
  const helpText = t("settings.thresholds.default", { value: field.defaultText });
  if (field.kind === "boolean") {
    return (
      <Checkbox
        label={label}
        checked={value === "true"}
        onChange={(checked) => onChange(String(checked))}
        helpText={helpText}
        error={error}
      />
    );
  }
  if (field.kind === "enum") {
    return (
      <Select
        label={label}
        options={field.options ?? []}
        value={value}
        onChange={onChange}
        error={error}
        helpText={helpText}
      />
    );
  }
  return (
    <TextField
      label={label}
      type={field.kind === "number" ? "number" : "text"}
      value={value}
      onChange={onChange}
      error={error}
      helpText={helpText}
      autoComplete="off"
    />
  );
});

function DryRunCard({
  answer,
  busy,
  onSave,
}: {
  answer: Extract<DryRunAnswer, { ok: true }>;
  busy: boolean;
  onSave: () => void;
}) {
  const d = answer.dryRun;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd" id="dry-run-title">
          {t("settings.dryRun.title")}
        </Text>
        <Text as="p" id="dry-run-summary">
          {t("settings.dryRun.summary", {
            changed: d.customersChanged.toLocaleString("en"),
            customers: d.customers.toLocaleString("en"),
          })}{" "}
          {d.recomputed ? t("settings.dryRun.recomputed") : t("settings.dryRun.stored")}
        </Text>
        {d.customersCapped ? (
          <Banner tone="warning">
            <p>{t("settings.dryRun.capped", { count: d.customersCapped })}</p>
          </Banner>
        ) : null}
        {answer.partialTagCheck ? (
          <Banner tone="info">
            <p>{t("settings.dryRun.partial")}</p>
          </Banner>
        ) : null}
        {d.tags.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("settings.dryRun.none")}
          </Text>
        ) : (
          <SimpleTable
            caption={t("settings.dryRun.title")}
            headings={[
              t("settings.dryRun.tag"),
              t("settings.dryRun.gain"),
              t("settings.dryRun.lose"),
              t("settings.dryRun.who"),
            ]}
            numeric={[1, 2]}
            rows={d.tags.map((tag) => [
              tag.tag,
              tag.gain.toLocaleString("en"),
              tag.lose.toLocaleString("en"),
              [...tag.sample.gain.map((id) => `+${id}`), ...tag.sample.lose.map((id) => `−${id}`)].join(", "),
            ])}
          />
        )}
        <InlineStack align="end">
          <Button variant="primary" onClick={onSave} loading={busy}>
            {d.onSave === "recompute" ? t("settings.dryRun.confirm") : t("settings.dryRun.confirmTags")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
