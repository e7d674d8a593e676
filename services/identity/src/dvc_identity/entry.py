from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_identity.handlers import QUEUES
from dvc_identity.settings import IdentitySettings

SERVICE = ServiceEntry("identity", IdentitySettings, Path(__file__).parent / "migrations", QUEUES)
