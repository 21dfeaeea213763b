#!/usr/bin/env bash
# Proves the README's embedded default: `npm run demo -- --once` on a machine
# with neither PostgreSQL nor Redis prints its JSON line, with nothing at
# error level on stderr. Acts out such a machine by pointing the local stack
# at closed ports (LOCAL_POSTGRES_PORT, LOCAL_REDIS_PORT; DATABASE_URL,
# REDIS_URL and QUEUE_BACKEND unset), so it starts an embedded PostgreSQL on
# the first and puts the job queue in PostgreSQL (BullMQ's backend).
#   bash scripts/check-demo-offline.sh            # exit 0 when it holds
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
pg_port="$(free_port)"
redis_port="$(free_port)"
web_port="$(free_port)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "demo with PostgreSQL looked for on :$pg_port and Redis on :$redis_port (both closed), app on :$web_port" >&2
start=$(date +%s)
set +e
env -u DATABASE_URL -u REDIS_URL -u QUEUE_BACKEND \
  LOCAL_POSTGRES_PORT="$pg_port" LOCAL_REDIS_PORT="$redis_port" PORT="$web_port" \
  npm run --silent demo -- --once >"$out/stdout" 2>"$out/stderr"
code=$?
set -e
seconds=$(($(date +%s) - start))

fail() {
  echo "FAIL: $1" >&2
  echo "--- stderr ---" >&2
  cat "$out/stderr" >&2
  exit 1
}
[ "$code" -eq 0 ] || fail "the demo exited with $code"
line="$(tail -n 1 "$out/stdout")"
node -e 'const s=JSON.parse(process.argv[1]); if(!(s.customers>0&&s.orders>0)) process.exit(1)' "$line" ||
  fail "the last line of stdout is not the demo's JSON summary: $line"
grep -q "embedded PostgreSQL" "$out/stdout" "$out/stderr" || fail "no embedded PostgreSQL was started"
# Nothing at error level: no pino line of level 50/60, no "error"/"deadlock"/"failed" line, no stack trace.
if grep -Eiq '"level":(50|60)|deadlock|\berror\b|\bfailed\b|^\s+at ' "$out/stderr"; then
  fail "stderr has lines at error level"
fi
grep -q "QUEUE_BACKEND\|PostgreSQL" .data/demo/worker.log || fail "the worker log is not in .data/demo/worker.log"
grep -q "queue backend: PostgreSQL" .data/demo/worker.log || fail "the worker did not use the PostgreSQL queue backend"
deadlocks=$(grep -c "deadlock" .data/demo/worker.log || true)
failed=$(grep -c '"msg":"job failed"' .data/demo/worker.log || true)
echo "OK in ${seconds}s: $line" >&2
echo "stderr lines: $(wc -l <"$out/stderr"); worker.log: $deadlocks deadlock lines, $failed failed job attempts" >&2
