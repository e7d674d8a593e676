"""Production PostgreSQL (CloudNativePG) and RabbitMQ (RabbitMQ operators): deploy/k8s/infra.

Every custom resource is validated against its operator's CRD schema (vendored in
deploy/schemas/crds, with licences and sources in its README), then checked for what production
relies on; the monitoring queries run against the services' real schemas, and each service's
RabbitMQ permissions are exercised on the machine's broker by declaring its topology with them.
"""

from __future__ import annotations

import asyncio
import configparser
import re
import subprocess
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import kubernetes_validate
import pytest
import yaml
from crd_schema import problems
from k8s_support import K8S, REPO, find, is_builtin, of_kind, render

from dvc_common.db import create_database, drop_database
from dvc_common.migrations import upgrade
from dvc_common.registry import discover
from dvc_common.topology import declare_topology
from dvc_devkit.devstack import SERVICE_PORTS
from dvc_devkit.testing.infra import POSTGRES, rabbitmq_vhost, run_id

INFRA = K8S / "infra"
RESTORE = INFRA / "restore" / "cluster-restore.yaml"
PLUGIN = "barman-cloud.cloudnative-pg.io"


@pytest.fixture(scope="module")
def infra() -> list[dict[str, Any]]:
    return render(INFRA)


def restore_cluster() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(RESTORE.read_text(encoding="utf-8"))
    return loaded


def test_every_resource_validates_against_its_schema(infra: list[dict[str, Any]]) -> None:
    prod = [
        m for m in render(K8S / "overlays" / "prod") if m["apiVersion"].startswith("monitoring.coreos.com")
    ]
    assert {m["kind"] for m in prod} == {"ServiceMonitor", "PrometheusRule"}
    for resource in [*infra, restore_cluster(), *prod]:
        if is_builtin(resource):
            kubernetes_validate.validate(resource, "1.30.0", strict=True)
        else:
            found = problems(resource)
            assert not found, f"{resource['kind']}/{resource['metadata']['name']}: {found}"


def test_vendored_schemas_name_their_source_and_licence() -> None:
    readme = (REPO / "deploy" / "schemas" / "README.md").read_text(encoding="utf-8")
    for path in sorted((REPO / "deploy" / "schemas" / "crds").glob("*.json")):
        assert path.name in readme, f"deploy/schemas/README.md does not list {path.name}"
    for licence in (REPO / "deploy" / "schemas").glob("LICENSE.*"):
        assert licence.name in readme


# --------------------------------------------------------------------------- RabbitMQ


def test_rabbitmq_runs_three_nodes_with_quorum_queues(infra: list[dict[str, Any]]) -> None:
    cluster = find(infra, "RabbitmqCluster", "rabbitmq")["spec"]
    assert cluster["replicas"] == 3
    assert "default_queue_type = quorum" in cluster["rabbitmq"]["additionalConfig"]
    anti = cluster["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert anti[0]["topologyKey"] == "kubernetes.io/hostname", "one node per host"
    assert find(infra, "Vhost", "dvc")["spec"]["defaultQueueType"] == "quorum"
    compose_image = re.search(r"image: (rabbitmq:\S+)", (REPO / "docker-compose.yml").read_text("utf-8"))
    assert compose_image and cluster["image"] == compose_image.group(1)


def test_every_service_and_the_integrator_have_a_user_and_a_permission(infra: list[dict[str, Any]]) -> None:
    users = {u["metadata"]["name"]: u for u in of_kind(infra, "User")}
    permissions = {p["spec"]["userReference"]["name"]: p["spec"] for p in of_kind(infra, "Permission")}
    assert set(users) == {f"service-{s}" for s in SERVICE_PORTS} | {"integrator", "keda"}
    assert set(permissions) == set(users)
    assert all(p["vhost"] == "dvc" for p in permissions.values())
    compose = next(
        p
        for p in yaml.safe_load((REPO / "deploy/compose/rabbitmq/definitions.json").read_text())[
            "permissions"
        ]
        if p["user"] == "integrator"
    )
    assert permissions["integrator"]["permissions"] == {k: compose[k] for k in ("configure", "write", "read")}
    assert users["integrator"]["spec"]["tags"] == [] and users["keda"]["spec"]["tags"] == ["monitoring"]
    assert permissions["keda"]["permissions"] == {"configure": "", "write": "", "read": ".*"}


async def _declare_as(url: str, service: str) -> None:
    """The service's `dvc migrate` topology step with these credentials; then another's queue."""
    from faststream.rabbit import RabbitBroker

    broker = RabbitBroker(url, logger=None)
    await broker.connect()
    try:
        await declare_topology(broker, discover()[service].queues)
    finally:
        await broker.stop()
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            await channel.declare_queue("someone-else.events", durable=True)
    finally:
        await connection.close()


@pytest.mark.parametrize("service", sorted(s for s in SERVICE_PORTS if discover()[s].queues))
def test_service_declares_its_topology_with_only_its_permissions(
    infra: list[dict[str, Any]], service: str
) -> None:
    grant = next(
        p["spec"]["permissions"]
        for p in of_kind(infra, "Permission")
        if p["metadata"]["name"] == f"service-{service}"
    )
    user, password = f"svc-{service}-{run_id()}", "service-test"
    with rabbitmq_vhost("dvc-perm") as vhost:
        subprocess.run(["rabbitmqctl", "-q", "add_user", user, password], check=True, capture_output=True)
        try:
            regexes = [grant["configure"], grant["write"], grant["read"]]
            subprocess.run(
                ["rabbitmqctl", "-q", "set_permissions", "-p", vhost.name, user, *regexes],
                check=True,
                capture_output=True,
            )
            asyncio.run(_declare_as(f"amqp://{user}:{password}@127.0.0.1:5672/{vhost.name}", service))
        finally:
            subprocess.run(["rabbitmqctl", "-q", "delete_user", user], check=False, capture_output=True)


# --------------------------------------------------------------------------- PostgreSQL


def test_postgres_cluster_archives_wal_and_backs_up_daily(infra: list[dict[str, Any]]) -> None:
    cluster = find(infra, "Cluster", "postgres")["spec"]
    assert cluster["instances"] >= 3
    (plugin,) = cluster["plugins"]
    assert plugin["name"] == PLUGIN and plugin["isWALArchiver"] is True
    store = find(infra, "ObjectStore", plugin["parameters"]["barmanObjectName"])["spec"]
    assert store["configuration"]["destinationPath"].startswith("s3://") and store["retentionPolicy"]
    scheduled = find(infra, "ScheduledBackup", "postgres-daily")["spec"]
    assert scheduled["cluster"]["name"] == "postgres" and scheduled["method"] == "plugin"
    assert scheduled["pluginConfiguration"]["name"] == PLUGIN
    assert len(scheduled["schedule"].split()) == 6, "CloudNativePG schedules have a seconds field"


def test_restore_manifest_recovers_from_the_same_store_into_a_new_archive(
    infra: list[dict[str, Any]],
) -> None:
    original = find(infra, "Cluster", "postgres")["spec"]
    restore = restore_cluster()["spec"]
    source = restore["bootstrap"]["recovery"]["source"]
    (external,) = [c for c in restore["externalClusters"] if c["name"] == source]
    assert external["plugin"]["name"] == PLUGIN
    assert external["plugin"]["parameters"] == {
        "barmanObjectName": original["plugins"][0]["parameters"]["barmanObjectName"],
        "serverName": "postgres",
    }
    archive = restore["plugins"][0]["parameters"]
    assert archive.get("serverName") not in (None, "postgres"), "never archive over the original's WAL"
    assert restore["managed"]["roles"] == original["managed"]["roles"]


def test_one_role_and_database_per_service_and_room_for_pgbouncer(infra: list[dict[str, Any]]) -> None:
    cluster = find(infra, "Cluster", "postgres")["spec"]
    roles = {r["name"] for r in cluster["managed"]["roles"]}
    expected = {"dvc_" + s.replace("-", "_") for s in SERVICE_PORTS}
    assert roles == expected
    databases = {d["spec"]["name"]: d["spec"]["owner"] for d in of_kind(infra, "Database")}
    assert databases == {r: r for r in expected}, "each service owns its database"
    prod = render(K8S / "overlays" / "prod")
    replicas = find(prod, "Deployment", "pgbouncer")["spec"]["replicas"]
    parser = configparser.ConfigParser(comment_prefixes=(";",))
    parser.read_string(find(prod, "ConfigMap", "pgbouncer-config")["data"]["pgbouncer.ini"])
    per_database = int(parser["pgbouncer"]["max_db_connections"])
    budget = replicas * per_database * (len(databases) + 1)  # + postgres, for dvc migrate
    assert budget + 20 <= int(cluster["postgresql"]["parameters"]["max_connections"])
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    assert "## Backups and restore" in readme and "## Production PostgreSQL and RabbitMQ" in readme


def monitoring_queries(infra: list[dict[str, Any]]) -> dict[str, Any]:
    configmap = find(infra, "ConfigMap", "dvc-postgres-queries")
    loaded: dict[str, Any] = yaml.safe_load(configmap["data"]["queries.yaml"])
    return loaded


def exported_metrics(infra: list[dict[str, Any]]) -> set[str]:
    """cnpg_<query>_<column>, as CloudNativePG's exporter names custom query columns."""
    names = set()
    for query_name, query in monitoring_queries(infra).items():
        for metric in query["metrics"]:
            names |= {f"cnpg_{query_name}_{column}" for column in metric}
    return names


@pytest.mark.parametrize("query_name", ["dvc_workflow_overdue", "dvc_sync_national_backlog"])
def test_monitoring_query_runs_on_its_service_schema(infra: list[dict[str, Any]], query_name: str) -> None:
    query = monitoring_queries(infra)[query_name]
    (database,) = query["target_databases"]
    service = database.removeprefix("dvc_").replace("_", "-")
    url = f"{POSTGRES}/{database}_{run_id()}"
    asyncio.run(create_database(url))
    try:
        upgrade(discover()[service].migrations, url)

        async def run() -> dict[str, Any]:
            conn = await asyncpg.connect(url.replace("+asyncpg", ""))
            try:
                return dict(await conn.fetchrow(query["query"]))
            finally:
                await conn.close()

        row = asyncio.run(run())
    finally:
        asyncio.run(drop_database(url))
    columns = {column for metric in query["metrics"] for column in metric}
    assert set(row) == columns and all(float(v) == 0 for v in row.values()), row


def test_alerts_use_the_metrics_the_queries_export(infra: list[dict[str, Any]]) -> None:
    rules = Path(K8S / "base" / "observability" / "prometheusrule.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\bcnpg_dvc_[a-z_]+", rules))
    assert used and used <= exported_metrics(infra), used - exported_metrics(infra)
