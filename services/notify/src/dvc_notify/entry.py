from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_notify.handlers import QUEUES
from dvc_notify.settings import NotifySettings

SERVICE = ServiceEntry("notify", NotifySettings, Path(__file__).parent / "migrations", QUEUES)
