import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent as currencyDecimals } from "../../../app/utils/money";
import {
  compareDecimals,
  currencyMinorUnits,
  formatDecimal,
  parseDecimal,
  roundDecimal,
  shopToCartAmount,
  type Decimal,
} from "./money";

const d = (text: string) => parseDecimal(text) as Decimal;

describe("parseDecimal / formatDecimal", () => {
  it("reads plain decimals from strings and numbers", () => {
    expect(parseDecimal("12.50")).toEqual({ units: 1250n, scale: 2 });
    expect(parseDecimal(" -3 ")).toEqual({ units: -3n, scale: 0 });
    expect(parseDecimal(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(formatDecimal(d("0.05"))).toBe("0.05");
    expect(formatDecimal(d("-0.05"))).toBe("-0.05");
    expect(formatDecimal(d("751"))).toBe("751");
  });

  it("rejects anything that is not a plain decimal", () => {
    for (const value of [
      "",
      "1,5",
      "1e3",
      "12.",
      ".5",
      "abc",
      "1.2.3",
      "5 EUR",
      Number.NaN,
      Infinity,
      1e21,
      null,
      {},
      [],
    ]) {
      expect(parseDecimal(value)).toBeNull();
    }
  });

  it("property: formatting a parsed decimal string gives the same number back", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        (units, scale) => {
          const text = formatDecimal({ units, scale });
          expect(parseDecimal(text)).toEqual({ units, scale });
        },
      ),
    );
  });
});

describe("rounding and comparison", () => {
  it("rounds halves away from zero, exactly", () => {
    expect(formatDecimal(roundDecimal(d("1.005"), 2))).toBe("1.01"); // 1.005 * 100 is 100.4999... in floating point
    expect(formatDecimal(roundDecimal(d("751.25"), 0))).toBe("751");
    expect(formatDecimal(roundDecimal(d("751.5"), 0))).toBe("752");
    expect(formatDecimal(roundDecimal(d("-2.5"), 0))).toBe("-3");
    expect(formatDecimal(roundDecimal(d("3"), 2))).toBe("3.00");
  });

  it("compares across scales", () => {
    expect(compareDecimals(d("50"), d("50.00"))).toBe(0);
    expect(compareDecimals(d("49.99"), d("50"))).toBe(-1);
    expect(compareDecimals(d("3005"), d("3004.9999"))).toBe(1);
  });
});

describe("shopToCartAmount", () => {
  it("converts with presentmentCurrencyRate and rounds to the cart currency's minor unit", () => {
    expect(formatDecimal(shopToCartAmount(d("500"), d("1.0"), "JPY"))).toBe("500");
    expect(formatDecimal(shopToCartAmount(d("5.00"), d("150.25"), "JPY"))).toBe("751");
    expect(formatDecimal(shopToCartAmount(d("4.99"), d("0.9215"), "EUR"))).toBe("4.60");
    expect(formatDecimal(shopToCartAmount(d("10"), d("0.30718"), "KWD"))).toBe("3.072");
    expect(formatDecimal(shopToCartAmount(d("1000"), d("0.0066"), "USD"))).toBe("6.60");
  });
});

describe("currencyMinorUnits", () => {
  it("agrees with Intl (what the app uses) for every currency in the Function schema's CurrencyCode", () => {
    const schemaPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "schema.graphql");
    const schema = fs.readFileSync(schemaPath, "utf8");
    const body = /enum CurrencyCode \{([\s\S]*?)\n\}/.exec(schema)?.[1] ?? "";
    const codes = body
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => /^[A-Z]{3}$/.test(line));
    expect(codes.length).toBeGreaterThan(150);
    const disagreements = codes.filter((code) => currencyMinorUnits(code) !== currencyDecimals(code));
    expect(disagreements).toEqual([]);
  });
});
