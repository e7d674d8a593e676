# Transitional re-export: removed once every service imports the new path.
"""The event catalog (split by aggregate into dvc_common.events.*)."""

from dvc_common.events import *  # noqa: F403
from dvc_common.events import __all__ as __all__
