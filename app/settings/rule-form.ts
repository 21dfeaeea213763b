// The custom segment rule builder's model, shared by the browser and the
// server: an editable tree of AND/OR groups and conditions whose values are
// what the merchant typed (strings), converted to the engine's rule JSON
// (app/segmentation/rules/schema.ts) and back. Validation is the engine's own
// (validateRuleTree); this module only adds "is this a number/date" for typed
// text and maps the engine's issue paths back to the field they belong to.
import { FEATURE_DEFINITIONS, FEATURE_NAMES, type FeatureName } from "../segmentation/rules/features";
import type { ComparisonOp, Rule } from "../segmentation/rules/schema";
import { validateRuleTree } from "../segmentation/rules/validate";
import { CHANNEL_GROUPS } from "../segmentation/segments/channels";
import { SEASONS } from "../segmentation/segments/derive";
import { handleSchema } from "../segmentation/settings-fields";
import { t } from "../i18n";

/** How a feature is entered: money in the shop's currency (stored in minor units), days, a choice, a date, ... */
export type InputKind = "number" | "money" | "days" | "enum" | "date" | "text";

export type RuleOp = ComparisonOp | "between" | "in" | "not_in" | "exists" | "missing";

export interface FeatureInput {
  name: FeatureName;
  description: string;
  kind: InputKind;
  /** For enum features: the values and their labels. */
  options?: { value: string; label: string }[];
  /** Whether the enum's values are numbers in the rule (weekday 0..6). */
  numericOptions?: boolean;
  ops: RuleOp[];
}

const NUMBER_OPS: RuleOp[] = ["gte", "gt", "lte", "lt", "eq", "ne", "between", "exists", "missing"];
const ENUM_OPS: RuleOp[] = ["eq", "ne", "in", "not_in", "exists", "missing"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const ENUMS: Partial<Record<FeatureName, { options: { value: string; label: string }[]; numeric?: boolean }>> = {
  topSeason: { options: SEASONS.map((s) => ({ value: s, label: s })) },
  acquisitionChannel: {
    options: [...CHANNEL_GROUPS, "unknown"].map((c) => ({ value: c, label: c.replace(/-/g, " ") })),
  },
  preferredWeekday: { options: WEEKDAYS.map((label, i) => ({ value: String(i), label })), numeric: true },
};

function kindOf(name: FeatureName): InputKind {
  const def = FEATURE_DEFINITIONS[name];
  if (ENUMS[name]) return "enum";
  if (def.type === "date") return "date";
  if (def.type === "string") return "text";
  if (name.endsWith("Minor")) return "money";
  if (name.endsWith("Days")) return "days";
  return "number";
}

/** Every feature a rule can use, with its input. */
export const FEATURE_INPUTS: FeatureInput[] = FEATURE_NAMES.map((name) => {
  const kind = kindOf(name);
  const e = ENUMS[name];
  return {
    name,
    // Money is entered in the shop's currency, not in minor units.
    description: FEATURE_DEFINITIONS[name].description.replace(/ \(minor units\)$/, ""),
    kind,
    ...(e ? { options: e.options, numericOptions: !!e.numeric } : {}),
    ops: kind === "enum" || kind === "text" ? ENUM_OPS : NUMBER_OPS,
  };
});

const INPUT_OF = new Map(FEATURE_INPUTS.map((f) => [f.name as string, f]));

export function featureInput(name: string): FeatureInput | undefined {
  return INPUT_OF.get(name);
}

export interface ConditionNode {
  id: string;
  kind: "condition";
  negate: boolean;
  feature: string;
  op: RuleOp;
  /** The value as typed (major units for money); for in/not_in the chosen values. */
  value: string;
  /** Upper bound of "between". */
  value2: string;
  values: string[];
}

export interface GroupNode {
  id: string;
  kind: "group";
  negate: boolean;
  mode: "all" | "any";
  children: RuleNode[];
}

export type RuleNode = ConditionNode | GroupNode;

/** Handles that are pages of the builder (/app/rules/new, /app/rules/preview). */
const RESERVED_HANDLES = ["new", "preview"];

/** What the form posts: the segment's identity and its rule tree. */
export interface RuleFormValues {
  handle: string;
  title: string;
  description: string;
  root: GroupNode;
}

/** Field errors keyed "<node id>.<field>" (field: feature, op, value, value2, children) or "handle", "title", "description", "form". */
export type RuleFormErrors = Record<string, string>;

let counter = 0;
function newNodeId(): string {
  counter += 1;
  return `n${counter}`;
}

export function newCondition(feature: FeatureName = "orders"): ConditionNode {
  return { id: newNodeId(), kind: "condition", negate: false, feature, op: "gte", value: "", value2: "", values: [] };
}

export function newGroup(mode: "all" | "any" = "all", children?: RuleNode[]): GroupNode {
  return { id: newNodeId(), kind: "group", negate: false, mode, children: children ?? [newCondition()] };
}

export function emptyRuleForm(): RuleFormValues {
  return { handle: "", title: "", description: "", root: { ...newGroup("all"), id: "root" } };
}

/** A value as the rule stores it, or null when the text is not one (with the reason). */
function parseValue(
  input: FeatureInput,
  text: string,
  decimals: number,
): { value: number | string } | { error: string } {
  const raw = text.trim();
  switch (input.kind) {
    case "text":
      return raw === "" ? { error: t("rules.errors.value") } : { value: raw };
    case "enum":
      if (raw === "") return { error: t("rules.errors.choose") };
      return { value: input.numericOptions ? Number(raw) : raw };
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? { value: raw } : { error: t("rules.errors.date") };
    case "money": {
      const pattern = decimals > 0 ? new RegExp(`^-?\\d+(\\.\\d{1,${decimals}})?$`) : /^-?\d+$/;
      if (!pattern.test(raw))
        return {
          error: decimals > 0 ? t("rules.errors.money", { decimals }) : t("rules.errors.wholeMoney"),
        };
      const [whole, fraction = ""] = raw.replace("-", "").split(".");
      const minor = Number(whole) * 10 ** decimals + Number((fraction + "0".repeat(decimals)).slice(0, decimals) || 0);
      return { value: raw.startsWith("-") ? -minor : minor };
    }
    case "days":
      return /^\d+$/.test(raw) ? { value: Number(raw) } : { error: t("rules.errors.days") };
    default: {
      const n = Number(raw);
      return raw !== "" && Number.isFinite(n) ? { value: n } : { error: t("rules.errors.number") };
    }
  }
}

/** The value as typed, from a stored one (minor units -> major for money). */
function showValue(input: FeatureInput | undefined, v: number | string, decimals: number): string {
  if (input?.kind === "money" && typeof v === "number") return (v / 10 ** decimals).toFixed(decimals);
  return String(v);
}

/**
 * The engine's rule from the tree, plus the errors of typed values that are
 * not values at all (the engine's own validation runs on the result, see
 * validateRuleForm). `paths` maps each node of the rule to its tree node.
 */
function ruleFromTree(
  root: GroupNode,
  decimals: number,
): { rule: Rule; errors: RuleFormErrors; owners: Map<string, { id: string; field?: string }> } {
  const errors: RuleFormErrors = {};
  // "<engine path>" -> tree node (and for a value, which field of it).
  const owners = new Map<string, { id: string; field?: string }>();
  const walk = (node: RuleNode, path: (string | number)[]): Rule => {
    let rule: Rule;
    const inner = node.negate ? [...path, "not"] : path;
    if (node.kind === "group") {
      owners.set(inner.join("."), { id: node.id, field: "children" });
      owners.set([...inner, node.mode].join("."), { id: node.id, field: "children" });
      const children = node.children.map((c, i) => walk(c, [...inner, node.mode, i]));
      rule = node.mode === "all" ? { all: children } : { any: children };
    } else {
      const key = inner.join(".");
      owners.set(key, { id: node.id, field: "value" });
      owners.set(`${key}.feature`, { id: node.id, field: "feature" });
      owners.set(`${key}.op`, { id: node.id, field: "op" });
      owners.set(`${key}.value`, { id: node.id, field: "value" });
      owners.set(`${key}.value.0`, { id: node.id, field: "value" });
      owners.set(`${key}.value.1`, { id: node.id, field: "value2" });
      const input = featureInput(node.feature);
      if (!input) {
        rule = { feature: node.feature, op: "exists" };
      } else if (node.op === "exists" || node.op === "missing") {
        rule = { feature: node.feature, op: node.op };
      } else if (node.op === "between") {
        const lo = parseValue(input, node.value, decimals);
        const hi = parseValue(input, node.value2, decimals);
        if ("error" in lo) errors[`${node.id}.value`] = lo.error;
        if ("error" in hi) errors[`${node.id}.value2`] = hi.error;
        rule = {
          feature: node.feature,
          op: "between",
          value: ["value" in lo ? lo.value : node.value, "value" in hi ? hi.value : node.value2],
        };
      } else if (node.op === "in" || node.op === "not_in") {
        const texts =
          input.kind === "enum"
            ? node.values
            : node.value
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean);
        const values: (number | string)[] = [];
        for (const text of texts) {
          const v = parseValue(input, text, decimals);
          if ("error" in v) errors[`${node.id}.value`] = v.error;
          else values.push(v.value);
        }
        if (texts.length === 0) errors[`${node.id}.value`] = t("rules.errors.atLeastOne");
        rule = { feature: node.feature, op: node.op, value: values };
      } else {
        const v = parseValue(input, node.value, decimals);
        if ("error" in v) errors[`${node.id}.value`] = v.error;
        rule = { feature: node.feature, op: node.op, value: "value" in v ? v.value : node.value };
      }
    }
    return node.negate ? { not: rule } : rule;
  };
  return { rule: walk(root, []), errors, owners };
}

/** The tree of a stored rule (money back in major units), for editing. */
export function treeFromRule(rule: Rule, decimals: number, root = true): GroupNode {
  const node = nodeFromRule(rule, decimals);
  if (node.kind === "group" && !node.negate) return root ? { ...node, id: "root" } : node;
  return { id: root ? "root" : newNodeId(), kind: "group", negate: false, mode: "all", children: [node] };
}

function nodeFromRule(rule: Rule, decimals: number): RuleNode {
  if ("not" in rule) {
    const inner = nodeFromRule(rule.not, decimals);
    if (!inner.negate) return { ...inner, negate: true };
    return { id: newNodeId(), kind: "group", negate: true, mode: "all", children: [inner] };
  }
  if ("all" in rule || "any" in rule) {
    const mode = "all" in rule ? "all" : "any";
    const list = "all" in rule ? rule.all : rule.any;
    return {
      id: newNodeId(),
      kind: "group",
      negate: false,
      mode,
      children: list.map((r) => nodeFromRule(r, decimals)),
    };
  }
  const input = featureInput(rule.feature);
  const base: ConditionNode = {
    id: newNodeId(),
    kind: "condition",
    negate: false,
    feature: rule.feature,
    op: rule.op,
    value: "",
    value2: "",
    values: [],
  };
  if (rule.op === "exists" || rule.op === "missing") return base;
  if (rule.op === "between")
    return {
      ...base,
      value: showValue(input, rule.value[0], decimals),
      value2: showValue(input, rule.value[1], decimals),
    };
  if (rule.op === "in" || rule.op === "not_in") {
    const shown = rule.value.map((v) => showValue(input, v, decimals));
    return input?.kind === "enum" ? { ...base, values: shown } : { ...base, value: shown.join(", ") };
  }
  return { ...base, value: showValue(input, (rule as { value: number | string }).value, decimals) };
}

/**
 * Every problem of the form, next to its field: typed values that are not
 * values, then the engine's validation of the resulting rule (the same
 * function the settings schema runs when the rule is saved).
 */
export function validateRuleForm(values: RuleFormValues, decimals: number): { rule: Rule; errors: RuleFormErrors } {
  const { rule, errors, owners } = ruleFromTree(values.root, decimals);
  for (const issue of validateRuleTree(rule)) {
    const path = issue.path.map(String);
    let owner: { id: string; field?: string } | undefined;
    for (let n = path.length; n >= 0 && !owner; n--) owner = owners.get(path.slice(0, n).join("."));
    const key = owner ? `${owner.id}.${owner.field ?? "value"}` : "form";
    if (!errors[key]) errors[key] = issue.message;
  }
  const handle = handleSchema.safeParse(values.handle);
  if (!handle.success) errors.handle = handle.error.issues[0].message;
  else if (RESERVED_HANDLES.includes(values.handle)) errors.handle = t("rules.errors.handleReserved");
  if (values.title.trim().length === 0) errors.title = t("rules.errors.title");
  else if (values.title.length > 100) errors.title = t("rules.errors.titleLong");
  if (values.description.length > 500) errors.description = t("rules.errors.descriptionLong");
  return { rule, errors };
}

/** The rule tree as posted (JSON), checked for shape; null when it is not a tree the builder made. */
function parseRuleTree(json: unknown): GroupNode | null {
  const node = parseNode(json, 0);
  return node && node.kind === "group" ? node : null;
}

function parseNode(v: unknown, depth: number): RuleNode | null {
  if (depth > 10 || typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== "string" || typeof o.negate !== "boolean") return null;
  if (o.kind === "group") {
    if ((o.mode !== "all" && o.mode !== "any") || !Array.isArray(o.children) || o.children.length > 60) return null;
    const children = o.children.map((c) => parseNode(c, depth + 1));
    if (children.some((c) => c === null)) return null;
    return { id: o.id, kind: "group", negate: o.negate, mode: o.mode, children: children as RuleNode[] };
  }
  if (o.kind === "condition") {
    if (typeof o.feature !== "string" || typeof o.op !== "string") return null;
    if (typeof o.value !== "string" || typeof o.value2 !== "string") return null;
    if (!Array.isArray(o.values) || !o.values.every((x) => typeof x === "string")) return null;
    return {
      id: o.id,
      kind: "condition",
      negate: o.negate,
      feature: o.feature,
      op: o.op as RuleOp,
      value: o.value,
      value2: o.value2,
      values: o.values as string[],
    };
  }
  return null;
}

/** The form's values from posted form data (fields handle, title, description, tree). */
export function ruleFormFromFormData(form: FormData): RuleFormValues | null {
  let tree: unknown;
  try {
    tree = JSON.parse(String(form.get("tree") ?? ""));
  } catch {
    return null;
  }
  const root = parseRuleTree(tree);
  if (!root) return null;
  return {
    handle: String(form.get("handle") ?? "").trim(),
    title: String(form.get("title") ?? "").trim(),
    description: String(form.get("description") ?? "").trim(),
    root,
  };
}
