import { describe, expect, it } from "vitest";
import { currencyExponent, toMinor } from "./money";

describe("money", () => {
  it("knows each currency's minor-unit exponent, asked once or many times", () => {
    for (let i = 0; i < 3; i++) {
      expect(currencyExponent("GBP")).toBe(2);
      expect(currencyExponent("JPY")).toBe(0);
      expect(currencyExponent("KWD")).toBe(3);
      expect(currencyExponent("not a code")).toBe(2);
    }
  });

  it("converts decimal strings and numbers to integer minor units", () => {
    expect(toMinor("42.50", "GBP")).toBe(4250);
    expect(toMinor("-3", "GBP")).toBe(-300);
    expect(toMinor("0.105", "GBP")).toBe(11);
    expect(toMinor("1500", "JPY")).toBe(1500);
    expect(toMinor("1.2345", "KWD")).toBe(1235);
    expect(toMinor(12.5, "USD")).toBe(1250);
    expect(toMinor(null, "GBP")).toBe(0);
    expect(() => toMinor("12,50", "GBP")).toThrow(/Not a money amount/);
  });
});
