// Target cart.delivery-options.discounts.generate.run: the SHIPPING reward
// (percentage, fixed amount or free) on every delivery group, for buyers in
// the configured segments. Returns no operations for anyone else, and for any
// input or configuration it cannot read: it never throws.
import {
  DeliveryDiscountSelectionStrategy,
  DiscountClass,
  type CartDeliveryOptionsDiscountsGenerateRunResult,
  type CartDeliveryOptionsInput,
} from "../generated/api";
import { evaluateEligibility } from "./eligibility";
import { discountValue } from "./reward-value";

const NO_DISCOUNT: CartDeliveryOptionsDiscountsGenerateRunResult = { operations: [] };

export function cartDeliveryOptionsDiscountsGenerateRun(
  input: CartDeliveryOptionsInput,
): CartDeliveryOptionsDiscountsGenerateRunResult {
  try {
    return run(input);
  } catch (error) {
    console.error(`segment-discount: no discount, unexpected input (${String(error)})`);
    return NO_DISCOUNT;
  }
}

function run(input: CartDeliveryOptionsInput): CartDeliveryOptionsDiscountsGenerateRunResult {
  const groups = input.cart.deliveryGroups;
  if (groups.length === 0 || !input.discount.discountClasses.includes(DiscountClass.Shipping)) return NO_DISCOUNT;
  const eligibility = evaluateEligibility(input);
  if (!eligibility.eligible) {
    if (eligibility.reason === "invalid-configuration") {
      console.error(`segment-discount: no discount, invalid configuration: ${eligibility.problems.join(" ")}`);
    }
    return NO_DISCOUNT;
  }
  const { configuration, rate, cartCurrency } = eligibility;
  const shipping = configuration.rewards.shipping;
  if (!shipping) return NO_DISCOUNT;
  return {
    operations: [
      {
        deliveryDiscountsAdd: {
          candidates: [
            {
              ...(configuration.message === null ? {} : { message: configuration.message }),
              targets: groups.map((group) => ({ deliveryGroup: { id: group.id } })),
              value: discountValue(shipping, rate, cartCurrency),
            },
          ],
          selectionStrategy: DeliveryDiscountSelectionStrategy.All,
        },
      },
    ],
  };
}
