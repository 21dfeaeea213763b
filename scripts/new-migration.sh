#!/usr/bin/env bash
# Makes the next migration from the changes in prisma/schema.prisma:
#   bash scripts/new-migration.sh add_customer_table
# `prisma migrate dev` refuses to run without a terminal, so this does what it
# does by hand: diff the migrations folder (replayed into a temporary shadow
# database) against the schema, and write the SQL into
# prisma/migrations/<UTC timestamp>_<name>/migration.sql. Review the file, then
# apply it with `npm run migrate`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:-}"
if [[ ! "$name" =~ ^[a-z0-9_]+$ ]]; then
  echo "usage: scripts/new-migration.sh NAME   (NAME: lowercase letters, digits, _)" >&2
  exit 2
fi
# The diff only reads the server and replays migrations into a throwaway
# database, so any reachable PostgreSQL will do.
export DATABASE_URL="${DATABASE_URL:-postgresql://root@127.0.0.1:5432/postgres}"

migrations="$root/prisma/migrations"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
bash "$root/scripts/prisma.sh" migrate diff \
  --from-migrations "$migrations" --to-schema "$root/prisma/schema.prisma" \
  --script --output "$tmp" >/dev/null

if ! grep -qv '^\s*\(--.*\)\?$' "$tmp"; then
  echo "prisma/schema.prisma matches the migrations: no new migration needed."
  exit 0
fi
dir="$migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir "$dir"
mv "$tmp" "$dir/migration.sql"
chmod 644 "$dir/migration.sql"
echo "Created ${dir#"$root"/}/migration.sql — review it, then run: npm run migrate"
