"""schemathesis (its CLI) against every service's OpenAPI on the real stack, bounded, with an
anonymous profile and the authenticated ones (citizen, officer, operator): no server error, every
response conforms to its documented schema, every status code is documented.

Bounds: `MAX_EXAMPLES` generated cases per operation and phase, `MAX_SECONDS` per run (one run per
service and profile, the profiles of a service side by side), so the whole step stays within a few minutes. The figures per service
(operations, cases, failures) are printed and kept in `<tmp>/schemathesis-figures.json`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dvc_devkit.devstack import Stack

# identity last: its operator profile may move the system clock or rotate keys (tokens then expire).
SERVICES = (
    "intake",
    "workflow",
    "payments",
    "notify",
    "sync-national",
    "qa",
    "event-log",
    "portal",
    "identity",
)
PROFILES = ("anonymous", "citizen", "officer", "operator")
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
MAX_EXAMPLES = int(os.environ.get("DVC_SCHEMATHESIS_MAX_EXAMPLES", "5"))
MAX_SECONDS = int(os.environ.get("DVC_SCHEMATHESIS_MAX_SECONDS", "6"))
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
FIGURES: dict[str, dict[str, Any]] = {}


AGENCY_A = "000.00.14.H56"  # Sở Xây dựng (as in tests/security)


def headers_for(profile: str, people: Any) -> dict[str, str]:
    if profile == "citizen":
        return dict(people.citizen("012345678901").headers)
    if profile == "officer":
        return dict(people.officer(AGENCY_A, "one_stop_officer", "processing_officer", "department_head"))
    if profile == "operator":
        return dict(people.operator())
    return {}


def start_schemathesis(
    stack: Stack, service: str, headers: dict[str, str], report: Path
) -> subprocess.Popen[str]:
    argv = [
        str(SCHEMATHESIS),
        "run",
        stack.url(service) + "/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_SECONDS),
        "--phases",
        "examples,coverage,fuzzing",
        "--generation-deterministic",
        "--request-timeout",
        "20",
        "--continue-on-failure",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--exclude-path-regex",
        "^/(healthz|readyz)$",
    ]
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=stack.env)


def figures(report: Path) -> dict[str, Any]:
    """Operations, cases and failures (with their check, status and input) from the ndjson events."""
    operations: set[str] = set()
    cases = 0
    failures: list[dict[str, Any]] = []
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        for kind, body in event.items():
            if kind == "ScenarioFinished":
                recorder = body.get("recorder") or {}
                label = recorder.get("label") or body.get("label", "")
                if label:
                    operations.add(label)
                cases += len(recorder.get("cases") or {})
                for check_list in (recorder.get("checks") or {}).values():
                    for check in check_list:
                        if str(check.get("status")).lower() == "failure":
                            failures.append(
                                {
                                    "operation": label,
                                    "check": check.get("name"),
                                    "message": str(check.get("failure_info") or "")[:400],
                                }
                            )
    return {"operations": len(operations), "cases": cases, "failures": failures}


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_conforms_for_every_profile(
    stack: Stack, people: Any, service: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp(f"schemathesis-{service}")
    summary: dict[str, Any] = {"operations": 0, "cases": 0, "failures": []}
    outputs: list[str] = []
    # The profiles run side by side: each run is bounded by MAX_SECONDS, the service's step by about that.
    runs = {
        profile: start_schemathesis(
            stack, service, headers_for(profile, people), folder / f"{profile}.ndjson"
        )
        for profile in PROFILES
    }
    for profile, run in runs.items():
        output, _ = run.communicate(timeout=MAX_SECONDS * 10 + 120)
        outputs.append(f"--- {profile} (exit {run.returncode})\n{output[-4000:]}")
        report = folder / f"{profile}.ndjson"
        assert report.exists(), output[-4000:]
        found = figures(report)
        summary["operations"] = max(summary["operations"], found["operations"])
        summary["cases"] += found["cases"]
        summary["failures"] += [failure | {"profile": profile} for failure in found["failures"]]
    FIGURES[service] = summary
    out = Path(os.environ.get("TMPDIR", "/tmp")) / "schemathesis-figures.json"
    out.write_text(json.dumps(FIGURES, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"\nschemathesis {service}: {summary['operations']} operations, {summary['cases']} cases,"
        f" {len(summary['failures'])} failures"
    )
    assert not summary["failures"], json.dumps(
        summary["failures"][:20], ensure_ascii=False, indent=1
    ) + "\n".join(outputs)
