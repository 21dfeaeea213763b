import { describe, expect, it } from "vitest";
import { mayHaveLostDigits, parseExactJson, parseExactJsonBytes } from "./exact-json";

describe("parseExactJson", () => {
  it("keeps the digits of integers above 2^53 and leaves other values as JSON.parse does", () => {
    const text =
      '{"id":820982911946154508,"small":42,"price":"12.50","rate":0.2,"neg":-9007199254740993,"big":1e300,"list":[9007199254740993,1],"n":null}';
    const parsed = parseExactJson(text) as Record<string, unknown>;
    expect(parsed.id).toBe(820982911946154508n);
    expect(parsed.neg).toBe(-9007199254740993n);
    expect(parsed.list).toEqual([9007199254740993n, 1]);
    expect(parsed.small).toBe(42);
    expect(parsed.price).toBe("12.50");
    expect(parsed.rate).toBe(0.2);
    expect(parsed.big).toBe(1e300);
    expect(parsed.n).toBeNull();
    // What JSON.parse would have given: another id.
    expect(String((JSON.parse(text) as { id: number }).id)).not.toBe("820982911946154508");
  });

  it("reads UTF-8 bytes and rejects what is not JSON", () => {
    expect(parseExactJsonBytes(new TextEncoder().encode('{"title":"Café","id":9007199254740993}'))).toEqual({
      title: "Café",
      id: 9007199254740993n,
    });
    expect(() => parseExactJson("{not json")).toThrow(SyntaxError);
  });

  it("reuses an already parsed body only when no number can have lost digits", () => {
    const safe = '{"id":5000001001,"order_id":9007199254740991,"lines":[{"id":7000000001,"price":"1.50"}]}';
    const parsed = JSON.parse(safe);
    expect(mayHaveLostDigits(parsed)).toBe(false);
    expect(parseExactJsonBytes(new TextEncoder().encode(safe), parsed)).toBe(parsed);
    for (const big of ['{"id":820982911946154508}', '{"a":[{"b":{"c":-9007199254740993}}]}']) {
      expect(mayHaveLostDigits(JSON.parse(big)), big).toBe(true);
      expect(parseExactJsonBytes(new TextEncoder().encode(big), JSON.parse(big))).toEqual(parseExactJson(big));
    }
    expect(parseExactJsonBytes(new TextEncoder().encode('{"id":820982911946154508}'))).toEqual({
      id: 820982911946154508n,
    });
  });
});
