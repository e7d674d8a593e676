#!/usr/bin/env bash
# The test command (README): lint, types, then every test suite against the real PostgreSQL,
# RabbitMQ, a real S3 server (SeaweedFS), the SMTP sink, the national-system simulators and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
"$PY" - <<'PYEOF'
from dvc_devkit.devstack import ensure_postgres, ensure_rabbitmq
print(ensure_postgres())
print(ensure_rabbitmq())
PYEOF
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict, every source and test folder)"
.venv/bin/mypy libs/common/src/dvc_common libs/devkit/src/dvc_devkit sandbox/src/dvc_sandbox services/*/src
# Test folders are not packages and share module names (conftest, *_support): one run per folder,
# with the folder on the path so its support modules resolve.
for tests in libs/common/tests libs/devkit/tests sandbox/tests services/*/tests tests/*/; do
  [ "$(basename "$tests")" = __pycache__ ] && continue
  MYPYPATH="$tests" .venv/bin/mypy "$tests"
done
.venv/bin/mypy tests/*.py
echo "== import contracts (layers, pure domain, independent services, no dev package at runtime)"
.venv/bin/lint-imports
echo "== event catalog documentation is current"
.venv/bin/dvc events docs --out "${TMPDIR:-/tmp}/dvc-docs-check" >/dev/null
diff -u docs/events.md "${TMPDIR:-/tmp}/dvc-docs-check/events.md"
diff -u docs/asyncapi.json "${TMPDIR:-/tmp}/dvc-docs-check/asyncapi.json"
echo "== pytest"
exec .venv/bin/pytest "$@"
