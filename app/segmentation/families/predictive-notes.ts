// What the fitted models say about each predictive segment, as data the admin
// UI prints beside the segment: "unavailable" with the reason when the models
// could not be fitted, "weak" when the fit itself makes the segment nearly
// empty or nearly everyone, "ok" with the numbers behind the segment.
import type { ModelNote } from "./family";
import type { PredictiveCutoffs } from "./predictive";

/**
 * Below this average chance of dropping out after an order (BG/NBD E[p] =
 * a / (a + b)) the data show hardly any customer leaving: P(alive) stays
 * near 1 for nearly every repeat customer, so "churn risk" is nearly empty
 * and "likely active" is nearly every repeat customer.
 */
export const NEGLIGIBLE_DROPOUT = 0.01;

/** Three significant digits: model parameters range from 1e-4 to 1e3. */
function sig(v: number): string {
  return String(Number(v.toPrecision(3)));
}

function percent(v: number): string {
  return `${sig(v * 100)}%`;
}

export function predictiveNote(handle: string, pred: PredictiveCutoffs, money: (minor: number) => string): ModelNote {
  if (pred.status !== "ok") {
    return {
      status: "unavailable",
      reason: `Not enough data for the BG/NBD and Gamma-Gamma models: ${pred.reason}. The segment stays empty until they can be fitted.`,
    };
  }
  const { r, alpha, a, b } = pred.bgnbd;
  const { p, q, gamma } = pred.gammaGamma;
  const unit = pred.timeUnit;
  const basis = `fitted on ${pred.customers} customers, ${pred.repeatCustomers} with a repeat purchase`;
  const dropout = a / (a + b);
  const dropoutWords = `the chance of dropping out after an order averages ${percent(dropout)} (BG/NBD a = ${sig(a)}, b = ${sig(b)})`;
  switch (handle) {
    case "churn-risk":
      return dropout < NEGLIGIBLE_DROPOUT
        ? {
            status: "weak",
            reason: `Almost no dropout observed: ${dropoutWords}, so the data show hardly any customers leaving and churn risk is nearly empty.`,
          }
        : { status: "ok", reason: `${capitalize(dropoutWords)}; ${basis}.` };
    case "likely-active":
      return dropout < NEGLIGIBLE_DROPOUT
        ? {
            status: "weak",
            reason: `Almost no dropout observed: ${dropoutWords}, so nearly every repeat customer counts as likely active.`,
          }
        : { status: "ok", reason: `${capitalize(dropoutWords)}; ${basis}.` };
    case "likely-to-buy": {
      const per90 = ((r / alpha) * 90) / pred.unitDays;
      return {
        status: "ok",
        reason: `Expected orders from BG/NBD: purchase rates average ${sig(per90)} orders per 90 days across customers (r = ${sig(r)}, alpha = ${sig(alpha)} ${unit}s); ${basis}.`,
      };
    }
    default: {
      const values = `12-month value = expected orders (BG/NBD) x expected order value (Gamma-Gamma p = ${sig(p)}, q = ${sig(q)}, gamma = ${money(gamma)})`;
      const [mediumEdge, highEdge] = pred.clvEdges.values;
      if (handle === "medium-value" && mediumEdge === highEdge) {
        return {
          status: "weak",
          reason: `The medium and high tiers start at the same predicted value, ${money(highEdge)}: predictions are bunched, so medium-value is nearly empty.`,
        };
      }
      return { status: "ok", reason: `${values}; ${basis}.` };
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
