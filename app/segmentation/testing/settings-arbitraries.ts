// fast-check generators of merchant settings input: every family's slice with
// random thresholds, merchant occasion windows and custom rules that read RFM
// scores and predictions. `validOnly: false` also mixes in values the schema
// must reject (out of range, wrong type, duplicate handles, unknown keys).
import fc from "fast-check";

const RULES: unknown[] = [
  { feature: "recencyScore", op: "gte", value: 4 },
  {
    all: [
      { feature: "pAlive", op: "lt", value: 0.5 },
      { feature: "orders", op: "gte", value: 2 },
    ],
  },
  {
    any: [
      { feature: "acquisitionChannel", op: "in", value: ["email", "paid-search"] },
      { feature: "lastOrderDate", op: "between", value: ["2024-01-01", "2024-12-31"] },
    ],
  },
  { not: { feature: "discountedOrderShare", op: "gt", value: 0.3 } },
  { feature: "clv12mMinor", op: "exists" },
  { feature: "topSeason", op: "eq", value: "winter" },
  { feature: "expectedOrders90d", op: "gte", value: 0.2 },
];

const MONTH_DAYS = ["01-05", "02-14", "02-29", "03-31", "07-01", "07-15", "11-20", "12-20", "12-31"];

/** A share in [min, max] (valid input keeps pairs of shares consistent, e.g. heavy + moderate <= 1). */
function shareArb(validOnly: boolean, min = 0, max = 1): fc.Arbitrary<unknown> {
  const valid = validOnly ? fc.double({ min, max, noNaN: true }) : fc.double({ min: 0, max: 1, noNaN: true });
  return validOnly ? valid : fc.oneof({ weight: 40, arbitrary: valid }, fc.constantFrom(1.5, -0.1, "0.5"));
}

function intArb(min: number, max: number, validOnly: boolean): fc.Arbitrary<unknown> {
  const valid = fc.integer({ min, max });
  return validOnly ? valid : fc.oneof({ weight: 40, arbitrary: valid }, fc.constantFrom(min - 1, 2.5, null));
}

function windowArb(validOnly: boolean): fc.Arbitrary<unknown> {
  const handle = validOnly
    ? fc.constantFrom("summer-sale", "spring-drop", "vip-week")
    : fc.constantFrom("summer-sale", "spring-drop", "holiday-season", "Bad Handle");
  return fc.oneof(
    fc.record({
      handle,
      title: fc.constantFrom("Sale", "Drop"),
      start: fc.constantFrom(...MONTH_DAYS),
      end: fc.constantFrom(...MONTH_DAYS),
    }),
    fc.record({
      handle,
      title: fc.constantFrom("Launch", "Clearance"),
      from: fc.constantFrom("2024-03-01", "2024-11-15", "2025-01-10"),
      to: validOnly ? fc.constantFrom("2025-02-01", "2025-06-29") : fc.constantFrom("2024-01-01", "2025-06-29"),
    }),
  );
}

/** Raw settings input, as a merchant (or a stored JSON) would give it. */
export function settingsInputArb(
  options: { validOnly?: boolean; timeZones?: string[] } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const v = options.validOnly ?? true;
  const timeZones = options.timeZones ?? ["UTC", "America/New_York", "Europe/London", "Pacific/Auckland"];
  const optional = { requiredKeys: [] as never[] };
  return fc.record(
    {
      timeZone: v ? fc.constantFrom(...timeZones) : fc.constantFrom(...timeZones, "Mars/Olympus"),
      currencyDecimals: intArb(0, 4, v),
      hemisphere: fc.constantFrom("north", "south"),
      usage: fc.record(
        {
          heavyTopShare: shareArb(v, 0, 0.5),
          moderateNextShare: shareArb(v, 0, 0.5),
          minTenureDays: intArb(1, 400, v),
        },
        optional,
      ),
      loyalty: fc.record(
        {
          newWithinDays: intArb(1, 120, v),
          loyalMinOrders: intArb(2, 8, v),
          atRiskAfterDays: v ? fc.integer({ min: 1, max: 179 }) : intArb(1, 400, v),
          lapsedAfterDays: v ? fc.integer({ min: 180, max: 400 }) : intArb(1, 400, v),
          reactivatedWithinDays: intArb(1, 200, v),
          switcherMinDiscountShare: shareArb(v),
        },
        optional,
      ),
      predictive: fc.record(
        {
          timeUnit: fc.constantFrom("day", "week"),
          minCustomers: fc.constant(10),
          minRepeatCustomers: intArb(10, 20, v),
          likelyActiveMinPAlive: shareArb(v, 0.5, 1),
          churnRiskMaxPAlive: shareArb(v, 0, 0.49),
          likelyToBuyMinOrders90d: fc.double({ min: 0, max: 2, noNaN: true }),
          highValueTopShare: shareArb(v, 0, 0.5),
          mediumValueNextShare: shareArb(v, 0, 0.5),
        },
        optional,
      ),
      occasion: fc.record(
        {
          blackFridayCyberMonday: fc.boolean(),
          holidaySeason: fc.record({ start: fc.constantFrom(...MONTH_DAYS), end: fc.constantFrom(...MONTH_DAYS) }),
          mothersDay: fc.record({ country: fc.constantFrom("us", "uk"), daysBefore: intArb(0, 60, v) }, optional),
          fathersDay: fc.record({ daysBefore: intArb(0, 60, v) }, optional),
          seasonalMinOrders: intArb(2, 5, v),
          seasonalMinShare: shareArb(v),
          anniversaryWithinDays: intArb(1, 60, v),
          windows: fc.uniqueArray(windowArb(v), {
            maxLength: 3,
            selector: (w) => (v ? (w as { handle: string }).handle : w),
          }),
        },
        optional,
      ),
      benefits: fc.record(
        {
          discountSeekerMinOrders: intArb(1, 4, v),
          discountSeekerMinShare: shareArb(v),
          premiumMinPricePercentile: shareArb(v),
          premiumMaxDiscountShare: shareArb(v),
          convenienceMinExpressShare: shareArb(v),
          convenienceMinRepeatedProducts: intArb(1, 3, v),
          varietyMinProductTypes: intArb(2, 5, v),
        },
        optional,
      ),
      marketing: fc.record({ campaignResponderMinOrders: intArb(1, 3, v) }, optional),
      customSegments: fc.uniqueArray(
        fc.record({
          handle: v ? fc.constantFrom("a", "b-2", "vip") : fc.constantFrom("a", "b-2", "Not Kebab"),
          title: fc.constantFrom("A", "B"),
          rule: fc.constantFrom(...RULES),
        }),
        { maxLength: 3, selector: (c) => (v ? c.handle : c) },
      ),
      ...(v ? {} : { nonsense: fc.constant(1) }),
    },
    optional,
  );
}
