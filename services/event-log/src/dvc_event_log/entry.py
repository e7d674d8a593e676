from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_event_log.handlers import QUEUES
from dvc_event_log.settings import EventLogSettings

SERVICE = ServiceEntry("event-log", EventLogSettings, Path(__file__).parent / "migrations", QUEUES)
