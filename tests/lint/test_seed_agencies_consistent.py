"""One agency tree (issue 15): every agency the workflow catalog's seed names (performing agencies and
the desks that receive for them) is in identity's tree, once, with the same name, active, at the
level the catalog says; the tree itself has no duplicate id or name and every parent exists."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TREE = ROOT / "services/identity/src/dvc_identity/data/agencies.json"
DEPARTMENTS = ROOT / "services/identity/src/dvc_identity/data/departments.json"
CATALOG = ROOT / "services/workflow/src/dvc_workflow/seed/procedures.json"


def _tree() -> dict[str, dict[str, Any]]:
    agencies: list[dict[str, Any]] = json.loads(TREE.read_text(encoding="utf-8"))
    return {agency["id"]: agency for agency in agencies}


def _named_by_catalog() -> list[tuple[str, str, str | None, str | None]]:
    """(procedure code, agency id, the name the catalog gives, the level it says) of every mention."""
    mentions: list[tuple[str, str, str | None, str | None]] = []
    for procedure in json.loads(CATALOG.read_text(encoding="utf-8")):
        code, level = procedure["code"], procedure.get("agency_level")
        mentions.append((code, procedure["agency_id"], procedure.get("agency_name"), level))
        for agency in procedure.get("agencies", []):
            mentions.append((code, agency["agency_id"], agency.get("agency_name"), level))
            if agency.get("receiving_agency_id"):
                mentions.append((code, agency["receiving_agency_id"], None, None))
    return mentions


def test_the_tree_has_each_agency_once_and_its_parents() -> None:
    agencies: list[dict[str, Any]] = json.loads(TREE.read_text(encoding="utf-8"))
    ids = Counter(agency["id"] for agency in agencies)
    names = Counter(agency["name"].casefold() for agency in agencies)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [name for name, n in names.items() if n > 1] == []
    tree = _tree()
    assert [a["id"] for a in agencies if a["parent_id"] is not None and a["parent_id"] not in tree] == []


def test_every_agency_the_catalog_names_is_in_the_tree_with_the_same_name() -> None:
    tree = _tree()
    wrong = []
    for code, agency_id, name, level in _named_by_catalog():
        known = tree.get(agency_id)
        if known is None:
            wrong.append(f"{code}: {agency_id} is not in identity's tree")
        elif not known["active"]:
            wrong.append(f"{code}: {agency_id} ({known['name']}) is no longer active")
        elif name is not None and name != known["name"]:
            wrong.append(f"{code}: {agency_id} is '{known['name']}' in the tree, '{name}' in the catalog")
        elif level is not None and level != known["level"]:
            wrong.append(f"{code}: {agency_id} is a {known['level']} in the tree, a {level} in the catalog")
    assert wrong == []


def test_every_seeded_department_belongs_to_an_agency_of_the_tree() -> None:
    seed = json.loads(DEPARTMENTS.read_text(encoding="utf-8"))
    tree = _tree()
    assert [agency_id for agency_id in seed["by_agency"] if agency_id not in tree] == []
    assert set(seed["by_level"]) <= {agency["level"] for agency in tree.values()}
    for units in [*seed["by_agency"].values(), *seed["by_level"].values()]:
        codes = [unit["code"] for unit in units]
        assert len(codes) == len(set(codes)), codes
