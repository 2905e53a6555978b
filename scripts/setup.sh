#!/usr/bin/env bash
# Installs what microfilm needs on a fresh Debian machine: a CJK font (libass and Pillow
# draw nothing for Chinese without one), a virtual environment, and the package.
# Usage: scripts/setup.sh [extra ...]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
# grep reads all of fc-list (no -q): with pipefail an early exit would SIGPIPE fc-list and
# read as "no CJK font".
fc-list 2>/dev/null | grep -i "CJK" >/dev/null || need_apt+=(fonts-noto-cjk)
for pkg in ${APT_EXTRA:-}; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then need_apt+=("$pkg"); fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "please install: ${need_apt[*]} (Debian/Ubuntu package names)" >&2
  fi
fi
python3 -m venv .venv
extras="${1:-}"
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e "$spec"
