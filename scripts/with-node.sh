#!/usr/bin/env bash
# Runs a command with Node >= 22.12 and the project's packages installed.
# The machine's Node may be older (the Shopify stack refuses Node 20), so a
# Node 22 from the npm registry is installed into the git-ignored .tools/
# folder when needed (docs/decisions/001-toolchain-node-22.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! node_ok; then
  export PATH="$root/.tools/node_modules/.bin:$PATH"
  if ! node_ok; then
    echo "Node $(node --version 2>/dev/null || echo none) is older than 22.12: installing Node 22 into .tools/ (once)" >&2
    # Use whatever npm there is to fetch the `node` package from the registry.
    PATH="${PATH#"$root/.tools/node_modules/.bin:"}" npm install --prefix "$root/.tools" --no-save --no-audit --no-fund node@22 >&2
  fi
fi

# Install (or re-install) the project's packages when the lockfile changed.
stamp="node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -d node_modules/.prisma/client ]; then
  echo "Installing packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi

export PATH="$root/node_modules/.bin:$PATH"
exec "$@"
