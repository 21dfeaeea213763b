import { describe, expect, it } from "vitest";
import { dayFromCivil, isoOfDay } from "../features/clock";
import { easterSunday, nthWeekday } from "./occasionCalendar";

describe("occasion dates", () => {
  it("computes the moving holidays per year", () => {
    expect(isoOfDay(nthWeekday(2024, 11, 4, 4) + 1)).toBe("2024-11-29"); // Black Friday
    expect(isoOfDay(nthWeekday(2025, 5, 0, 2))).toBe("2025-05-11"); // US Mother's Day
    expect(isoOfDay(nthWeekday(2025, 6, 0, 3))).toBe("2025-06-15"); // Father's Day
    expect(isoOfDay(easterSunday(2025))).toBe("2025-04-20");
    expect(isoOfDay(easterSunday(2025) - 21)).toBe("2025-03-30"); // UK Mothering Sunday
    expect(dayFromCivil(1970, 1, 1)).toBe(0);
  });
});
