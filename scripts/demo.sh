#!/usr/bin/env bash
# The quick-start demo: build the sample images once (a real Debian 12 made
# with debootstrap, plus an application layer of npm packages), list what is
# inside the application image, then scan it against the sample advisories
# the project ships (demo/advisories), in a DB of its own, and check the
# sample deployment files (demo/config) for misconfigurations and secrets.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-packages.sh >&2
bash scripts/test-fixtures.sh >&2
archive=$(node --import tsx scripts/fixture-path.ts node.dockerArchive)
db=$(mktemp -d)/demo.db
trap 'rm -rf "$(dirname "$db")"' EXIT
node dist/cli/main.js sbom "docker-archive:$archive" --format table "$@"
echo
node dist/cli/main.js db import demo/advisories --db "$db" --quiet
echo
node dist/cli/main.js image "docker-archive:$archive" --db "$db" --format table --quiet
echo
node dist/cli/main.js config demo/config --format table --quiet
