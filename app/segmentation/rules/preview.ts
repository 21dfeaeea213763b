// Preview of a custom rule before it is saved: how many customers match and
// a sample of them with the reason.
import { createAssigner } from "../assign";
import type { ShopCutoffs } from "../cutoffs";
import type { CustomerFeatures } from "../features/customer";
import type { Settings } from "../settings";
import { compileRule } from "./evaluate";
import type { Rule } from "./schema";
import { validateCustomRule } from "./validate";

export type RulePreview =
  | {
      ok: true;
      count: number;
      sample: { customerId: string; reason: string }[];
    }
  | { ok: false; errors: string[] };

/**
 * Evaluates `rule` on the customers (after the built-in families, so RFM
 * scores and predictions are available to it). The sample is the first
 * `sampleSize` matches in the given order. Only ids and reasons are kept, so
 * `features` may reuse one object for every customer (a FeatureTable's
 * customerInto).
 */
export function previewCustomRule(
  rule: unknown,
  features: Iterable<CustomerFeatures>,
  sampleSize: number,
  context: { cutoffs: ShopCutoffs; settings: Settings; asOf: Date | number },
): RulePreview {
  const errors = validateCustomRule(rule);
  if (errors.length) return { ok: false, errors };
  const test = compileRule(rule as Rule);
  const assigner = createAssigner(context.cutoffs, { ...context.settings, customSegments: [] }, context.asOf);
  let count = 0;
  const sample: { customerId: string; reason: string }[] = [];
  for (const cf of features) {
    assigner.assign(cf);
    const reason = test(assigner.lastDerived());
    if (reason === null) continue;
    count++;
    if (sample.length < sampleSize) sample.push({ customerId: cf.customerId, reason });
  }
  return { ok: true, count, sample };
}
