"""The forms workflow issues from its own data (steps, timelines), drawn with `dvc_common.pdf`."""

from dvc_workflow.forms.control_slip import render_control_slip
from dvc_workflow.forms.model import ControlSlip, ControlStep, Register, RegisterEntry, step_outcome
from dvc_workflow.forms.register import render_register_pdf, render_register_xlsx

__all__ = [
    "ControlSlip",
    "ControlStep",
    "Register",
    "RegisterEntry",
    "render_control_slip",
    "render_register_pdf",
    "render_register_xlsx",
    "step_outcome",
]
