#!/usr/bin/env bash
# Regenerate requirements.lock (repository root) from requirements-dev.txt, every package's
# pyproject.toml (through the editable lines there) and deploy/lock/tools.in.
#
#   bash deploy/lock/compile.sh                 # keep current pins where still allowed
#   bash deploy/lock/compile.sh --upgrade       # newest allowed versions (or --upgrade-package X)
#
# One universal lock (environment markers) serves Python 3.11 and 3.12, CI (scripts/bootstrap.sh:
# pip --require-hashes) and the images (deploy/docker/install-service.sh: uv, the lock as hashed
# constraints). Our own packages are never pinned in it: they are installed from the work tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=${UV:-.venv/bin/uv}
own=()
for pyproject in libs/*/pyproject.toml services/*/pyproject.toml sandbox/pyproject.toml; do
  name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$pyproject" | head -1)
  own+=(--no-emit-package "$name")
done
"$UV" pip compile requirements-dev.txt deploy/lock/tools.in \
  --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command "bash deploy/lock/compile.sh" \
  "${own[@]}" -o requirements.lock "$@"
