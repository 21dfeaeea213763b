import { BlockStack, Text } from "@shopify/polaris";

/**
 * One labelled figure (a count, an amount, a score): the label subdued above
 * the value. `heading` keeps the page's outline (a figure directly under the
 * page title is an h2, one inside a card an h3).
 */
export function Figure({
  label,
  value,
  heading = "h3",
  size = "headingLg",
}: {
  label: string;
  value: string;
  heading?: "h2" | "h3";
  size?: "headingLg" | "headingMd";
}) {
  return (
    <BlockStack gap="100">
      <Text as={heading} tone="subdued">
        {label}
      </Text>
      <Text as="p" variant={size}>
        {value}
      </Text>
    </BlockStack>
  );
}
