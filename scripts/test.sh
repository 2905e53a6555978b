#!/usr/bin/env bash
# Installs microfilm with its test dependencies (ffprobe and chromium from Debian for
# independent probing and browser tests) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every optional provider SDK is installed so their clients are tested against the fakes;
# torch 2.13.0 (CPU) comes from the wheel this machine kind keeps on disk.
APT_EXTRA="ffmpeg chromium postgresql" scripts/setup.sh test,studio,c2pa,openai,anthropic,google,runway,replicate,elevenlabs,diffusers,ray
export PYTHONDONTWRITEBYTECODE=1
.venv/bin/lint-imports  # the layer contract in pyproject.toml: an import back up fails CI
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
