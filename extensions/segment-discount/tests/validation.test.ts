// The fixture checks only mean something if they reject what Shopify would
// reject: these cases prove that the input and output validation bite.
import { describe, expect, it } from "vitest";
import { inputErrors, outputErrors } from "./harness";

const LINES = "cart.lines.discounts.generate.run";
const DELIVERY = "cart.delivery-options.discounts.generate.run";

function validLinesInput() {
  return {
    cart: {
      buyerIdentity: {
        customer: { id: "gid://shopify/Customer/1", inSegmentByTag: true, segmentHandles: null },
      },
      cost: { subtotalAmount: { amount: "10.0", currencyCode: "USD" } },
      lines: [{ id: "gid://shopify/CartLine/1" }],
    },
    discount: { discountClasses: ["PRODUCT"], configuration: null },
    presentmentCurrencyRate: "1.0",
  };
}

describe("input validation", () => {
  it("accepts a possible result of the input query", async () => {
    expect(await inputErrors(LINES, validLinesInput())).toEqual([]);
  });

  it("rejects a field the query does not select", async () => {
    const input = validLinesInput();
    Object.assign(input.cart.lines[0], { quantity: 1 });
    expect((await inputErrors(LINES, input)).join("\n")).toContain("Extra field `quantity`");
  });

  it("rejects a selected field that is missing", async () => {
    const input = validLinesInput();
    delete (input.cart.cost.subtotalAmount as Partial<typeof input.cart.cost.subtotalAmount>).currencyCode;
    expect((await inputErrors(LINES, input)).join("\n")).toContain("Missing expected fixture data for `currencyCode`");
  });

  it("reports (rather than crashes on) a missing top-level field", async () => {
    const input: Partial<ReturnType<typeof validLinesInput>> = validLinesInput();
    delete input.presentmentCurrencyRate;
    expect(await inputErrors(LINES, input)).not.toEqual([]);
  });

  it("rejects a value of the wrong type", async () => {
    const input = validLinesInput();
    Object.assign(input.cart.cost.subtotalAmount, { amount: "10,50", currencyCode: "DOLLARS" });
    const errors = (await inputErrors(LINES, input)).join("\n");
    expect(errors).toContain("Decimal cannot represent");
    expect(errors).toContain("DOLLARS");
  });

  it("rejects the lines target's fields in the delivery target's input", async () => {
    expect((await inputErrors(DELIVERY, validLinesInput())).join("\n")).toContain("Extra field `lines`");
  });
});

describe("output validation", () => {
  const candidate = {
    targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
    value: { percentage: { value: 10 } },
  };

  it("accepts a valid result", async () => {
    const output = { operations: [{ orderDiscountsAdd: { candidates: [candidate], selectionStrategy: "FIRST" } }] };
    expect(await outputErrors(LINES, output)).toEqual([]);
  });

  it("rejects an operation of the other target", async () => {
    const output = { operations: [{ deliveryDiscountsAdd: { candidates: [], selectionStrategy: "ALL" } }] };
    expect((await outputErrors(LINES, output)).join("\n")).toContain("deliveryDiscountsAdd");
  });

  it("rejects two values in a @oneOf input", async () => {
    const value = { percentage: { value: 10 }, fixedAmount: { amount: "5.00" } };
    const output = {
      operations: [{ orderDiscountsAdd: { candidates: [{ ...candidate, value }], selectionStrategy: "FIRST" } }],
    };
    expect((await outputErrors(LINES, output)).join("\n")).toMatch(/exactly one key/i);
  });

  it("rejects a missing selection strategy and a malformed Decimal", async () => {
    const value = { fixedAmount: { amount: "5 EUR" } };
    const output = { operations: [{ orderDiscountsAdd: { candidates: [{ ...candidate, value }] } }] };
    const errors = (await outputErrors(LINES, output)).join("\n");
    expect(errors).toContain("selectionStrategy");
    expect(errors).toContain("Decimal cannot represent");
  });

  it("rejects an unknown enum value", async () => {
    const output = { operations: [{ orderDiscountsAdd: { candidates: [candidate], selectionStrategy: "ALL" } }] };
    expect((await outputErrors(LINES, output)).join("\n")).toContain("ALL");
  });
});
