# Transitional re-export: removed once every service imports the new path.
"""Moved to dvc_devkit.testing (dev-only package, not in service images)."""
