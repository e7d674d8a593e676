#!/usr/bin/env bash
# Create .venv (Python 3.11+; VENV=path for another) and install every package of the repository
# into it, editable, with every third-party package from requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip)
# Every third-party package (pip, setuptools and uv included) exactly as pinned and hashed in
# requirements.lock, the lock the images install from too (deploy/README.md, "Lock file").
"${PIP[@]}" install -q --require-hashes --no-deps -r requirements.lock
# Then our own packages, editable (the -e lines of requirements-dev.txt; everything else there is
# in the lock, which tests/deploy/test_lock.py checks), and no dependency may be missing.
"${PIP[@]}" install -q --no-deps --no-build-isolation -r requirements-dev.txt
"${PIP[@]}" check
# intake's slips (Mẫu 01/02/03) need a TrueType font with Vietnamese glyphs (DejaVu Sans).
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get install -y -q fonts-dejavu-core || echo "install fonts-dejavu-core for intake's slips" >&2
fi
