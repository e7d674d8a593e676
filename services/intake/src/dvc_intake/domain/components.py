"""The components (thành phần hồ sơ) of a dossier: which of the procedure's components each document
provides, and which required ones are missing. Every component the catalog lists for the procedure is
required; a document may also be 'other' (None)."""

from __future__ import annotations

from collections.abc import Sequence


class InvalidComponents(Exception):
    """The declared components do not match the documents or the procedure's list."""


def document_components(declared: Sequence[int], uploads: int, count: int) -> list[int | None]:
    """The component of each uploaded document: as declared (one per upload), or by order (the n-th
    upload is the n-th component; uploads beyond the list are 'other')."""
    if not declared:
        return [n if n <= count else None for n in range(1, uploads + 1)]
    if len(declared) != uploads or any(not 1 <= c <= count for c in declared):
        raise InvalidComponents()
    return list(declared)


def missing_components(names: Sequence[str], provided: Sequence[int | None]) -> list[str]:
    """The names of the procedure's components no document provides."""
    present = {c for c in provided if c is not None}
    return [name for n, name in enumerate(names, start=1) if n not in present]
