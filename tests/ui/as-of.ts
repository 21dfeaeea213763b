/**
 * Import FIRST: the app computes segments "as of" this instant (SEGMENTS_AS_OF),
 * so the pages' previews and dry runs agree with the recomputes a test runs.
 * Set before any app module reads (and caches) the environment.
 */
export const AS_OF = "2026-01-01T00:00:00Z";
process.env.SEGMENTS_AS_OF = AS_OF;
