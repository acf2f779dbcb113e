#!/usr/bin/env bash
# The handler, items, client, package and runtime conformance tests on each supported Node besides
# the machine's own, with the binaries of the npm registry's `node` package.
# NODE_VERSIONS="22 24" by default; extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
TESTS=(test/adapters/express/handler.test.ts test/items/items.test.ts test/client/*.test.ts test/project/package.test.ts test/adapters/conformance.test.ts)
for version in ${NODE_VERSIONS:-22 24}; do
  actual=$(npx -y -p "node@$version" node -p 'process.versions.node')
  if [[ "${actual%%.*}" != "$version" ]]; then
    echo "asked for Node $version, got $actual" >&2
    exit 1
  fi
  echo "== Node $actual"
  npx -y -p "node@$version" node node_modules/jest/bin/jest.js "${TESTS[@]}" "$@"
done
