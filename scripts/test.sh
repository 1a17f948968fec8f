#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, type check, build, the real test
# images (built once and cached), then every *.test.ts with Node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== lint" >&2
npx eslint .
echo "== type check" >&2
npx tsc -p tsconfig.json --noEmit
echo "== build" >&2
npm run build --silent
echo "== test packages and images" >&2
bash scripts/test-packages.sh
bash scripts/test-fixtures.sh
echo "== tests" >&2
mapfile -t files < <(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found" >&2
  exit 1
fi
exec node --import tsx --test --test-reporter=spec "${files[@]}"
