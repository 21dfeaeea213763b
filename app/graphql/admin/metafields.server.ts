/** Customer metafields in the app's namespace ($app:segments) and their definitions. */

export const METAFIELD_DEFINITION_CREATE = `#graphql
  mutation SegmentMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition { id namespace key }
      userErrors { field message code }
    }
  }
`;

export const METAFIELDS_SET = `#graphql
  mutation SegmentMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { key }
      userErrors { field message code }
    }
  }
`;

/** One JSONL line per group of at most 25 metafields (bulkOperationRunMutation). */
export const METAFIELDS_SET_BULK = `#graphql
  mutation SegmentMetafieldsSetBulk($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      userErrors { field message code }
    }
  }
`;
