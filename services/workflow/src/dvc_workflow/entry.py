from pathlib import Path

from dvc_common.registry import ServiceEntry
from dvc_workflow.handlers import QUEUES
from dvc_workflow.settings import WorkflowSettings

SERVICE = ServiceEntry("workflow", WorkflowSettings, Path(__file__).parent / "migrations", QUEUES)
