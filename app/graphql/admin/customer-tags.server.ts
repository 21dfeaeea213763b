/**
 * Customer tag write-back. Small differences go out as aliased batches built
 * by app/writeback/batch.ts (`SegmentTagsBatch`); large ones as bulk mutations
 * of these single-mutation documents (one JSONL line per customer).
 */
export const CUSTOMER_TAGS_ADD_BULK = `#graphql
  mutation SegmentTagsAddBulk($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  }
`;

export const CUSTOMER_TAGS_REMOVE_BULK = `#graphql
  mutation SegmentTagsRemoveBulk($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
  }
`;
