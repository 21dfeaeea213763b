#!/usr/bin/env bash
# The test command (npm test): the whole vitest suite against real PostgreSQL
# and Redis, which tests/setup/global-setup.ts starts when they are absent.
set -euo pipefail
exec vitest run "$@"
