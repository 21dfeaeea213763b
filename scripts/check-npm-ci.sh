#!/usr/bin/env bash
# Proves the install route every host uses: `npm ci` in a fresh clone of the
# committed tree succeeds with npm 10 (the .tools/ npm scripts/with-node.sh
# installs) and with npm 11 (the system npm, or NPM11 if given). Prints, per
# npm, its version, the exit code, the seconds and the packages installed.
#   bash scripts/check-npm-ci.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm10="$root/.tools/node_modules/.bin/npm"
node22="$root/.tools/node_modules/.bin/node"
NPM11="${NPM11:-/usr/lib/node_modules/npm/bin/npm-cli.js}"
[ -x "$npm10" ] || { echo "No npm 10 in .tools/: run any npm script once (scripts/with-node.sh installs it)" >&2; exit 1; }
[ -f "$NPM11" ] || { echo "No npm 11 at $NPM11 (set NPM11 to its npm-cli.js)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for npm in "npm10:$npm10" "npm11:$node22 $NPM11"; do
  name="${npm%%:*}"
  cmd="${npm#*:}"
  clone="$work/$name"
  git clone --quiet --no-local "$root" "$clone"
  version="$(cd "$clone" && PATH="$root/.tools/node_modules/.bin:$PATH" $cmd --version)"
  start=$(date +%s)
  set +e
  (cd "$clone" && PATH="$root/.tools/node_modules/.bin:$PATH" $cmd ci --no-audit --no-fund >"$work/$name.log" 2>&1)
  code=$?
  set -e
  seconds=$(($(date +%s) - start))
  packages=$(find "$clone/node_modules" -name package.json -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*/node_modules/*' 2>/dev/null | wc -l)
  echo "npm $version: npm ci exit $code in ${seconds}s, $packages package.json files under node_modules"
  if [ "$code" -ne 0 ]; then
    status=1
    tail -n 30 "$work/$name.log"
  fi
  rm -rf "$clone"
done
exit $status
