// The BG/NBD model's expected purchase days of a segment's members over a
// period, from their histories at its start. Pure.
import { bgnbdConditionalExpected, type BgNbdParams } from "../../segmentation";

/** One member's purchase history at the start of the period, in days (BG/NBD's x, t_x, T). */
export interface PurchaseHistory {
  x: number;
  txDays: number;
  Tdays: number;
}

/**
 * Expected purchase days of the members in a period of `periodDays`, from
 * each member's history at its start (members with no order before the
 * start are predicted from the population: x = t_x = T = 0).
 */
export function predictedPurchaseDays(
  params: BgNbdParams,
  unitDays: number,
  histories: readonly PurchaseHistory[],
  periodDays: number,
): number {
  let total = 0;
  for (const h of histories) {
    total += bgnbdConditionalExpected(params, periodDays / unitDays, h.x, h.txDays / unitDays, h.Tdays / unitDays);
  }
  return total;
}
