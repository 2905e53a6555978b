#!/usr/bin/env bash
# Installs microfilm with its test dependencies (ffprobe and chromium from Debian for
# independent probing and browser tests) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_EXTRA="ffmpeg chromium" scripts/setup.sh test
export PYTHONDONTWRITEBYTECODE=1
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
