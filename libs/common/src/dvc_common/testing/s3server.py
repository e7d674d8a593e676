# Transitional re-export: removed once every service imports the new path.
"""Moved to dvc_devkit.testing.s3server."""

from dvc_devkit.testing.s3server import S3Server, free_port, running_s3_server

__all__ = ["S3Server", "free_port", "running_s3_server"]
