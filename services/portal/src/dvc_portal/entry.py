from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_portal.settings import PortalSettings

SERVICE = ServiceEntry("portal", PortalSettings, Path(__file__).parent / "migrations")
