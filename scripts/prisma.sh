#!/usr/bin/env bash
# Runs the project's own Prisma CLI with the offline schema-engine stand-in
# (scripts/prisma-engine/schema-engine.mjs) instead of the native binary that
# Prisma would download from binaries.prisma.sh. Use it for every prisma call:
#   bash scripts/prisma.sh migrate deploy
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PRISMA_SCHEMA_ENGINE_BINARY="$root/scripts/prisma-engine/schema-engine.mjs"
# Prisma would otherwise try to reach its telemetry/update servers.
export CHECKPOINT_DISABLE="${CHECKPOINT_DISABLE:-1}"
exec "$root/node_modules/.bin/prisma" "$@"
