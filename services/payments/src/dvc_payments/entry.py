from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_payments.handlers import QUEUES
from dvc_payments.settings import PaymentsSettings

SERVICE = ServiceEntry("payments", PaymentsSettings, Path(__file__).parent / "migrations", QUEUES)
