import { describe, expect, it } from "vitest";
import { entitlement, remainingTrialDays, type SubscriptionFact, type SubscriptionStatus } from "./entitlement";
import { covers, FREE_CUSTOMER_LIMIT, INSTALL_GRACE_DAYS, planFor, TRIAL_DAYS } from "./plans";

const DAY = 86_400_000;
const installedAt = new Date("2026-11-01T00:00:00Z");
const inGrace = new Date(installedAt.getTime() + (INSTALL_GRACE_DAYS - 1) * DAY);
const afterGrace = new Date(installedAt.getTime() + (INSTALL_GRACE_DAYS + 1) * DAY);

function sub(name: string, status: SubscriptionStatus, at: Date, id = `gid://shopify/AppSubscription/${name}`) {
  return {
    id,
    name,
    status,
    activatedAt: status === "ACTIVE" ? at : null,
    reportedAt: at,
  } satisfies SubscriptionFact;
}

describe("plans", () => {
  it("picks the smallest plan covering the customers", () => {
    expect(planFor(0)).toBe("Free");
    expect(planFor(FREE_CUSTOMER_LIMIT)).toBe("Free");
    expect(planFor(FREE_CUSTOMER_LIMIT + 1)).toBe("Starter");
    expect(planFor(5_000)).toBe("Starter");
    expect(planFor(5_001)).toBe("Growth");
    expect(planFor(25_001)).toBe("Scale");
    expect(planFor(10_000_000)).toBe("Scale");
    expect(covers("Growth", 25_000)).toBe(true);
    expect(covers("Growth", 25_001)).toBe(false);
    expect(covers("Scale", 10_000_000)).toBe(true);
  });
});

describe("entitlement", () => {
  it("lets a shop within the free limit do everything without a plan", () => {
    const e = entitlement({ customers: FREE_CUSTOMER_LIMIT, subscriptions: [], installedAt, now: afterGrace });
    expect(e).toMatchObject({ plan: "Free", pages: "open", background: { runs: true }, withinPlan: true });
    expect(e.graceEndsAt).toBeNull();
  });

  it("over the limit without ever subscribing: the pages ask for a plan, write-back runs until the grace ends", () => {
    const during = entitlement({ customers: 700, subscriptions: [], installedAt, now: inGrace });
    expect(during).toMatchObject({ pages: "choose-plan", background: { runs: true }, recommended: "Starter" });
    expect(during.graceEndsAt).toEqual(new Date(installedAt.getTime() + INSTALL_GRACE_DAYS * DAY));
    const after = entitlement({ customers: 700, subscriptions: [], installedAt, now: afterGrace });
    expect(after.background).toEqual({
      runs: false,
      reason: "plan lapsed: no subscription after the install grace; 700 segmented customers, over the free plan's 500",
    });
  });

  it("an active paid plan keeps everything running, even when the shop outgrew it", () => {
    const e = entitlement({
      customers: 9_000,
      subscriptions: [sub("Starter", "ACTIVE", installedAt)],
      installedAt,
      now: afterGrace,
    });
    expect(e).toMatchObject({
      plan: "Starter",
      pages: "open",
      background: { runs: true },
      withinPlan: false,
      recommended: "Growth",
    });
  });

  it.each(["CANCELLED", "DECLINED", "EXPIRED", "FROZEN"] as const)(
    "a %s subscription over the free limit stops write-back at once, even within the grace",
    (status) => {
      const e = entitlement({
        customers: 700,
        subscriptions: [sub("Growth", status, inGrace)],
        installedAt,
        now: inGrace,
      });
      expect(e.pages).toBe("choose-plan");
      expect(e.background).toEqual({
        runs: false,
        reason: `plan lapsed: subscription Growth is ${status}; 700 segmented customers, over the free plan's 500`,
      });
      // Within the free limit a lapsed plan changes nothing.
      expect(
        entitlement({ customers: 12, subscriptions: [sub("Growth", status, inGrace)], installedAt, now: inGrace })
          .background,
      ).toEqual({ runs: true });
    },
  );

  it("an upgrade: the newly activated plan counts, the cancelled one does not; unknown plan names never do", () => {
    const old = sub("Starter", "CANCELLED", new Date(inGrace.getTime() + 1_000));
    const current = sub("Growth", "ACTIVE", inGrace);
    const e = entitlement({ customers: 700, subscriptions: [old, current], installedAt, now: afterGrace });
    expect(e.plan).toBe("Growth");
    expect(e.subscription?.id).toBe(current.id);
    const foreign = entitlement({
      customers: 700,
      subscriptions: [sub("Legacy", "ACTIVE", inGrace)],
      installedAt,
      now: afterGrace,
    });
    expect(foreign).toMatchObject({ plan: "Free", pages: "choose-plan", background: { runs: false } });
  });
});

describe("one trial per shop", () => {
  it("gives the whole trial to a first subscription, what remains of it later, then none", () => {
    expect(remainingTrialDays([], afterGrace)).toBe(TRIAL_DAYS);
    // A declined charge was never active: it used no trial.
    expect(remainingTrialDays([sub("Starter", "DECLINED", installedAt)], afterGrace)).toBe(TRIAL_DAYS);
    const first = sub("Starter", "CANCELLED", installedAt);
    const activated = { ...first, activatedAt: installedAt };
    expect(remainingTrialDays([activated], new Date(installedAt.getTime() + 4.5 * DAY))).toBe(TRIAL_DAYS - 4);
    expect(remainingTrialDays([activated], new Date(installedAt.getTime() + 40 * DAY))).toBe(0);
  });
});
