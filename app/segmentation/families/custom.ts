// custom: the merchant's own segments, each a JSON rule over the derived
// features (rules/). Runs last, so rules see the RFM scores and predictions
// the other families wrote. The reason lists the matched conditions.
import { z } from "zod";
import { compileRule, describeRule } from "../rules/evaluate";
import { ruleSchema } from "../rules/schema";
import { handleSchema } from "../settings-fields";
import { addMembership, catalogEntry, type FamilyModule } from "./family";

const customSegmentSchema = z.strictObject({
  handle: handleSchema,
  title: z.string().min(1).max(100),
  description: z.string().max(500).default(""),
  rule: ruleSchema,
});
export type CustomSegment = z.infer<typeof customSegmentSchema>;

const customSettings = z.array(customSegmentSchema).max(100).default([]);

export const customFamily: FamilyModule<"customSegments", typeof customSettings> = {
  family: "custom",
  settings: {
    key: "customSegments",
    schema: customSettings,
    check(segments, issue) {
      const handles = new Set<string>();
      segments.forEach((c, i) => {
        if (handles.has(c.handle)) issue([i, "handle"], `handle "${c.handle}" is used twice`);
        handles.add(c.handle);
      });
    },
  },
  catalog: ({ settings }) =>
    settings.customSegments.map((c) =>
      catalogEntry("custom", c.handle, c.title, c.description, `Merchant rule: ${describeRule(c.rule)}`),
    ),
  prepare({ settings, withReasons }) {
    // A rule's test answers with its reason (null: no match); compiled without reasons it answers "" (ADR 067).
    const rules = settings.customSegments.map((c) => ({
      handle: c.handle,
      test: compileRule(c.rule, { explain: withReasons }),
    }));
    return (_cf, d, out) => {
      for (const c of rules) {
        const reason = c.test(d);
        if (reason !== null) addMembership(out, "custom", c.handle, reason);
      }
    };
  },
};
