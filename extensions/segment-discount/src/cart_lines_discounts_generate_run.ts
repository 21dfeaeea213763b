// Target cart.lines.discounts.generate.run: the PRODUCT reward (off every
// cart line) and the ORDER reward (off the order subtotal) for buyers in the
// configured segments. Returns no operations for anyone else, and for any
// input or configuration it cannot read: it never throws.
import {
  DiscountClass,
  OrderDiscountSelectionStrategy,
  ProductDiscountSelectionStrategy,
  type CartLinesInput,
  type CartLinesDiscountsGenerateRunResult,
  type CartOperation,
} from "../generated/api";
import { evaluateEligibility } from "./eligibility";
import { discountValue } from "./reward-value";

const NO_DISCOUNT: CartLinesDiscountsGenerateRunResult = { operations: [] };

export function cartLinesDiscountsGenerateRun(input: CartLinesInput): CartLinesDiscountsGenerateRunResult {
  try {
    return run(input);
  } catch (error) {
    console.error(`segment-discount: no discount, unexpected input (${String(error)})`);
    return NO_DISCOUNT;
  }
}

function run(input: CartLinesInput): CartLinesDiscountsGenerateRunResult {
  const lines = input.cart.lines;
  if (lines.length === 0) return NO_DISCOUNT;
  const classes = input.discount.discountClasses;
  const eligibility = evaluateEligibility(input);
  if (!eligibility.eligible) {
    if (eligibility.reason === "invalid-configuration") {
      console.error(`segment-discount: no discount, invalid configuration: ${eligibility.problems.join(" ")}`);
    }
    return NO_DISCOUNT;
  }
  const { configuration, rate, cartCurrency } = eligibility;
  const message = configuration.message === null ? {} : { message: configuration.message };
  const operations: CartOperation[] = [];

  const order = configuration.rewards.order;
  if (order && classes.includes(DiscountClass.Order)) {
    operations.push({
      orderDiscountsAdd: {
        candidates: [
          {
            ...message,
            targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
            value: discountValue(order, rate, cartCurrency),
          },
        ],
        selectionStrategy: OrderDiscountSelectionStrategy.First,
      },
    });
  }

  const product = configuration.rewards.product;
  if (product && classes.includes(DiscountClass.Product)) {
    const value = discountValue(product, rate, cartCurrency);
    operations.push({
      productDiscountsAdd: {
        candidates: [
          {
            ...message,
            targets: lines.map((line) => ({ cartLine: { id: line.id } })),
            value:
              "fixedAmount" in value && "appliesToEachItem" in product
                ? { fixedAmount: { ...value.fixedAmount, appliesToEachItem: product.appliesToEachItem } }
                : value,
          },
        ],
        selectionStrategy: ProductDiscountSelectionStrategy.First,
      },
    });
  }
  return { operations };
}
