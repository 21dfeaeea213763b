/** Native Shopify customer segments mirroring the app's tags (optional per segment). */

export const SEGMENT_CREATE = `#graphql
  mutation SegmentMirrorCreate($name: String!, $query: String!) {
    segmentCreate(name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export const SEGMENT_UPDATE = `#graphql
  mutation SegmentMirrorUpdate($id: ID!, $name: String, $query: String) {
    segmentUpdate(id: $id, name: $name, query: $query) {
      segment { id name query }
      userErrors { field message }
    }
  }
`;

export const SEGMENT_DELETE = `#graphql
  mutation SegmentMirrorDelete($id: ID!) {
    segmentDelete(id: $id) {
      deletedSegmentId
      userErrors { field message }
    }
  }
`;

export const SEGMENTS_LIST = `#graphql
  query SegmentMirrorList($after: String) {
    segments(first: 250, after: $after) {
      nodes { id name query }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
