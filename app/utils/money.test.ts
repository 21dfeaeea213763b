import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, MAX_EXACT_MINOR, MoneyAmountError, toMinor } from "./money";

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
    expect(toMinor(".5", "GBP")).toBe(50);
  });

  it("refuses what is not a decimal amount", () => {
    for (const bad of ["12,50", "abc", "1e3", ".", "-", "12.5.0", "NaN", " 1 2"]) {
      expect(() => toMinor(bad, "GBP"), bad).toThrow(MoneyAmountError);
    }
    expect(() => toMinor(Number.NaN, "GBP")).toThrow(/Not a money amount/);
  });

  it("keeps large amounts exact up to 2^53 - 1 minor units and refuses larger ones", () => {
    // 25 million pounds: beyond the old 32-bit columns.
    expect(toMinor("25000000.01", "GBP")).toBe(2_500_000_001);
    expect(toMinor("90071992547409.91", "GBP")).toBe(MAX_EXACT_MINOR);
    expect(toMinor("9007199254740991", "JPY")).toBe(MAX_EXACT_MINOR);
    expect(() => toMinor("90071992547409.92", "GBP")).toThrow(/exceeds the largest exact amount/);
    expect(() => toMinor("9007199254740993", "JPY")).toThrow(MoneyAmountError);
    expect(() => toMinor(1e20, "GBP")).toThrow(MoneyAmountError);
  });

  it("agrees with exact decimal arithmetic on any amount within the bound", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -BigInt(MAX_EXACT_MINOR), max: BigInt(MAX_EXACT_MINOR) }),
        fc.constantFrom("GBP", "JPY", "KWD"),
        (minor, currency) => {
          const e = currencyExponent(currency);
          const abs = minor < 0n ? -minor : minor;
          const digits = abs.toString().padStart(e + 1, "0");
          const text = `${minor < 0n ? "-" : ""}${e ? `${digits.slice(0, -e)}.${digits.slice(-e)}` : digits}`;
          expect(toMinor(text, currency)).toBe(Number(minor));
        },
      ),
    );
  });
});
