#!/usr/bin/env bash
# The type check, eslint and prettier side by side: each is mostly one thread,
# so together they take about as long as the slowest. Each keeps a cache under
# node_modules/.cache, so that a second run checks only what changed.
# Prints each check's output after it ends; fails when any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
cache=node_modules/.cache/static-checks
mkdir -p "$cache"
npx tsc -p tsconfig.json --noEmit --incremental --tsBuildInfoFile "$cache/tsconfig.tsbuildinfo" >"$cache/typecheck.out" 2>&1 &
typecheck=$!
npx eslint --cache --cache-location "$cache/eslint" . >"$cache/eslint.out" 2>&1 &
eslint=$!
npm run --silent format:check -- --cache --cache-location "$cache/prettier" >"$cache/prettier.out" 2>&1 &
prettier=$!
failed=0
for check in typecheck eslint prettier; do
  if ! wait "${!check}"; then
    echo "== $check failed:" >&2
    cat "$cache/$check.out" >&2
    failed=1
  fi
done
exit "$failed"
