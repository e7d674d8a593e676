"""docker-compose.yml: valid against the Compose specification and wired the way the services expect.

No Docker engine is needed: the file is validated offline against the Compose JSON schema vendored in
deploy/schemas/compose-spec.json, then checked for what `docker compose up` would trip over.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from compose_support import load_compose, rabbitmq_definitions

from dvc_common.settings import METRICS_PORT_OFFSET
from dvc_devkit.devstack import SERVICE_PORTS, module_of

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SCHEMA_FILE = REPO / "deploy" / "schemas" / "compose-spec.json"

# directory -> (module, port); names and ports come from the dev stack, the single list of services.
SERVICES = {name: (module_of(name), port) for name, port in SERVICE_PORTS.items()}
INFRASTRUCTURE = {
    "postgres",
    "pgbouncer",
    "rabbitmq",
    "minio",
    "mailpit",
    "jaeger",
    "otel-collector",
    "prometheus",
    "sandbox",
}
# Long-running containers that cannot carry a healthcheck, and why.
NO_HEALTHCHECK = {
    "otel-collector": "distroless image: no shell or HTTP client to run a check with",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = compose["services"]
    return result


# The sandbox CLI binds 127.0.0.1 unless told otherwise; in a container it must listen on all interfaces.
SANDBOX_ARGS = {
    "--http-host": "0.0.0.0",
    "--http-port": "8090",
    "--smtp-host": "0.0.0.0",
    "--smtp-port": "1025",
    "--mail-dir": "/var/lib/sandbox/mail",
}


def sandbox_args(command: list[str]) -> dict[str, str]:
    assert command[0] == "dvc-sandbox" and len(command) % 2 == 1
    return dict(zip(command[1::2], command[2::2], strict=True))


def prefix(service: str) -> str:
    return "DVC_" + service.upper().replace("-", "_") + "_"


def is_one_shot(definition: dict[str, Any]) -> bool:
    return definition.get("restart") == "no"


def host_and_container_ports(definition: dict[str, Any]) -> list[tuple[int, int]]:
    pairs = []
    for port in definition.get("ports", []):
        host, _, container = str(port).rpartition(":")
        pairs.append((int(host.rpartition(":")[2]), int(container.split("/")[0])))
    return pairs


def test_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_whole_stack_is_there(services: dict[str, Any]) -> None:
    expected = INFRASTRUCTURE | set(SERVICES) | {f"migrate-{s}" for s in SERVICES} | {"minio-init"}
    assert expected <= set(services), expected - set(services)
    assert "management" in services["rabbitmq"]["image"]


def test_every_long_running_service_has_a_healthcheck(services: dict[str, Any]) -> None:
    for name, definition in services.items():
        if is_one_shot(definition) or name in NO_HEALTHCHECK:
            continue
        check = definition.get("healthcheck")
        assert check and not check.get("disable"), f"{name} has no healthcheck"
        assert check["test"][0] in {"CMD", "CMD-SHELL"}


def test_depends_on_targets_exist_and_conditions_are_meaningful(services: dict[str, Any]) -> None:
    for name, definition in services.items():
        depends_on = definition.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: use the long depends_on syntax with a condition"
        for target, spec in depends_on.items():
            assert target in services, f"{name} depends on unknown service {target}"
            assert target != name
            condition = spec["condition"]
            if condition == "service_healthy":
                assert "healthcheck" in services[target], (
                    f"{name} waits for {target} to be healthy; it has no check"
                )
            elif condition == "service_completed_successfully":
                assert is_one_shot(services[target]), (
                    f"{name} waits for {target} to finish; it is long-running"
                )


def test_depends_on_has_no_cycle(services: dict[str, Any]) -> None:
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        if state.get(node) == "done":
            return
        assert state.get(node) != "visiting", f"dependency cycle: {' -> '.join([*path, node])}"
        state[node] = "visiting"
        for target in services[node].get("depends_on", {}):
            visit(target, [*path, node])
        state[node] = "done"

    for name in services:
        visit(name, [])


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_is_built_from_its_dockerfile_and_published_on_its_port(
    services: dict[str, Any], service: str
) -> None:
    module, port = SERVICES[service]
    definition = services[service]
    # One parametrised Dockerfile for every service (tests/deploy/test_deploy_dockerfiles.py).
    assert definition["build"] == {
        "context": ".",
        "dockerfile": "deploy/docker/service.Dockerfile",
        "args": {"SERVICE": service, "PORT": str(port)},
    }
    assert (REPO / definition["build"]["dockerfile"]).is_file()
    assert host_and_container_ports(definition) == [(port, port)]
    test = " ".join(definition["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/readyz" in test
    # The image's CMD runs uvicorn; compose must not override it with something else.
    assert "command" not in definition or definition["command"][:2] == ["uvicorn", f"{module}.app:app"]
    assert definition.get("read_only") is True and "/tmp" in definition.get("tmpfs", [])


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_waits_for_its_migration_and_infrastructure(services: dict[str, Any], service: str) -> None:
    depends_on = services[service]["depends_on"]
    assert depends_on[f"migrate-{service}"] == {"condition": "service_completed_successfully"}
    assert depends_on["pgbouncer"] == {"condition": "service_healthy"}
    assert depends_on["rabbitmq"] == {"condition": "service_healthy"}
    migration = services[f"migrate-{service}"]
    assert migration["command"] == ["dvc", "migrate", service]
    assert migration["image"] == services[service]["image"]
    assert migration["build"] == services[service]["build"]
    assert migration["environment"] == services[service]["environment"]
    # dvc migrate also declares the service's queues, so the broker must be up too.
    assert migration["depends_on"]["pgbouncer"] == {"condition": "service_healthy"}
    assert migration["depends_on"]["rabbitmq"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_environment_follows_conventions(services: dict[str, Any], service: str) -> None:
    env = services[service]["environment"]
    pre = prefix(service)
    assert all(key.startswith(pre) for key in env), [k for k in env if not k.startswith(pre)]
    assert env[f"{pre}ENVIRONMENT"] == "development"
    database = urlsplit(env[f"{pre}DATABASE_URL"])
    assert database.scheme == "postgresql+asyncpg"
    # Through PgBouncer, never straight to PostgreSQL (deploy/README.md, "Database connections").
    assert (database.hostname, database.port) == ("pgbouncer", 6432)
    assert database.path == "/dvc_" + service.replace("-", "_")
    amqp = urlsplit(env[f"{pre}AMQP_URL"])
    assert (amqp.scheme, amqp.hostname, amqp.port) == ("amqp", "rabbitmq", 5672)
    assert amqp.path.strip("/") in {v["name"] for v in rabbitmq_definitions()["vhosts"]}
    assert env[f"{pre}OTLP_ENDPOINT"] == "http://otel-collector:4318"
    assert all(isinstance(v, str) for v in env.values()), "quote numbers and booleans in environment"


def test_service_specific_wiring(services: dict[str, Any]) -> None:
    intake = services["intake"]["environment"]
    assert intake["DVC_INTAKE_BLOB_BACKEND"] == "s3"
    assert intake["DVC_INTAKE_S3_ENDPOINT"] == "minio:9000"
    assert intake["DVC_INTAKE_S3_ACCESS_KEY"] == services["minio"]["environment"]["MINIO_ROOT_USER"]
    assert intake["DVC_INTAKE_S3_SECRET_KEY"] == services["minio"]["environment"]["MINIO_ROOT_PASSWORD"]
    assert intake["DVC_INTAKE_S3_BUCKET"] in services["minio-init"]["command"][0]
    assert services["intake"]["depends_on"]["minio-init"] == {"condition": "service_completed_successfully"}

    notify = services["notify"]["environment"]
    assert (notify["DVC_NOTIFY_SMTP_HOST"], notify["DVC_NOTIFY_SMTP_PORT"]) == ("mailpit", "1025")
    assert services["notify"]["depends_on"]["mailpit"] == {"condition": "service_healthy"}

    sync = services["sync-national"]["environment"]
    assert sync["DVC_SYNC_NATIONAL_PORTAL_URL"] == "http://sandbox:8090/national-portal"
    assert services["sync-national"]["depends_on"]["sandbox"] == {"condition": "service_healthy"}


def test_sandbox_runs_as_agreed(services: dict[str, Any]) -> None:
    sandbox = services["sandbox"]
    assert sandbox_args(sandbox["command"]) == SANDBOX_ARGS
    assert (
        sandbox["environment"]["SANDBOX_PORTAL_API_KEY"]
        == (services["sync-national"]["environment"]["DVC_SYNC_NATIONAL_PORTAL_API_KEY"])
    ), "the sandbox portal must accept the key sync-national sends"
    assert "127.0.0.1:8090/healthz" in " ".join(sandbox["healthcheck"]["test"])
    assert (REPO / sandbox["build"]["dockerfile"]).is_file()
    assert (8090, 8090) in host_and_container_ports(sandbox)


def test_host_ports_do_not_collide(services: dict[str, Any]) -> None:
    host_ports = [
        host for definition in services.values() for host, _ in host_and_container_ports(definition)
    ]
    assert len(host_ports) == len(set(host_ports))


def test_bind_mounted_files_exist(services: dict[str, Any]) -> None:
    for name, definition in services.items():
        for volume in definition.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"


def test_postgres_init_creates_every_service_database(services: dict[str, Any]) -> None:
    mounts = [v for v in services["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    assert mounts
    script = (REPO / mounts[0].split(":")[0]).read_text(encoding="utf-8")
    created = set(re.findall(r"CREATE DATABASE (\w+)", script))
    for service in SERVICES:
        database = urlsplit(services[service]["environment"][prefix(service) + "DATABASE_URL"]).path.lstrip(
            "/"
        )
        assert database in created


def test_prometheus_scrapes_every_service() -> None:
    config = yaml.safe_load(
        (REPO / "deploy" / "observability" / "prometheus.yml").read_text(encoding="utf-8")
    )
    targets = {}
    for job in config["scrape_configs"]:
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                targets[target] = job.get("metrics_path", "/metrics")
    for service, (_, port) in SERVICES.items():
        assert targets.get(f"{service}:{port + METRICS_PORT_OFFSET}") == "/metrics", (
            f"{service} is not scraped"
        )


def test_metrics_are_served_on_their_own_port_and_not_published(services: dict[str, Any]) -> None:
    for service, (_, port) in SERVICES.items():
        environment = services[service]["environment"]
        assert environment[prefix(service) + "METRICS_PORT"] == str(port + METRICS_PORT_OFFSET)
        assert environment[prefix(service) + "METRICS_HOST"] == "0.0.0.0"  # for Prometheus in the network
        published = " ".join(str(p) for p in services[service].get("ports", []))
        assert str(port + METRICS_PORT_OFFSET) not in published, f"{service} publishes its metrics port"


def test_collector_receives_otlp_http_and_exports_to_jaeger(services: dict[str, Any]) -> None:
    config = yaml.safe_load(
        (REPO / "deploy" / "observability" / "otel-collector.yaml").read_text(encoding="utf-8")
    )
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    traces = config["service"]["pipelines"]["traces"]
    assert "otlp" in traces["receivers"]
    for exporter in traces["exporters"]:
        assert exporter in config["exporters"]
    jaeger = [config["exporters"][e] for e in traces["exporters"] if "jaeger" in e]
    assert jaeger and jaeger[0]["endpoint"].split(":")[0] == "jaeger"
    assert services["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"
    mounted = [v for v in services["otel-collector"]["volumes"] if "otel-collector.yaml" in v]
    target = mounted[0].split(":")[1]
    assert any(target in arg for arg in services["otel-collector"]["command"])
