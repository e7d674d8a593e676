"""The counter channel (nộp trực tiếp, channel 1): only a one-stop officer submits by it, digitised
paper components are recorded only there, and the officer may name the applicant's VNeID identity so
that the dossier lands in their data store. Online, a signed-in applicant owns their dossier."""

from __future__ import annotations

from dvc_common.principal import Principal, Role
from dvc_intake import errors
from dvc_intake.schemas import DossierForm

COUNTER_CHANNEL = 1


def submission_owner(form: DossierForm, upload_count: int, principal: Principal | None) -> str | None:
    """Check the channel's rules for who submits; the owner of the new dossier (None: anonymous)."""
    at_counter = _counter_officer(principal)
    _check_channel(form, upload_count, at_counter=at_counter)
    if at_counter and form.owner_subject:
        return form.owner_subject
    return principal.subject if principal is not None and not principal.is_officer else None


def _counter_officer(principal: Principal | None) -> bool:
    return principal is not None and principal.is_officer and principal.has_any_role(Role.ONE_STOP_OFFICER)


def _check_channel(form: DossierForm, upload_count: int, *, at_counter: bool) -> None:
    if form.channel == COUNTER_CHANNEL and not at_counter:
        raise errors.counter_only()
    if not form.digitised:
        return
    if form.channel != COUNTER_CHANNEL:
        raise errors.digitised_counter_only()
    if not set(form.digitised) <= set(range(1, upload_count + 1)):
        raise errors.invalid_digitised()
