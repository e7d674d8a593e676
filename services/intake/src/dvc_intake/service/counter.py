"""Who submits by which channel, and whose dossier it is.

- Online (channel 2) only with a VNeID account (Lai Châu Điều 9.1, Điện Biên Điều 11.2): the signed-in
  citizen or organisation owns the dossier; anonymous applicants use the counter or the post.
- At the counter (channel 1) and by post (channel 3) a one-stop officer enters the dossier; paper
  components they digitise are marked per file (Lai Châu Điều 10.1.đ). The officer gives the owner's
  identifier, which identity resolves to their VNeID account (Điều 10.1.a), so that the dossier lands
  in the owner's data store; with a mandate (ủy quyền) the authorised person is recorded and the
  dossier still belongs to the owner. A wrong identifier is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from dvc_common.principal import Principal, Role
from dvc_intake import errors
from dvc_intake.owners import (
    IdentityUnavailable,
    OwnerIdentifierInvalid,
    OwnerResolver,
    OwnerUnknown,
)
from dvc_intake.schemas import DossierForm

COUNTER_CHANNEL = 1
ONLINE_CHANNEL = 2
POSTAL_CHANNEL = 3
OFFICER_CHANNELS = frozenset({COUNTER_CHANNEL, POSTAL_CHANNEL})


@dataclass(frozen=True)
class Owner:
    """Whose dossier it is, and who entered it."""

    subject: str | None  # the owner's VNeID subject (None: a counter dossier for someone without one)
    counter_agency: str | None = None  # the one-stop officer's agency (counter and postal dossiers)
    identifier: str | None = None
    kind: str | None = None


def check_channel(form: DossierForm, upload_count: int, principal: Principal | None) -> str | None:
    """The channel's rules for who submits (nothing is called or stored yet); the counter officer's
    agency for a counter or postal dossier, None online."""
    officer_entry = form.channel in OFFICER_CHANNELS
    if officer_entry:
        if principal is None or not principal.is_officer or not principal.has_any_role(Role.ONE_STOP_OFFICER):
            raise errors.counter_only()
    else:
        if principal is None:
            raise errors.vneid_login_required()
        if principal.is_officer:
            raise errors.officer_not_online_applicant()
        if form.owner_identifier or form.authorised_person:
            raise errors.owner_needs_counter()
        if form.digitised:
            raise errors.digitised_counter_only()
    if not set(form.digitised) <= set(range(1, upload_count + 1)):
        raise errors.invalid_digitised()
    return principal.agency_id if officer_entry else None


async def submission_owner(
    form: DossierForm,
    principal: Principal | None,
    counter_agency: str | None,
    owners: OwnerResolver,
    authorization: str | None,
) -> Owner:
    """The owner of the new dossier: the signed-in applicant online; at the counter or by post, the
    account identity resolves from the identifier the officer gave."""
    if form.channel not in OFFICER_CHANNELS:
        assert principal is not None  # check_channel refused anonymous online submissions
        return Owner(principal.subject)
    if not form.owner_identifier:
        return Owner(None, counter_agency)
    try:
        resolved = await owners.resolve(form.owner_identifier, form.owner_kind, authorization or "")
    except OwnerUnknown as exc:
        raise errors.owner_not_found(form.owner_identifier) from exc
    except OwnerIdentifierInvalid as exc:
        raise errors.invalid_owner_identifier(form.owner_identifier) from exc
    except IdentityUnavailable as exc:
        raise errors.identity_unavailable() from exc
    return Owner(resolved.subject, counter_agency, form.owner_identifier, form.owner_kind)
