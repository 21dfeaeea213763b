#!/usr/bin/env bash
# Runs a command with Node >= 22.12 and the project's packages installed.
# The machine's Node may be older (the Shopify stack refuses Node 20), so
# Node 22 comes from the npm registry into the git-ignored .tools/ folder,
# together with npm 10.9 for the installs. The lockfile lists every platform's
# optional packages (written by npm 11), so plain `npm ci` under npm 10 and
# npm 11 both accept it; npm 10 is kept here because it runs the install
# scripts that npm 11 asks to approve (package.json "allowScripts" approves
# them for npm 11 users). See docs/decisions/001-remix-template-and-node-22.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="$root/.tools/node_modules/.bin"
NPM_VERSION="10.9.9"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if [ ! -x "$tools/node" ] || [ "$(grep -s '"version"' "$root/.tools/node_modules/npm/package.json" | head -1 | tr -dc '0-9.')" != "$NPM_VERSION" ]; then
  echo "Installing Node 22 and npm $NPM_VERSION into .tools/ (once)" >&2
  npm install --prefix "$root/.tools" --no-save --no-audit --no-fund node@22 "npm@$NPM_VERSION" >&2
fi
node_ok || export PATH="$tools:$PATH"
if ! node_ok; then
  echo "Could not get Node >= 22.12 (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# Install (or re-install) the project's packages when the lockfile changed.
stamp="node_modules/.package-lock.json"
# The stamp alone is not enough: a copied or interrupted node_modules can hold
# it while missing packages, so the tools every command needs are checked too.
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -d node_modules/.prisma/client ] ||
  [ ! -x node_modules/.bin/tsx ] || [ ! -x node_modules/.bin/vitest ] || [ ! -x node_modules/.bin/remix ]; then
  echo "Installing packages (npm ci)" >&2
  "$tools/npm" ci --no-audit --no-fund >&2
fi

export PATH="$root/node_modules/.bin:$PATH"
exec "$@"
