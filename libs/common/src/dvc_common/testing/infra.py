# Transitional re-export: removed once every service imports the new path.
"""Moved to dvc_devkit.testing.infra."""

from dvc_devkit.testing.infra import (  # noqa: F401
    AMQP,
    PLATFORM_MIGRATIONS,
    POSTGRES,
    TestVhost,
    postgres_database,
    rabbitmq_vhost,
    run_id,
)
