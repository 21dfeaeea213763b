// Segment assignment: one customer's features + the shop's cut-offs ->
// memberships of every family, each with a reason carrying the numbers.
// `createAssigner` lets every family (families/*.ts) prepare what depends
// only on the shop (occasion calendar, compiled custom rules) once, then runs
// the families in order for each customer; `assignSegments` is the
// single-customer entry point, `assignTable` the bulk one.
import type { ShopCutoffs } from "./cutoffs";
import { toEpochMs } from "./cutoffs";
import type { FeatureTable } from "./features/accumulator";
import { ShopClock } from "./features/clock";
import { type CustomerFeatures, emptyCustomerFeatures } from "./features/customer";
import { FAMILY_MODULES } from "./families";
import { type AssignmentDraft, moneyFormatter, type ShopContext } from "./families/family";
import type { DerivedFeatures } from "./rules/features";
import type { Settings } from "./settings";
import { type DeriveContext, deriveFeatures, emptyDerived } from "./segments/derive";
import type { CustomerAssignment, Membership, PredictiveUnavailable } from "./types";

export interface Assigner {
  readonly asOfDay: number;
  assign(features: CustomerFeatures): CustomerAssignment;
  /** Derived features (scores and predictions included) of the customer last assigned; overwritten by the next call. */
  lastDerived(): DerivedFeatures;
}

// The predictive family sets the customer's predictions on every path; this is only the draft's initial value.
const PREDICTIONS_NOT_SET: PredictiveUnavailable = {
  status: "not-enough-data",
  reason: "no family computed predictions",
};

/**
 * `reasons: false` leaves every membership's reason "" and writes none: for a
 * caller that stores segments, not reasons (a recompute's chunks, ADR 067).
 */
export function createAssigner(
  cutoffs: ShopCutoffs,
  settings: Settings,
  asOf: Date | number,
  options: { reasons?: boolean } = {},
): Assigner {
  if (settings.timeZone !== cutoffs.timeZone) {
    throw new RangeError(`cut-offs were fitted in time zone ${cutoffs.timeZone}, settings say ${settings.timeZone}`);
  }
  const asOfMs = toEpochMs(asOf);
  const asOfDay = new ShopClock(settings.timeZone).day(asOfMs);
  const ctx: DeriveContext = {
    asOfDay,
    minTenureDays: settings.usage.minTenureDays,
    hemisphere: settings.hemisphere,
    priceQuantiles: cutoffs.priceQuantiles,
  };
  const shop: ShopContext = {
    settings,
    cutoffs,
    asOfMs,
    asOfDay,
    money: moneyFormatter(settings.currencyDecimals),
    withReasons: options.reasons ?? true,
  };
  const steps = FAMILY_MODULES.map((family) => family.prepare(shop));
  const row = emptyDerived();
  const draft: AssignmentDraft = {
    memberships: [],
    scores: null,
    predictive: PREDICTIONS_NOT_SET,
    withReasons: shop.withReasons,
  };

  function assign(cf: CustomerFeatures): CustomerAssignment {
    if (cf.timeZone !== settings.timeZone) {
      throw new RangeError(
        `customer ${cf.customerId} features are in ${cf.timeZone}, the shop is in ${settings.timeZone}`,
      );
    }
    const d = deriveFeatures(cf, ctx, row);
    const memberships: Membership[] = [];
    draft.memberships = memberships;
    draft.scores = null;
    draft.predictive = PREDICTIONS_NOT_SET;
    for (let i = 0; i < steps.length; i++) steps[i](cf, d, draft);
    return { customerId: cf.customerId, memberships, scores: draft.scores, predictive: draft.predictive };
  }

  return { asOfDay, assign, lastDerived: () => row };
}

let lastAssigner: {
  cutoffs: ShopCutoffs;
  settings: Settings;
  asOf: number;
  assigner: Assigner;
} | null = null;

/** Memberships of one customer. Reuses the prepared assigner when called again with the same arguments. */
export function assignSegments(
  features: CustomerFeatures,
  cutoffs: ShopCutoffs,
  settings: Settings,
  asOf: Date | number,
): CustomerAssignment {
  const ms = toEpochMs(asOf);
  if (
    !lastAssigner ||
    lastAssigner.cutoffs !== cutoffs ||
    lastAssigner.settings !== settings ||
    lastAssigner.asOf !== ms
  ) {
    lastAssigner = {
      cutoffs,
      settings,
      asOf: ms,
      assigner: createAssigner(cutoffs, settings, asOf),
    };
  }
  return lastAssigner.assigner.assign(features);
}

export interface AssignSummary {
  customers: number;
  /** Members per "<family>/<segment>" key. */
  counts: Record<string, number>;
}

/**
 * Assigns every customer of a table, streaming each result to `onCustomer`
 * (for example to write memberships in batches) instead of keeping millions
 * of memberships in memory; returns the counts per segment.
 */
export function assignTable(
  table: FeatureTable,
  cutoffs: ShopCutoffs,
  settings: Settings,
  asOf: Date | number,
  onCustomer?: (assignment: CustomerAssignment, index: number) => void,
): AssignSummary {
  const assigner = createAssigner(cutoffs, settings, asOf);
  // A counter object per key: one lookup per membership, not a get and a set.
  const counts = new Map<string, { n: number }>();
  // One reused features object: assignments never keep a reference to it.
  const scratch = emptyCustomerFeatures("", table.timeZone);
  for (let i = 0; i < table.size; i++) {
    const a = assigner.assign(table.customerInto(i, scratch));
    const memberships = a.memberships;
    for (let k = 0; k < memberships.length; k++) {
      const key = memberships[k].key;
      const counter = counts.get(key);
      if (counter === undefined) counts.set(key, { n: 1 });
      else counter.n++;
    }
    onCustomer?.(a, i);
  }
  return {
    customers: table.size,
    counts: Object.fromEntries(
      [...counts].map(([key, c]) => [key, c.n] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
}
