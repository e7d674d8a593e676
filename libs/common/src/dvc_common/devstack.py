# Transitional re-export: removed once every service imports the new path.
"""Moved to dvc_devkit.devstack (dev-only package, not in service images)."""

from dvc_devkit.devstack import *  # noqa: F403
from dvc_devkit.devstack import (  # noqa: F401
    SANDBOX_PORT,
    SERVICE_PORTS,
    SMTP_PORT,
    Process,
    Stack,
    StackConfig,
    create_vhost,
    delete_vhost,
    ensure_postgres,
    ensure_rabbitmq,
    env_prefix,
    module_of,
    port_open,
)
