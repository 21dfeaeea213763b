/** Segment discounts: app discounts backed by the segment Discount Function (app/act). */

// Written out in full in each document: codegen types a document by its
// literal text, which interpolation would hide.

export const SEGMENT_DISCOUNT_AUTOMATIC_CREATE = `#graphql
  mutation SegmentDiscountAutomaticCreate($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId title status startsAt endsAt discountClasses
        combinesWith { productDiscounts orderDiscounts shippingDiscounts }
        appDiscountType { functionId } }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_CODE_CREATE = `#graphql
  mutation SegmentDiscountCodeCreate($discount: DiscountCodeAppInput!) {
    discountCodeAppCreate(codeAppDiscount: $discount) {
      codeAppDiscount { discountId title status startsAt endsAt discountClasses
        combinesWith { productDiscounts orderDiscounts shippingDiscounts }
        appDiscountType { functionId } }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_AUTOMATIC_UPDATE = `#graphql
  mutation SegmentDiscountAutomaticUpdate($id: ID!, $discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
      automaticAppDiscount { discountId title status startsAt endsAt discountClasses
        combinesWith { productDiscounts orderDiscounts shippingDiscounts }
        appDiscountType { functionId } }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_CODE_UPDATE = `#graphql
  mutation SegmentDiscountCodeUpdate($id: ID!, $discount: DiscountCodeAppInput!) {
    discountCodeAppUpdate(id: $id, codeAppDiscount: $discount) {
      codeAppDiscount { discountId title status startsAt endsAt discountClasses
        combinesWith { productDiscounts orderDiscounts shippingDiscounts }
        appDiscountType { functionId } }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_AUTOMATIC_ACTIVATE = `#graphql
  mutation SegmentDiscountAutomaticActivate($id: ID!) {
    discountAutomaticActivate(id: $id) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_AUTOMATIC_DEACTIVATE = `#graphql
  mutation SegmentDiscountAutomaticDeactivate($id: ID!) {
    discountAutomaticDeactivate(id: $id) {
      automaticDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_CODE_ACTIVATE = `#graphql
  mutation SegmentDiscountCodeActivate($id: ID!) {
    discountCodeActivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_CODE_DEACTIVATE = `#graphql
  mutation SegmentDiscountCodeDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_AUTOMATIC_DELETE = `#graphql
  mutation SegmentDiscountAutomaticDelete($id: ID!) {
    discountAutomaticDelete(id: $id) {
      deletedAutomaticDiscountId
      userErrors { field message code }
    }
  }
`;

export const SEGMENT_DISCOUNT_CODE_DELETE = `#graphql
  mutation SegmentDiscountCodeDelete($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors { field message code }
    }
  }
`;

/** The configuration metafields alone (segments renamed or disabled, tag prefix changed), on the discount node. */
export const SEGMENT_DISCOUNT_METAFIELDS_SET = `#graphql
  mutation SegmentDiscountMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { namespace key }
      userErrors { field message code }
    }
  }
`;
