import dvc_event_log.models  # noqa: F401  (registers the tables)
from dvc_common.migrations import run_env
from dvc_common.tables import metadata

run_env(metadata)
