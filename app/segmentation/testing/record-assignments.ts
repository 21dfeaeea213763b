// Writes recorded-assignments.json from the current engine (see recordedCases.ts).
// Run only after an intentional change of memberships, reasons or cut-offs:
//   npx tsx app/segmentation/testing/record-assignments.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAssigner } from "../assign";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { parseSettings } from "../settings";
import { record, recordedCases } from "./recorded-cases";

const recordings = recordedCases().map((c) => {
  const settings = parseSettings(c.settingsInput);
  const table = computeFeatureTable(c.orders, { timeZone: settings.timeZone });
  const cutoffs = fitShop(table, settings, c.asOf);
  const assigner = createAssigner(cutoffs, settings, c.asOf);
  return record(c, { table, cutoffs, assign: (i) => assigner.assign(table.customer(i)) });
});
const file = join(import.meta.dirname, "recorded-assignments.json");
writeFileSync(file, `${JSON.stringify(recordings, null, 2)}\n`);
console.log(`wrote ${recordings.length} cases to ${file}`);
