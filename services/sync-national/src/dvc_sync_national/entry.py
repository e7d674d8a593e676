from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_sync_national.handlers import QUEUES
from dvc_sync_national.settings import SyncNationalSettings

SERVICE = ServiceEntry("sync-national", SyncNationalSettings, Path(__file__).parent / "migrations", QUEUES)
