"""ServiceMonitor, alert rules and Grafana dashboards (deploy/k8s/base/observability).

The rules are checked and unit-tested with promtool (Debian's prometheus package; bootstrap installs
it) on the PrometheusRule's own groups: each alert fires on the series its failure produces, with
its labels and text (tests/deploy/prometheus-rule-tests.yaml). Every PromQL expression of the
dashboards is parsed by promtool too. Metric names must be ones something really exports: the
services (dvc_common.metrics), our database queries (cnpg_dvc_*), or the named exporters.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from k8s_support import K8S, find, render

from dvc_common import metrics
from dvc_common.settings import METRICS_PORT_OFFSET
from dvc_devkit.devstack import SERVICE_PORTS

OBSERVABILITY = K8S / "base" / "observability"
RULE_TESTS = Path(__file__).with_name("prometheus-rule-tests.yaml")
# Exporters whose metrics the rules and dashboards may use besides ours.
EXTERNAL_PREFIXES = ("rabbitmq_", "certmanager_", "cnpg_collector_")
PROMQL_WORDS = {
    "sum",
    "max",
    "min",
    "by",
    "rate",
    "increase",
    "histogram_quantile",
    "time",
    "le",
    "unless",
    "coalesce",
    "count",
    "avg",
    "without",
    "delta",
    "label_values",
    "and",
    "or",
    "on",
    "humanize",
}
needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool (prometheus) not installed"
)


def rule_groups() -> dict[str, Any]:
    rule = yaml.safe_load((OBSERVABILITY / "prometheusrule.yaml").read_text(encoding="utf-8"))
    spec: dict[str, Any] = rule["spec"]
    return spec


def dashboards() -> dict[str, dict[str, Any]]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((OBSERVABILITY / "dashboards").glob("*.json"))
    }


def dashboard_exprs() -> list[tuple[str, str]]:
    return [
        (f"{name}: {panel['title']}", target["expr"])
        for name, board in dashboards().items()
        for panel in board["panels"]
        for target in panel["targets"]
    ]


def our_metrics() -> set[str]:
    names = set()
    for collector in vars(metrics).values():
        name = getattr(collector, "_name", None)
        kind = getattr(collector, "_type", None)
        if isinstance(name, str) and name.startswith("dvc_"):
            full = name + ("_total" if kind == "counter" else "")
            names |= (
                {full, f"{name}_bucket", f"{name}_count", f"{name}_sum"} if kind == "histogram" else {full}
            )
    return names


def query_metrics() -> set[str]:
    queries = yaml.safe_load(
        yaml.safe_load((K8S / "infra" / "postgres" / "monitoring-queries.yaml").read_text("utf-8"))["data"][
            "queries.yaml"
        ]
    )
    return {f"cnpg_{q}_{col}" for q, spec in queries.items() for m in spec["metrics"] for col in m}


def metric_names(expr: str) -> set[str]:
    without_strings = re.sub(r'"[^"]*"', "", expr)
    without_labels = re.sub(r"\{[^}]*\}", "", without_strings)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_labels)
    without_groupings = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", without_ranges)
    words = set(re.findall(r"[a-zA-Z_][a-zA-Z0-9_]*", without_groupings))
    return {w for w in words if "_" in w and w not in PROMQL_WORDS}


def test_every_metric_used_is_exported_by_something() -> None:
    exprs = [r["expr"] for g in rule_groups()["groups"] for r in g["rules"]] + [
        e for _, e in dashboard_exprs()
    ]
    known = our_metrics() | query_metrics()
    unknown = {
        name
        for expr in exprs
        for name in metric_names(expr)
        if name not in known and not name.startswith(EXTERNAL_PREFIXES)
    }
    assert not unknown, f"no code exports {sorted(unknown)}"
    assert {"dvc_outbox_lag_seconds", "dvc_dead_letters_total", "dvc_http_requests_total"} <= known


def test_alerts_cover_what_an_operator_must_know() -> None:
    alerts = {r["alert"]: r for g in rule_groups()["groups"] for r in g["rules"]}
    for needed, metric in {
        "OutboxLagging": "dvc_outbox_lag_seconds",
        "DeadLetters": "dvc_dead_letters_total",
        "ConsumerErrors": "dvc_consumer_messages_total",
        "NationalSyncBacklog": "cnpg_dvc_sync_national_backlog_changes",
        "DossiersOverdue": "cnpg_dvc_workflow_overdue_dossiers",
        "HighServerErrorRate": "dvc_http_requests_total",
        "CertificateExpiresSoon": "certmanager_certificate_expiration_timestamp_seconds",
        "DatabaseBackupMissing": "cnpg_collector_last_available_backup_timestamp",
    }.items():
        assert metric in alerts[needed]["expr"], needed
    for alert in alerts.values():
        assert alert["labels"]["severity"] in {"info", "warning", "critical"}
        assert alert["annotations"]["summary"] and alert["annotations"]["description"]


@needs_promtool
def test_promtool_checks_and_unit_tests_the_rules(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rule_groups(), sort_keys=False), encoding="utf-8")
    shutil.copy(RULE_TESTS, tmp_path / RULE_TESTS.name)
    checked = subprocess.run(
        ["promtool", "check", "rules", "rules.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        ["promtool", "test", "rules", RULE_TESTS.name], cwd=tmp_path, capture_output=True, text=True
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    tested_alerts = set(re.findall(r"alertname: (\w+)", RULE_TESTS.read_text(encoding="utf-8")))
    every_alert = {r["alert"] for g in rule_groups()["groups"] for r in g["rules"]}
    assert every_alert - tested_alerts <= {"OutboxStalled", "CertificateNotReady"}, (
        every_alert - tested_alerts
    )


@needs_promtool
def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    exprs = [e.replace("$service", "intake") for _, e in dashboard_exprs()]
    rules = {
        "groups": [
            {
                "name": "dashboards",
                "rules": [{"record": f"dashboard:q{i}", "expr": e} for i, e in enumerate(exprs)],
            }
        ]
    }
    (tmp_path / "dashboards.yaml").write_text(yaml.safe_dump(rules), encoding="utf-8")
    checked = subprocess.run(
        ["promtool", "check", "rules", "dashboards.yaml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_dashboards_are_well_formed_grafana_json() -> None:
    uids = set()
    for name, board in dashboards().items():
        assert board["uid"] not in uids and re.fullmatch(r"[a-z0-9-]{1,40}", board["uid"]), name
        uids.add(board["uid"])
        assert board["title"] and board["schemaVersion"] >= 36 and board["panels"]
        variables = {v["name"] for v in board["templating"]["list"]}
        assert "datasource" in variables, f"{name}: choose the Prometheus data source"
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids)), f"{name}: duplicate panel ids"
        for panel in board["panels"]:
            assert panel["datasource"]["uid"] == "${datasource}"
            assert (
                set(panel["gridPos"]) == {"x", "y", "w", "h"}
                and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
            )
            assert panel["targets"] and all(t["expr"] for t in panel["targets"])


def test_grafana_picks_up_the_dashboards_and_prometheus_scrapes_every_service() -> None:
    manifests = render(K8S / "overlays" / "prod")
    configmap = find(manifests, "ConfigMap", "dvc-grafana-dashboards")
    assert configmap["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert set(configmap["data"]) == set(dashboards())
    monitor = find(manifests, "ServiceMonitor", "dvc-services")["spec"]
    (expression,) = monitor["selector"]["matchExpressions"]
    assert set(expression["values"]) == set(SERVICE_PORTS)
    assert monitor["endpoints"][0]["port"] == "metrics" and monitor["endpoints"][0]["path"] == "/metrics"
    for service, port in SERVICE_PORTS.items():
        ports = {p["name"]: p["port"] for p in find(manifests, "Service", service)["spec"]["ports"]}
        assert ports["metrics"] == port + METRICS_PORT_OFFSET
