// Custom segment rules: JSON trees of AND ("all") / OR ("any") / NOT groups
// over comparisons of derived features. Validated with zod, with one clear
// message per problem (see validate.ts).
import { z } from "zod";
import { validateRuleTree } from "./validate";

export type ComparisonOp = "eq" | "ne" | "gt" | "gte" | "lt" | "lte";
export type Condition =
  | { feature: string; op: ComparisonOp; value: number | string }
  | {
      feature: string;
      op: "between";
      value: [number | string, number | string];
    }
  | { feature: string; op: "in" | "not_in"; value: (number | string)[] }
  | { feature: string; op: "exists" | "missing" };
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

export const ruleSchema = z.unknown().superRefine((value, ctx) => {
  for (const issue of validateRuleTree(value)) {
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  }
}) as unknown as z.ZodType<Rule, unknown>;
