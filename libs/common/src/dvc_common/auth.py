# Transitional re-export: removed once every service imports the new path.
"""Principal, token verification and FastAPI dependencies (split into principal, tokens, http_auth)."""

from dvc_common.http_auth import CurrentPrincipal, current_principal, require_roles
from dvc_common.principal import Principal, PrincipalKind, Role
from dvc_common.tokens import (
    ALGORITHMS,
    Denylist,
    RevocationCheck,
    TokenVerifier,
    principal_from_claims,
    verifier_for,
)

__all__ = [
    "ALGORITHMS",
    "CurrentPrincipal",
    "Denylist",
    "Principal",
    "PrincipalKind",
    "RevocationCheck",
    "Role",
    "TokenVerifier",
    "current_principal",
    "principal_from_claims",
    "require_roles",
    "verifier_for",
]
