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
# pdftoppm and pdftotext (poppler-utils): the form tests render every PDF and read its text lines;
# the italic DejaVu face (fonts-dejavu-extra) for the forms' notes; Debian's Chromium for the
# portal's browser tests (Playwright drives /usr/bin/chromium; it downloads no browser of its own).
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf ] || missing+=(fonts-dejavu-extra)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# clamd (clamav-daemon) for intake's antivirus test: it runs on a signature database the test writes
# (the EICAR test signature), since freshclam has no network here.
command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
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
# axe-core for the browser tests' accessibility checks, pinned in services/portal/tests/package-lock.json.
if command -v npm >/dev/null && [ ! -f services/portal/tests/node_modules/axe-core/axe.min.js ]; then
  (cd services/portal/tests && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
    || echo "npm ci failed in services/portal/tests: the browser tests need axe-core" >&2
fi
