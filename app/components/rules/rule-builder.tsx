import { useFetcher, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineError,
  InlineStack,
  Layout,
  Page,
  Select,
  SkeletonBodyText,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { t, type MessageKey } from "../../i18n";
import type { PreviewResult, RuleFormPage } from "../../settings/custom-segments.server";
import {
  featureInput,
  FEATURE_INPUTS,
  newCondition,
  newGroup,
  validateRuleForm,
  type ConditionNode,
  type GroupNode,
  type RuleFormErrors,
  type RuleFormValues,
  type RuleNode,
  type RuleOp,
} from "../../settings/rule-form";
import { AdminTitleBar, FormSaveBar } from "../admin-frame";
import { SimpleTable } from "../simple-table";

const MAX_GROUP_DEPTH = 4;
const PREVIEW_DEBOUNCE_MS = 400;

const FEATURE_OPTIONS = FEATURE_INPUTS.map((f) => ({ label: `${f.description} (${f.name})`, value: f.name }));

function formDataOf(values: RuleFormValues): FormData {
  const form = new FormData();
  form.set("handle", values.handle);
  form.set("title", values.title);
  form.set("description", values.description);
  form.set("tree", JSON.stringify(values.root));
  return form;
}

/** Replaces the node with `id` anywhere in the tree (or removes it when `next` is null). */
function replaceNode(group: GroupNode, id: string, next: RuleNode | null): GroupNode {
  const children: RuleNode[] = [];
  for (const child of group.children) {
    if (child.id === id) {
      if (next) children.push(next);
    } else if (child.kind === "group") {
      children.push(replaceNode(child, id, next));
    } else {
      children.push(child);
    }
  }
  return { ...group, children };
}

/**
 * The custom segment builder: AND/OR groups (each may be negated) of
 * conditions over the engine's features, each with the input its type needs
 * (money in the shop's currency, days, a choice, a date, a number). As the
 * rule changes, a debounced request to /app/rules/preview counts the matching
 * customers and shows a sample with the reason. Errors show next to their
 * field, from the same validation the server runs again when saving.
 */
export function RuleBuilder({
  page,
  embedded,
  serverErrors,
}: {
  page: RuleFormPage;
  embedded: boolean;
  serverErrors?: RuleFormErrors;
}) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const preview = useFetcher<PreviewResult>();
  const [values, setValues] = useState<RuleFormValues>(page.values);
  const [submitted, setSubmitted] = useState(false);
  const initial = useMemo(() => JSON.stringify(page.values), [page.values]);
  const dirty = JSON.stringify(values) !== initial;
  const saving = navigation.state === "submitting";

  const checked = useMemo(() => validateRuleForm(values, page.decimals), [values, page.decimals]);
  // Rule errors show as soon as a field is filled in; identity errors after a save attempt.
  const errors: RuleFormErrors = {
    ...(serverErrors ?? {}),
    ...Object.fromEntries(
      Object.entries(checked.errors).filter(([key]) => submitted || !["handle", "title", "description"].includes(key)),
    ),
  };

  // Debounced live preview of the rule as it stands, unless the browser already finds the rule invalid.
  const [treeJson, ruleInvalid] = [JSON.stringify(values.root), hasRuleErrors(checked.errors)];
  const submitPreview = preview.submit;
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    clearTimeout(timer.current);
    if (ruleInvalid) return;
    timer.current = setTimeout(() => {
      const form = new FormData();
      form.set("tree", treeJson);
      submitPreview(form, { method: "post", action: "/app/rules/preview" });
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer.current);
  }, [treeJson, ruleInvalid, submitPreview]);

  const set = (patch: Partial<RuleFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const update = (node: RuleNode) =>
    setValues((v) => ({
      ...v,
      root: node.id === v.root.id ? (node as GroupNode) : replaceNode(v.root, node.id, node),
    }));
  const remove = (id: string) => setValues((v) => ({ ...v, root: replaceNode(v.root, id, null) }));

  const save = () => {
    setSubmitted(true);
    if (Object.keys(checked.errors).length) return;
    submit(formDataOf(values), { method: "post" });
  };
  const discard = () => {
    setValues(page.values);
    setSubmitted(false);
  };
  const title = page.editing ? t("rules.editTitle") : t("rules.newTitle");

  return (
    <Page
      title={title}
      backAction={{ content: t("rules.title"), url: "/app/rules" }}
      primaryAction={{ content: t("common.save"), onAction: save, loading: saving }}
      secondaryActions={
        page.editing
          ? [
              {
                content: t("common.delete"),
                destructive: true,
                onAction: () => {
                  if (!window.confirm(t("rules.deleteConfirm", { title: page.values.title }))) return;
                  const form = new FormData();
                  form.set("intent", "delete");
                  submit(form, { method: "post" });
                },
              },
            ]
          : []
      }
    >
      <AdminTitleBar embedded={embedded} title={title} />
      <BlockStack gap="400">
        <FormSaveBar
          id="rule-save-bar"
          embedded={embedded}
          dirty={dirty}
          saving={saving}
          onSave={save}
          onDiscard={discard}
        />
        {errors.form ? (
          <Banner tone="critical">
            <p>{errors.form}</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    {t("rules.form.identity")}
                  </Text>
                  <TextField
                    label={t("rules.form.titleLabel")}
                    value={values.title}
                    onChange={(title) => set({ title })}
                    error={errors.title}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("rules.form.handle")}
                    value={values.handle}
                    onChange={(handle) => set({ handle })}
                    error={errors.handle}
                    helpText={t("rules.form.handleHelp")}
                    disabled={page.editing}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("rules.form.description")}
                    value={values.description}
                    onChange={(description) => set({ description })}
                    error={errors.description}
                    multiline={2}
                    autoComplete="off"
                  />
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("rules.form.rule")}
                  </Text>
                  <GroupEditor
                    group={values.root}
                    depth={0}
                    errors={errors}
                    page={page}
                    onChange={update}
                    onRemove={remove}
                  />
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <PreviewCard state={preview.state} data={ruleInvalid ? INVALID : preview.data} />
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

const INVALID: PreviewResult = { ok: false, errors: {} };

/**
 * Errors in the rule itself (not its name, handle or description): such a rule (a new rule's empty value) is not sent
 * for a preview, which the server would refuse with a 400; the preview card says the rule is incomplete.
 */
function hasRuleErrors(errors: RuleFormErrors): boolean {
  return Object.keys(errors).some((key) => !["handle", "title", "description"].includes(key));
}

function PreviewCard({ state, data }: { state: string; data: PreviewResult | undefined }) {
  let body;
  if (!data) {
    body = <SkeletonBodyText lines={4} />;
  } else if (!data.ok) {
    body = (
      <Text as="p" tone="subdued">
        {/* The worker did not answer (ADR 052): its message, not "the rule is incomplete". */}
        {data.unavailable ? data.errors.form : t("rules.preview.invalid")}
      </Text>
    );
  } else {
    body = (
      <BlockStack gap="300">
        <Text as="p" variant="headingLg" id="rule-preview-count">
          {t("rules.preview.count", {
            count: data.count.toLocaleString("en"),
            customers: data.customers.toLocaleString("en"),
          })}
        </Text>
        {data.sample.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("rules.preview.none")}
          </Text>
        ) : (
          <SimpleTable
            caption={t("rules.preview.sample")}
            headings={[t("rules.preview.customer"), t("rules.preview.reason")]}
            rows={data.sample.map((s) => [s.customerId, s.reason])}
          />
        )}
      </BlockStack>
    );
  }
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {t("rules.preview.title")}
          </Text>
          {state !== "idle" ? (
            <Text as="span" tone="subdued" variant="bodySm">
              {t("rules.preview.computing")}
            </Text>
          ) : null}
        </InlineStack>
        <div aria-live="polite">{body}</div>
      </BlockStack>
    </Card>
  );
}

interface EditorProps {
  depth: number;
  errors: RuleFormErrors;
  page: RuleFormPage;
  onChange: (node: RuleNode) => void;
  onRemove: (id: string) => void;
}

function GroupEditor({ group, ...props }: EditorProps & { group: GroupNode }) {
  const { depth, errors, onChange, onRemove } = props;
  const label = depth === 0 ? t("rules.form.rule") : `${t("rules.form.group")} ${depth}`;
  const body = (
    <BlockStack gap="300">
      <InlineStack gap="400" blockAlign="end" wrap>
        <Select
          label={`${t("rules.form.match")} (${label})`}
          options={[
            { label: t("rules.form.all"), value: "all" },
            { label: t("rules.form.any"), value: "any" },
          ]}
          value={group.mode}
          onChange={(mode) => onChange({ ...group, mode: mode as "all" | "any" })}
        />
        <Checkbox
          label={t("rules.form.not")}
          checked={group.negate}
          onChange={(negate) => onChange({ ...group, negate })}
        />
        {depth > 0 ? (
          <Button variant="plain" tone="critical" onClick={() => onRemove(group.id)}>
            {t("rules.form.removeGroup")}
          </Button>
        ) : null}
      </InlineStack>
      {group.children.map((child) =>
        child.kind === "group" ? (
          <GroupEditor key={child.id} {...props} depth={depth + 1} group={child} />
        ) : (
          <ConditionEditor key={child.id} {...props} condition={child} />
        ),
      )}
      {errors[`${group.id}.children`] ? (
        <InlineError message={errors[`${group.id}.children`]} fieldID={group.id} />
      ) : null}
      <InlineStack gap="200">
        <Button onClick={() => onChange({ ...group, children: [...group.children, newCondition()] })}>
          {t("rules.form.addCondition")}
        </Button>
        {depth < MAX_GROUP_DEPTH ? (
          <Button onClick={() => onChange({ ...group, children: [...group.children, newGroup("any")] })}>
            {t("rules.form.addGroup")}
          </Button>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
  if (depth === 0) return <div id={group.id}>{body}</div>;
  return (
    <div id={group.id}>
      <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200" background="bg-surface-secondary">
        {body}
      </Box>
    </div>
  );
}

function ConditionEditor({ condition, errors, page, onChange, onRemove }: EditorProps & { condition: ConditionNode }) {
  const input = featureInput(condition.feature);
  const id = condition.id;
  const ops = input?.ops ?? [];
  const opOptions = ops.map((op) => ({ label: t(`rules.ops.${op}` as MessageKey), value: op }));
  const change = (patch: Partial<ConditionNode>) => onChange({ ...condition, ...patch });
  const setFeature = (feature: string) => {
    const next = featureInput(feature);
    const op = next && next.ops.includes(condition.op) ? condition.op : (next?.ops[0] ?? "eq");
    change({ feature, op, value: "", value2: "", values: [] });
  };
  const valueField = (field: "value" | "value2", label: string) => {
    const error = errors[`${id}.${field}`];
    const value = condition[field];
    const onValue = (v: string) => change({ [field]: v });
    if (!input) return null;
    if (input.kind === "enum") {
      return (
        <Select
          label={label}
          options={[{ label: "—", value: "" }, ...(input.options ?? [])]}
          value={value}
          onChange={onValue}
          error={error}
        />
      );
    }
    const common = { label, value, onChange: onValue, error, autoComplete: "off" as const };
    if (input.kind === "money") return <TextField {...common} type="text" inputMode="decimal" prefix={page.currency} />;
    if (input.kind === "days") return <TextField {...common} type="number" min={0} suffix={t("rules.form.days")} />;
    if (input.kind === "date") return <TextField {...common} type="date" />;
    if (input.kind === "text") return <TextField {...common} type="text" />;
    return <TextField {...common} type="number" step={0.01} />;
  };

  let values = null;
  if (condition.op === "exists" || condition.op === "missing") {
    values = null;
  } else if (condition.op === "between") {
    values = (
      <>
        {valueField("value", t("rules.form.value"))}
        {valueField("value2", t("rules.form.value2"))}
      </>
    );
  } else if (condition.op === "in" || condition.op === "not_in") {
    values =
      input?.kind === "enum" ? (
        <ChoiceList
          title={t("rules.form.values")}
          allowMultiple
          choices={input.options ?? []}
          selected={condition.values}
          onChange={(selected) => change({ values: selected })}
          error={errors[`${id}.value`]}
        />
      ) : (
        <TextField
          label={t("rules.form.values")}
          helpText={t("rules.form.valuesHelp")}
          value={condition.value}
          onChange={(value) => change({ value })}
          error={errors[`${id}.value`]}
          autoComplete="off"
        />
      );
  } else {
    values = valueField("value", t("rules.form.value"));
  }

  return (
    <div id={id} data-testid="rule-condition">
      <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
        <FormLayout>
          <FormLayout.Group condensed>
            <Select
              label={t("rules.form.feature")}
              options={
                input ? FEATURE_OPTIONS : [{ label: condition.feature, value: condition.feature }, ...FEATURE_OPTIONS]
              }
              value={condition.feature}
              onChange={setFeature}
              error={errors[`${id}.feature`]}
            />
            <Select
              label={t("rules.form.op")}
              options={opOptions}
              value={condition.op}
              onChange={(op) => change({ op: op as RuleOp })}
              error={errors[`${id}.op`]}
            />
          </FormLayout.Group>
          {values ? <FormLayout.Group condensed>{values}</FormLayout.Group> : null}
          <InlineStack gap="400" blockAlign="center">
            <Checkbox
              label={t("rules.form.notCondition")}
              checked={condition.negate}
              onChange={(negate) => change({ negate })}
            />
            <Button variant="plain" tone="critical" onClick={() => onRemove(id)}>
              {t("rules.form.remove")}
            </Button>
          </InlineStack>
        </FormLayout>
      </Box>
    </div>
  );
}
