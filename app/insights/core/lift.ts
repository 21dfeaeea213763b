// The measured lift of a segment discount against its hold-out group, with
// a verdict in plain words and the return on the offer (ADR 031).
import { newcombeDifference, welchDifference, type Interval, type SampleMoments } from "./stats";

/** One group's outcome over the period: its members and what they bought while in the group. */
export interface GroupOutcome {
  /** Customers in the group at any time during the period. */
  members: number;
  /** Of them, customers with at least one order while in the group. */
  buyers: number;
  orders: number;
  /** Revenue per member in minor units, as moments (n = members). */
  revenue: SampleMoments;
}

export interface TreatedOutcome extends GroupOutcome {
  /** Orders of treated customers that carried a discount, their net revenue and the discount given. */
  discountedOrders: number;
  discountedRevenueMinor: number;
  discountCostMinor: number;
}

export type Verdict = "helping" | "hurting" | "not-enough-data";

export interface LiftResult {
  treated: { members: number; conversion: number; revenuePerMember: number };
  holdout: { members: number; conversion: number; revenuePerMember: number };
  /** Difference in conversion (treated − hold-out), a share; null without enough data. */
  conversionLift: Interval | null;
  /** Difference in revenue per member (minor units); null without enough data. */
  revenuePerMemberLift: Interval | null;
  /** Revenue the treated group would not have had: revenue-per-member lift × treated members. */
  incrementalRevenueMinor: number | null;
  discountCostMinor: number;
  /** (incremental revenue − discount cost) / discount cost; null when nothing was given or no lift is known. */
  returnOnOffer: number | null;
  verdict: Verdict;
  /** Why the verdict is what it is, in plain words. */
  explanation: string;
}

export interface LiftOptions {
  /** Fewer members than this in either group: not enough data. */
  minGroupSize: number;
  /** Fewer buyers than this in both groups together: not enough data. */
  minBuyers: number;
  level?: number;
}

const rate = (num: number, den: number) => (den > 0 ? num / den : 0);

export function measureLift(treated: TreatedOutcome, holdout: GroupOutcome, options: LiftOptions): LiftResult {
  const level = options.level ?? 0.95;
  const base = {
    treated: {
      members: treated.members,
      conversion: rate(treated.buyers, treated.members),
      revenuePerMember: rate(treated.revenue.sum, treated.members),
    },
    holdout: {
      members: holdout.members,
      conversion: rate(holdout.buyers, holdout.members),
      revenuePerMember: rate(holdout.revenue.sum, holdout.members),
    },
    discountCostMinor: treated.discountCostMinor,
  };
  const smallest = Math.min(treated.members, holdout.members);
  if (smallest < options.minGroupSize || treated.buyers + holdout.buyers < options.minBuyers) {
    return {
      ...base,
      conversionLift: null,
      revenuePerMemberLift: null,
      incrementalRevenueMinor: null,
      returnOnOffer: null,
      verdict: "not-enough-data",
      explanation:
        smallest < options.minGroupSize
          ? `Not enough data yet: ${treated.members} treated and ${holdout.members} held-out customers; each group needs at least ${options.minGroupSize}.`
          : `Not enough data yet: ${treated.buyers + holdout.buyers} customers ordered; at least ${options.minBuyers} are needed.`,
    };
  }
  const conversionLift = newcombeDifference(treated.buyers, treated.members, holdout.buyers, holdout.members, level);
  const revenueLift = welchDifference(treated.revenue, holdout.revenue, level);
  const incremental = revenueLift.estimate * treated.members;
  const returnOnOffer =
    treated.discountCostMinor > 0 ? (incremental - treated.discountCostMinor) / treated.discountCostMinor : null;
  const { verdict, explanation } = judge(conversionLift, revenueLift);
  return {
    ...base,
    conversionLift,
    revenuePerMemberLift: { estimate: revenueLift.estimate, low: revenueLift.low, high: revenueLift.high },
    incrementalRevenueMinor: incremental,
    returnOnOffer,
    verdict,
    explanation,
  };
}

/** Helping when an interval lies above zero and none below; hurting the other way round; otherwise too early to tell. */
function judge(conversion: Interval, revenue: Interval): { verdict: Verdict; explanation: string } {
  const above = conversion.low > 0 || revenue.low > 0;
  const below = conversion.high < 0 || revenue.high < 0;
  if (above && !below) {
    return {
      verdict: "helping",
      explanation: "Helping: customers who get the discount order more than those held out, beyond chance.",
    };
  }
  if (below && !above) {
    return {
      verdict: "hurting",
      explanation: "Hurting: customers who get the discount order less than those held out, beyond chance.",
    };
  }
  return {
    verdict: "not-enough-data",
    explanation: "Not enough data yet: the difference between the groups is still within what chance alone would give.",
  };
}
