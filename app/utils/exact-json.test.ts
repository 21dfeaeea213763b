import { describe, expect, it } from "vitest";
import { mayLoseDigits, parseExactJson, parseExactJsonBytes } from "./exact-json";

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
    const small = '{"id":5000001001,"order_id":9007199254740991}';
    const already = JSON.parse(small);
    expect(mayLoseDigits(small)).toBe(true); // 16 digits: checked exactly, conservatively
    const thirteen = '{"id":5000001001,"customer":{"id":7000000001}}';
    const parsed = JSON.parse(thirteen);
    expect(mayLoseDigits(thirteen)).toBe(false);
    expect(parseExactJsonBytes(new TextEncoder().encode(thirteen), parsed)).toBe(parsed);
    const big = '{"id":820982911946154508}';
    expect(parseExactJsonBytes(new TextEncoder().encode(big), JSON.parse(big))).toEqual({ id: 820982911946154508n });
    expect(parseExactJsonBytes(new TextEncoder().encode(small), already)).toEqual({
      id: 5000001001,
      order_id: 9007199254740991,
    });
  });
});
