#!/usr/bin/env bash
# One command for the whole stack on this machine: install, check PostgreSQL and RabbitMQ,
# migrate, start every service, the sandbox and the SMTP sink. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec .venv/bin/dvc dev up "$@"
