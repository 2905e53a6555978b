#!/usr/bin/env bash
# Installs microfilm and makes an example film with the embedded (offline) providers.
# Usage: scripts/make-example.sh [examples/the-last-bus | examples/grandma-dumplings]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
example="${1:-examples/the-last-bus}"
.venv/bin/microfilm make "$example"
echo "film: $example/out/film.mp4"
