#!/usr/bin/env bash
# The quick-start demo: build the sample images once (a real Debian 12 made
# with debootstrap, plus an application layer of npm packages), then list
# what is inside the application image. Extra arguments go to `sbom`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-packages.sh >&2
bash scripts/test-fixtures.sh >&2
archive=$(node --import tsx scripts/fixture-path.ts node.dockerArchive)
exec node dist/cli/main.js sbom "docker-archive:$archive" "$@"
