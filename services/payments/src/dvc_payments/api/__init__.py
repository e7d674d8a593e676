"""Payments' HTTP routes (thin: parse, call one use-case, map the result), in the order they are served."""

from __future__ import annotations

from dvc_payments.api import configuration, payments, reconciliation

ROUTERS = (configuration.router, payments.router, reconciliation.router)
