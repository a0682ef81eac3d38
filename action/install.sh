#!/usr/bin/env bash
# The Action's install step: `npm install --global` of $CROSSFIRE_PACKAGE (a registry spec, or a
# tarball URL or path), or, when it is empty, of this action's own copy packed with `npm pack`
# (which compiles the CLI and builds the replay app). Prints the installed version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${CROSSFIRE_PACKAGE:-}" ]; then
  npm install --global --no-audit --no-fund "$CROSSFIRE_PACKAGE"
else
  out="$(mktemp -d)"
  (cd "$here" && npm ci --no-audit --no-fund && npm pack --pack-destination "$out")
  npm install --global --no-audit --no-fund "$out"/crossfire-*.tgz
fi
crossfire --version
