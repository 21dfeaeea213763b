// Structural and semantic validation of custom rules, written by hand so that
// each problem gets a message a merchant can act on ("feature
// firstOrderDate is a date; compare it with a date like "2025-01-31", not
// with the number 5") instead of a generic union error.
import { FEATURE_DEFINITIONS, FEATURE_NAMES, type FeatureType } from "./features";

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

const OPS = ["eq", "ne", "gt", "gte", "lt", "lte", "between", "in", "not_in", "exists", "missing"] as const;
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 50;

export function validateRuleTree(value: unknown): RuleIssue[] {
  const issues: RuleIssue[] = [];
  let conditions = 0;
  const walk = (node: unknown, path: (string | number)[], depth: number) => {
    const add = (message: string, extra: (string | number)[] = []) =>
      issues.push({ path: [...path, ...extra], message });
    if (depth > MAX_DEPTH) return add(`rules may nest at most ${MAX_DEPTH} groups deep`);
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      return add(
        `expected a group {"all": [...]}, {"any": [...]}, {"not": {...}} or a condition {"feature", "op", "value"}, got ${describe(node)}`,
      );
    }
    const keys = Object.keys(node);
    const obj = node as Record<string, unknown>;
    if ("all" in obj || "any" in obj) {
      const k = "all" in obj ? "all" : "any";
      if (keys.length !== 1)
        return add(
          `a group has exactly one key "${k}"; remove ${keys
            .filter((x) => x !== k)
            .map((x) => `"${x}"`)
            .join(", ")}`,
        );
      const list = obj[k];
      if (!Array.isArray(list) || list.length === 0) return add(`"${k}" must be a non-empty list of rules`, [k]);
      list.forEach((child, i) => walk(child, [...path, k, i], depth + 1));
      return;
    }
    if ("not" in obj) {
      if (keys.length !== 1) return add(`a "not" group has exactly one key "not"`);
      return walk(obj.not, [...path, "not"], depth + 1);
    }
    if (!("feature" in obj)) {
      return add(
        `expected "all", "any", "not" or "feature"; got keys ${keys.map((x) => `"${x}"`).join(", ") || "(none)"}`,
      );
    }
    conditions++;
    const extra = keys.filter((k) => !["feature", "op", "value"].includes(k));
    if (extra.length)
      add(`unknown key ${extra.map((x) => `"${x}"`).join(", ")} in a condition (allowed: feature, op, value)`);
    const feature = obj.feature;
    if (typeof feature !== "string")
      return add(`"feature" must be a feature name, got ${describe(feature)}`, ["feature"]);
    const def = (FEATURE_DEFINITIONS as Record<string, { type: FeatureType }>)[feature];
    if (!def) {
      const hint = closest(feature);
      return add(`unknown feature "${feature}"${hint ? ` (did you mean "${hint}"?)` : ""}`, ["feature"]);
    }
    const op = obj.op;
    if (typeof op !== "string" || !(OPS as readonly string[]).includes(op)) {
      return add(`unknown operator ${describe(op)} for "${feature}" (use one of ${OPS.join(", ")})`, ["op"]);
    }
    if (op === "exists" || op === "missing") {
      if ("value" in obj) add(`operator "${op}" takes no value`, ["value"]);
      return;
    }
    if (!("value" in obj)) return add(`operator "${op}" on "${feature}" needs a "value"`);
    const v = obj.value;
    if (def.type === "string" && ["gt", "gte", "lt", "lte", "between"].includes(op)) {
      return add(`"${feature}" is text; use eq, ne, in or not_in, not "${op}"`, ["op"]);
    }
    const checkScalar = (x: unknown, extraPath: (string | number)[]) => {
      const m = typeMismatch(feature, def.type, x);
      if (m) add(m, ["value", ...extraPath]);
    };
    if (op === "between") {
      if (!Array.isArray(v) || v.length !== 2)
        return add(`"between" needs a value [low, high], got ${describe(v)}`, ["value"]);
      checkScalar(v[0], [0]);
      checkScalar(v[1], [1]);
      if (
        !typeMismatch(feature, def.type, v[0]) &&
        !typeMismatch(feature, def.type, v[1]) &&
        (v[0] as number | string) > (v[1] as number | string)
      ) {
        add(`"between" low ${JSON.stringify(v[0])} is above high ${JSON.stringify(v[1])}`, ["value"]);
      }
      return;
    }
    if (op === "in" || op === "not_in") {
      if (!Array.isArray(v) || v.length === 0)
        return add(`"${op}" needs a non-empty list, got ${describe(v)}`, ["value"]);
      v.forEach((x, i) => checkScalar(x, [i]));
      return;
    }
    checkScalar(v, []);
  };
  walk(value, [], 0);
  if (conditions > MAX_CONDITIONS)
    issues.push({
      path: [],
      message: `a rule may have at most ${MAX_CONDITIONS} conditions (has ${conditions})`,
    });
  return issues;
}

function typeMismatch(feature: string, type: FeatureType, v: unknown): string | null {
  if (type === "number") {
    if (typeof v === "number" && Number.isFinite(v)) return null;
    return `"${feature}" is a number; compare it with a number, not ${describe(v)}`;
  }
  if (type === "date") {
    if (typeof v === "string" && isIsoDate(v)) return null;
    return `"${feature}" is a date; compare it with a date like "2025-01-31", not ${describe(v)}`;
  }
  if (typeof v === "string") return null;
  return `"${feature}" is text; compare it with a string, not ${describe(v)}`;
}

function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "string") return `the text ${JSON.stringify(v)}`;
  if (typeof v === "boolean") return `the boolean ${v}`;
  return `a ${typeof v}`;
}

function closest(name: string): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const f of FEATURE_NAMES) {
    const d = levenshtein(name.toLowerCase(), f.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Clear messages for a rule given as JSON (parsed or text); [] when the rule is valid. */
export function validateCustomRule(json: unknown): string[] {
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      return [`the rule is not valid JSON: ${(e as Error).message}`];
    }
  }
  return validateRuleTree(value).map((i) =>
    i.path.length ? `rule.${i.path.join(".")}: ${i.message}` : `rule: ${i.message}`,
  );
}
