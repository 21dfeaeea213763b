// Compiles a validated rule into a predicate over DerivedFeatures that also
// explains itself: it returns the reason ("orders 5 >= 3 and recencyDays 12
// <= 30") when the customer matches, or null. Compiled with `explain: false`
// it returns "" for a match and writes no reason (ADR 067).
import { isoOfDay } from "../features/clock";
import { FEATURE_DEFINITIONS, type DerivedFeatures, type FeatureName } from "./features";
import type { Rule } from "./schema";
import { toFixedDigits } from "../math/fixed-decimals";

export type CompiledRule = (row: DerivedFeatures) => string | null;

const SYMBOL: Record<string, string> = {
  eq: "=",
  ne: "!=",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
};

export function compileRule(rule: Rule, options: { explain?: boolean } = {}): CompiledRule {
  const explain = options.explain ?? true;
  if ("all" in rule) {
    const parts = rule.all.map((r) => compileRule(r, options));
    if (!explain) {
      return (row) => {
        for (const p of parts) if (p(row) === null) return null;
        return "";
      };
    }
    return (row) => {
      const reasons: string[] = [];
      for (const p of parts) {
        const r = p(row);
        if (r === null) return null;
        reasons.push(r);
      }
      return reasons.join(" and ");
    };
  }
  if ("any" in rule) {
    const parts = rule.any.map((r) => compileRule(r, options));
    return (row) => {
      for (const p of parts) {
        const r = p(row);
        if (r !== null) return r;
      }
      return null;
    };
  }
  if ("not" in rule) {
    const inner = compileRule(rule.not, { explain: false });
    const reason = explain ? `not (${describeRule(rule.not)})` : "";
    return (row) => (inner(row) === null ? reason : null);
  }
  const name = rule.feature as FeatureName;
  const type = FEATURE_DEFINITIONS[name].type;
  const toComparable = (v: number | string): number | string => (type === "date" ? dayOfIso(v as string) : v);
  const show = (v: number | string | null) =>
    v === null ? "none" : type === "date" ? isoOfDay(v as number) : typeof v === "number" ? fmt(v) : JSON.stringify(v);
  const get = (row: DerivedFeatures) => row[name] as number | string | null;
  switch (rule.op) {
    case "exists":
      return (row) => (get(row) === null ? null : explain ? `${name} is ${show(get(row))}` : "");
    case "missing": {
      const missing = explain ? `${name} is missing` : "";
      return (row) => (get(row) === null ? missing : null);
    }
    case "between": {
      const lo = toComparable(rule.value[0]);
      const hi = toComparable(rule.value[1]);
      return (row) => {
        const v = get(row);
        if (v === null || v < lo || v > hi) return null;
        return explain ? `${name} ${show(v)} in [${show(lo)}, ${show(hi)}]` : "";
      };
    }
    case "in":
    case "not_in": {
      const set = new Set(rule.value.map(toComparable));
      const want = rule.op === "in";
      return (row) => {
        const v = get(row);
        if (v === null) return null;
        if (set.has(v) !== want) return null;
        return explain ? `${name} ${show(v)} ${want ? "in" : "not in"} list` : "";
      };
    }
    default: {
      const target = toComparable(rule.value);
      const op = rule.op;
      const test =
        op === "eq"
          ? (v: number | string) => v === target
          : op === "ne"
            ? (v: number | string) => v !== target
            : op === "gt"
              ? (v: number | string) => v > target
              : op === "gte"
                ? (v: number | string) => v >= target
                : op === "lt"
                  ? (v: number | string) => v < target
                  : (v: number | string) => v <= target;
      return (row) => {
        const v = get(row);
        if (v === null || !test(v)) return null;
        return explain ? `${name} ${show(v)} ${SYMBOL[op]} ${show(target)}` : "";
      };
    }
  }
}

/** The rule in words, e.g. "orders >= 3 and not (discountedOrderShare > 0.5)". */
export function describeRule(rule: Rule): string {
  if ("all" in rule) return rule.all.map(describeRule).join(" and ");
  if ("any" in rule) return rule.any.map(describeRule).join(" or ");
  if ("not" in rule) return `not (${describeRule(rule.not)})`;
  if (rule.op === "exists" || rule.op === "missing") return `${rule.feature} ${rule.op}`;
  return `${rule.feature} ${SYMBOL[rule.op] ?? rule.op} ${JSON.stringify((rule as { value: unknown }).value)}`;
}

function dayOfIso(v: string): number {
  return Math.floor(Date.parse(`${v}T00:00:00Z`) / 86_400_000);
}

export function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return toFixedDigits(v, Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 2 : 3);
}
