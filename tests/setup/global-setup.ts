// Filled in by the foundation work: ensures PostgreSQL and the queue backend
// are reachable and the template database is migrated before any test file.
export default async function setup(): Promise<void> {}
