#!/usr/bin/env bash
# `npm install` / `npm ci`: generate the Prisma client. A production install
# (`npm ci --omit=dev`) has no Prisma CLI; there the generated client comes
# from the build stage (Dockerfile: the pruned node_modules of the built tree).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$root/node_modules/.bin/prisma" ]; then
  exec bash "$root/scripts/prisma.sh" generate
fi
echo "postinstall: no Prisma CLI (production install); using the Prisma client generated at build time"
