// loyalty: the lifecycle stage (exactly one per customer with orders, rules
// checked in order: new, lapsed, reactivated, one-time, at-risk, loyal,
// repeat) plus the "switchers" overlay (one-time or lapsed customers who
// mostly buy on discount; needs discount data). Rule-based: no fit step.
import { z } from "zod";
import type { DerivedFeatures } from "../rules/features";
import type { Settings } from "../settings";
import { days, share } from "../settings-fields";
import { addMembership, catalogEntry, countOf, type FamilyModule, pct } from "./family";

const loyaltySettings = z
  .strictObject({
    newWithinDays: days.default(30),
    loyalMinOrders: z.number().int().min(2).default(4),
    atRiskAfterDays: days.default(90),
    lapsedAfterDays: days.default(180),
    reactivatedWithinDays: days.default(90),
    switcherMinDiscountShare: share.default(0.5),
  })
  .prefault({});

type LoyaltySettings = Settings["loyalty"];

export const loyaltyFamily: FamilyModule<"loyalty", typeof loyaltySettings> = {
  family: "loyalty",
  settings: {
    key: "loyalty",
    schema: loyaltySettings,
    check(l, issue) {
      if (l.atRiskAfterDays >= l.lapsedAfterDays) issue([], "atRiskAfterDays must be smaller than lapsedAfterDays");
    },
  },
  catalog({ settings }) {
    const L = settings.loyalty;
    const notEarlier = (stages: string) => ` (and not ${stages}: the first matching stage counts)`;
    return [
      catalogEntry(
        "loyalty",
        "new",
        "New customers",
        `First order in the last ${L.newWithinDays} days`,
        `First order at most ${L.newWithinDays} days ago`,
      ),
      catalogEntry(
        "loyalty",
        "repeat",
        "Repeat customers",
        `2 to ${L.loyalMinOrders - 1} orders, ordered in the last ${L.atRiskAfterDays} days`,
        `2 to ${L.loyalMinOrders - 1} orders, the last at most ${L.atRiskAfterDays} days ago${notEarlier("new or reactivated")}`,
      ),
      catalogEntry(
        "loyalty",
        "loyal",
        "Loyal customers",
        `${L.loyalMinOrders}+ orders, ordered in the last ${L.atRiskAfterDays} days`,
        `At least ${L.loyalMinOrders} orders, the last at most ${L.atRiskAfterDays} days ago${notEarlier("new or reactivated")}`,
      ),
      catalogEntry(
        "loyalty",
        "at-risk",
        "At risk",
        `Repeat customers without an order for ${L.atRiskAfterDays}-${L.lapsedAfterDays} days`,
        `2 or more orders, the last more than ${L.atRiskAfterDays} and at most ${L.lapsedAfterDays} days ago${notEarlier("new or reactivated")}`,
      ),
      catalogEntry(
        "loyalty",
        "lapsed",
        "Lapsed",
        `No order for more than ${L.lapsedAfterDays} days`,
        `Last order more than ${L.lapsedAfterDays} days ago${notEarlier("new")}`,
      ),
      catalogEntry(
        "loyalty",
        "one-time",
        "One-time buyers",
        `A single order, within the last ${L.lapsedAfterDays} days`,
        `Exactly 1 order, at most ${L.lapsedAfterDays} days ago${notEarlier("new")}`,
      ),
      catalogEntry(
        "loyalty",
        "reactivated",
        "Reactivated",
        `Ordered in the last ${L.reactivatedWithinDays} days after more than ${L.lapsedAfterDays} days without orders`,
        `Last order at most ${L.reactivatedWithinDays} days ago, and the last two purchase days more than ${L.lapsedAfterDays} days apart${notEarlier("new or lapsed")}`,
      ),
      catalogEntry(
        "loyalty",
        "switchers",
        "Switchers",
        `One-time or lapsed customers with at least ${L.switcherMinDiscountShare * 100}% discounted orders`,
        `One-time or lapsed, and at least ${pct(L.switcherMinDiscountShare)} of orders discounted (an extra segment beside the stage)`,
        "discounts",
      ),
    ];
  },
  prepare({ cutoffs, settings }) {
    const L = settings.loyalty;
    const discounts = cutoffs.availability.discounts;
    return (cf, d, out) => {
      if (cf.orders === 0 || d.recencyDays === null || d.tenureDays === null) return;
      const stage = lifecycle(d, L, out.withReasons);
      addMembership(out, "loyalty", stage.handle, stage.reason);
      if (
        discounts &&
        (stage.handle === "one-time" || stage.handle === "lapsed") &&
        d.discountedOrderShare !== null &&
        d.discountedOrderShare >= L.switcherMinDiscountShare
      ) {
        addMembership(
          out,
          "loyalty",
          "switchers",
          out.withReasons
            ? `${stage.handle}, ${pct(d.discountedOrderShare)} of orders discounted >= ${pct(L.switcherMinDiscountShare)}`
            : "",
        );
      }
    };
  },
};

/** The customer's stage, and its reason when `withReasons` ("" otherwise). */
function lifecycle(d: DerivedFeatures, L: LoyaltySettings, withReasons: boolean): { handle: string; reason: string } {
  const rec = d.recencyDays as number;
  const ten = d.tenureDays as number;
  const n = d.orders as number;
  if (ten <= L.newWithinDays)
    return { handle: "new", reason: withReasons ? `first order ${countOf(ten, "day")} ago <= ${L.newWithinDays}` : "" };
  if (rec > L.lapsedAfterDays) {
    return { handle: "lapsed", reason: withReasons ? `no order for ${rec} days > ${L.lapsedAfterDays}` : "" };
  }
  const lastGap = d.lastDaysBetweenOrders;
  if (lastGap !== null && lastGap > L.lapsedAfterDays && rec <= L.reactivatedWithinDays) {
    return {
      handle: "reactivated",
      reason: withReasons
        ? `came back ${countOf(rec, "day")} ago after ${lastGap} days without orders (> ${L.lapsedAfterDays})`
        : "",
    };
  }
  if (n === 1) return { handle: "one-time", reason: withReasons ? `1 order, ${countOf(rec, "day")} ago` : "" };
  if (rec > L.atRiskAfterDays) {
    return { handle: "at-risk", reason: withReasons ? `${n} orders, none for ${rec} days > ${L.atRiskAfterDays}` : "" };
  }
  if (n >= L.loyalMinOrders)
    return {
      handle: "loyal",
      reason: withReasons ? `${n} orders >= ${L.loyalMinOrders}, last ${countOf(rec, "day")} ago` : "",
    };
  return { handle: "repeat", reason: withReasons ? `${n} orders, last ${countOf(rec, "day")} ago` : "" };
}
