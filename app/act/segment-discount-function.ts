// The app's side of the segment Discount Function
// (extensions/segment-discount): its handle, and the extension's own
// dependency-free modules, imported as they are so the app writes exactly the
// configuration the Function validates and records exactly the hold-out split
// the Function makes (ADR 017).
export {
  discountMetafields,
  type DiscountClassName,
  type MetafieldInput,
} from "../../extensions/segment-discount/src/metafields";
export { isHeldOut } from "../../extensions/segment-discount/src/holdout";
export { MAX_HOLDOUT_PERCENTAGE } from "../../extensions/segment-discount/src/configuration";

/**
 * The handle in extensions/segment-discount/shopify.extension.toml: discount
 * mutations name the Function by it (`functionHandle`). A test checks the two
 * agree.
 */
export const SEGMENT_DISCOUNT_FUNCTION_HANDLE = "segment-discount";
