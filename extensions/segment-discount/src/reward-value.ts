// A configured reward as the Function API's value: percentages pass through,
// fixed amounts go from the shop's currency into the cart's currency (rounded
// to its minor unit) as Decimal strings, which is how Shopify serializes
// Decimal ("751", "12.50").
import type { RewardValue } from "./configuration";
import { formatDecimal, parseDecimal, shopToCartAmount, type Decimal } from "./money";

export type DiscountValue = { percentage: { value: number } } | { fixedAmount: { amount: string } };

export function discountValue(reward: RewardValue, rate: Decimal, cartCurrency: string): DiscountValue {
  if ("percentage" in reward) return { percentage: { value: reward.percentage } };
  const shopAmount = parseDecimal(reward.fixedAmount) as Decimal; // validated by parseConfiguration
  return { fixedAmount: { amount: formatDecimal(shopToCartAmount(shopAmount, rate, cartCurrency)) } };
}
