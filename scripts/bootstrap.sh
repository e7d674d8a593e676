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
# System tools the tests use, installed when missing (as root, with apt): DejaVu Sans for the
# official forms (dvc_common.pdf), PgBouncer (tests/deploy/test_pgbouncer.py) and promtool from the
# prometheus package (tests/deploy/test_observability.py checks the alert rules with it).
missing=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # policy-rc.d (Debian containers) keeps the pgbouncer and prometheus daemons from starting.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; } \
      || echo "could not install ${missing[*]}: the tests that need them are skipped" >&2
  else
    echo "install ${missing[*]} (Debian packages) for the tests that need them" >&2
  fi
fi
