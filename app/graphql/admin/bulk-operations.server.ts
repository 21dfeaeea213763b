/** Bulk operations: exports (backfill) and bulk mutations (tag write-back). */

// 2026-04's default, groupObjects: false, writes child lines anywhere in the
// JSONL; the backfill joins them by __parentId (app/stores/bulk-staging.server.ts).
export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation BulkOperationRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        rootObjectCount
        fileSize
        url
        partialDataUrl
        createdAt
        completedAt
      }
    }
  }
`;

/**
 * The app's newest bulk exports (newest first), to find one still running:
 * an export a crashed worker started before it could save the operation's id.
 * (currentBulkOperation is deprecated in 2026-04.)
 */
export const RECENT_BULK_QUERIES = `#graphql
  query RecentBulkQueries {
    bulkOperations(first: 10, query: "operation_type:query", sortKey: CREATED_AT) {
      nodes { id status query createdAt }
    }
  }
`;

export const STAGED_UPLOADS_CREATE = `#graphql
  mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }
`;

export const BULK_OPERATION_RUN_MUTATION = `#graphql
  mutation BulkOperationRunMutation($mutation: String!, $stagedUploadPath: String!) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;
