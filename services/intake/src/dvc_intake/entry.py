from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_intake.handlers import QUEUES
from dvc_intake.settings import IntakeSettings

SERVICE = ServiceEntry("intake", IntakeSettings, Path(__file__).parent / "migrations", QUEUES)
