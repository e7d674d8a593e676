from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_qa.handlers import QUEUES
from dvc_qa.settings import QaSettings

SERVICE = ServiceEntry("qa", QaSettings, Path(__file__).parent / "migrations", QUEUES)
