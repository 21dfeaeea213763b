// The merchant's side of billing, for tests and the demo: approve or decline
// a pending charge (what the confirmation page does), and make a
// subscription lapse (frozen for non-payment, expired unapproved, cancelled)
// or resume, each with app_subscriptions/update.
import { localId } from "../../control/lookup";
import { HttpError } from "../../http/http-util";
import type { SimRuntime } from "../../runtime";
import type { Shop } from "../../shop";
import type { Simulator } from "../../types";
import { refreshStatus, subscriptionUpdatePayload, type AppSubscriptionRecord, type SubscriptionStatus } from "./model";

export interface ChargeAnswer {
  /** Where Shopify sends the merchant back: the subscription's returnUrl with charge_id. */
  redirectUrl: string;
  subscription: AppSubscriptionRecord;
}

export type LapseStatus = Extract<SubscriptionStatus, "FROZEN" | "EXPIRED" | "CANCELLED">;

/** Which statuses each lapse starts from (Shopify's lifecycle). */
const LAPSES_FROM: Record<LapseStatus, SubscriptionStatus[]> = {
  FROZEN: ["ACTIVE"],
  EXPIRED: ["PENDING"],
  CANCELLED: ["ACTIVE", "FROZEN"],
};

function findSubscription(rt: SimRuntime, shop: Shop, id: number | bigint | string | undefined) {
  for (const sub of shop.subscriptions) refreshStatus(sub, rt.nowSeconds());
  if (id === undefined || id === null || id === "") {
    const pending = shop.subscriptions.filter((s) => s.status === "PENDING").at(-1);
    if (!pending) throw new HttpError(409, `${shop.domain} has no pending app subscription`);
    return pending;
  }
  const local = localId(shop, id, "AppSubscription");
  const sub = shop.subscriptions.find((s) => s.id === local);
  if (!sub) throw new HttpError(404, `Unknown app subscription ${String(id)} on ${shop.domain}`);
  return sub;
}

function setStatus(rt: SimRuntime, shop: Shop, sub: AppSubscriptionRecord, status: SubscriptionStatus): void {
  sub.status = status;
  sub.updatedAt = rt.nowSeconds();
  rt.emit(shop, "app_subscriptions/update", () => subscriptionUpdatePayload(shop, sub));
}

function answerCharge(rt: SimRuntime, domain: string, id: number | bigint | string | undefined, approve: boolean) {
  const shop = rt.installedShop(domain);
  const sub = findSubscription(rt, shop, id);
  if (sub.status !== "PENDING")
    throw new HttpError(409, `App subscription ${shop.ids.text(sub.id)} is ${sub.status}, not PENDING`);
  if (approve) {
    // STANDARD and APPLY_IMMEDIATELY: the new subscription replaces the current one at once.
    for (const other of shop.subscriptions)
      if (other !== sub && (other.status === "ACTIVE" || other.status === "FROZEN"))
        setStatus(rt, shop, other, "CANCELLED");
    sub.activatedAt = rt.nowSeconds();
  }
  setStatus(rt, shop, sub, approve ? "ACTIVE" : "DECLINED");
  const url = new URL(sub.returnUrl);
  url.searchParams.set("charge_id", shop.ids.text(sub.id));
  return { redirectUrl: url.toString(), subscription: sub };
}

export function billingControl(
  rt: SimRuntime,
): Pick<
  Simulator,
  "approveSubscription" | "declineSubscription" | "lapseSubscription" | "resumeSubscription" | "subscriptions"
> {
  return {
    approveSubscription: (domain, id) => answerCharge(rt, domain, id, true),
    declineSubscription: (domain, id) => answerCharge(rt, domain, id, false),
    lapseSubscription(domain, id, status) {
      const shop = rt.getShop(domain);
      const sub = findSubscription(rt, shop, id);
      const from = LAPSES_FROM[status];
      if (!from)
        throw new HttpError(400, `A subscription lapses to FROZEN, EXPIRED or CANCELLED, not ${String(status)}`);
      if (!from.includes(sub.status))
        throw new HttpError(
          409,
          `A ${sub.status} subscription cannot become ${status} (only from ${from.join(" or ")})`,
        );
      setStatus(rt, shop, sub, status);
      return sub;
    },
    resumeSubscription(domain, id) {
      const shop = rt.getShop(domain);
      const sub = findSubscription(rt, shop, id);
      if (sub.status !== "FROZEN")
        throw new HttpError(409, `Only a FROZEN subscription resumes, this one is ${sub.status}`);
      setStatus(rt, shop, sub, "ACTIVE");
      return sub;
    },
    subscriptions(domain) {
      const shop = rt.getShop(domain);
      for (const sub of shop.subscriptions) refreshStatus(sub, rt.nowSeconds());
      return shop.subscriptions;
    },
  };
}
