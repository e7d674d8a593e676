"""Kubernetes manifests under deploy/k8s: render each overlay and check what an operator relies on.

The overlays are rendered by k8s_support.render (a small kustomize; compared with `kubectl
kustomize` below when kubectl is installed). Network policies, the ingress, PgBouncer and the
observability resources are checked in test_deploy_k8s_platform.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from k8s_support import (
    NAMESPACES,
    OVERLAYS,
    REPO,
    KustomizeError,
    Overlay,
    all_containers,
    app_container,
    assert_hardened,
    find,
    is_builtin,
    of_kind,
    render,
    resolve_port,
    secret_refs,
)

from dvc_common.registry import discover
from dvc_common.settings import METRICS_PORT_OFFSET
from dvc_devkit.devstack import SERVICE_PORTS, module_of

K8S_VERSION = "1.30.0"

# The code is the source of truth: service names and ports from the dev stack, consumed queues from
# each service's registry entry (its `dvc.services` entry point). The manifests must follow them.
CODE_SERVICES = discover()
# service -> queues it consumes (`<service>.<purpose>`; the .retry/.dlq queues have no consumers).
QUEUES: dict[str, tuple[str, ...]] = {
    name: tuple(spec.name for spec in entry.queues) for name, entry in CODE_SERVICES.items()
}
# directory -> (module, port); the conventions every service is built to.
SERVICES: dict[str, tuple[str, int]] = {name: (module_of(name), port) for name, port in SERVICE_PORTS.items()}
CONSUMERS = sorted(s for s in SERVICES if QUEUES.get(s))
NON_CONSUMERS = sorted(s for s in SERVICES if not QUEUES.get(s))
EXTRA_SECRET_VARS = {
    "intake": {"S3_ACCESS_KEY", "S3_SECRET_KEY"},
    "sync-national": {"PORTAL_API_KEY"},
    "payments": {"SECRET_KEY"},
    # SMTP_PASSWORD is optional: only for an SMTP relay that needs authentication.
    "notify": {"SMTP_PASSWORD", "ZALO_SECRET_KEY", "ZALO_REFRESH_TOKEN"},
    "identity": {"SIGNING_KEY_PASSPHRASE", "VNEID_CLIENT_SECRET", "POPULATION_API_KEY"},
    "event-log": {"INTEGRATOR_KEYS"},
}
# Every service verifies tokens: identity's JWKS (in-cluster) and its public URL as the issuer.
COMMON_CONFIG_VARS = {
    "ENVIRONMENT",
    "LOG_LEVEL",
    "OTLP_ENDPOINT",
    "JWKS_URL",
    "TOKEN_ISSUER",
    "TRUSTED_PROXIES",
}
EXTRA_CONFIG_VARS = {
    "portal": {"PUBLIC_URL", "IDENTITY_URL", "WORKFLOW_URL", "INTAKE_URL"},
    "intake": {"BLOB_BACKEND", "S3_ENDPOINT", "S3_BUCKET", "S3_SECURE", "PUBLIC_BASE_URL"},
    "notify": {"SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "ZALO_OAUTH_URL", "ZALO_ZNS_URL", "ZALO_APP_ID"},
    "sync-national": {"PORTAL_URL"},
    "payments": {"PLATFORM_URL", "PARTNER_CODE", "PUBLIC_URL"},
    "identity": {"PUBLIC_URL", "VNEID_URL", "VNEID_CLIENT_ID", "POPULATION_URL"},
}
CRD_KINDS = {
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
}

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


# --------------------------------------------------------------------------- fixtures and helpers


# --------------------------------------------------------------------------- schema validation


def test_every_builtin_manifest_validates_against_kubernetes_schema(overlay: Overlay) -> None:
    name, manifests = overlay
    for manifest in manifests:
        if (manifest["apiVersion"], manifest["kind"]) in CRD_KINDS:
            continue  # not in the Kubernetes schemas; checked field by field below
        try:
            kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:  # pragma: no cover - message for the reader
            pytest.fail(
                f"{name}: {manifest['kind']}/{manifest['metadata']['name']}: {exc.message} at {list(exc.path)}"
            )


def test_only_known_custom_resources(overlay: Overlay) -> None:
    _, manifests = overlay
    for manifest in manifests:
        if not is_builtin(manifest):
            assert (manifest["apiVersion"], manifest["kind"]) in CRD_KINDS, manifest["kind"]


def test_keda_resources_have_required_fields(overlay: Overlay) -> None:
    _, manifests = overlay
    auths = {m["metadata"]["name"]: m for m in of_kind(manifests, "TriggerAuthentication")}
    assert auths, "a TriggerAuthentication for RabbitMQ is needed"
    for auth in auths.values():
        assert auth["apiVersion"] == "keda.sh/v1alpha1"
        refs = auth["spec"]["secretTargetRef"]
        assert refs and all({"parameter", "name", "key"} <= set(ref) for ref in refs)
        assert "host" in {ref["parameter"] for ref in refs}, (
            "the rabbitmq scaler reads its host from the secret"
        )
    for scaled in of_kind(manifests, "ScaledObject"):
        spec = scaled["spec"]
        assert scaled["apiVersion"] == "keda.sh/v1alpha1"
        assert spec["scaleTargetRef"]["name"]
        assert spec["scaleTargetRef"].get("kind", "Deployment") == "Deployment"
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert spec["triggers"]
        for trigger in spec["triggers"]:
            assert {"type", "metadata"} <= set(trigger)
            if trigger["type"] == "rabbitmq":
                meta = trigger["metadata"]
                assert meta["protocol"] in {"amqp", "http"}
                assert meta["mode"] in {"QueueLength", "MessageRate"}
                assert meta["value"].isdigit() and int(meta["value"]) > 0, "value is a string of a number"
                assert meta["queueName"]
                assert "host" not in meta, "credentials belong in the TriggerAuthentication, not the manifest"
                assert trigger["authenticationRef"]["name"] in auths
            elif trigger["type"] == "cpu":
                assert trigger["metricType"] == "Utilization" and trigger["metadata"]["value"].isdigit()


# --------------------------------------------------------------------------- deployments


def test_every_deployment_is_probed_hardened_and_resourced(overlay: Overlay) -> None:
    name, manifests = overlay
    deployments = of_kind(manifests, "Deployment")
    assert deployments
    for deployment in deployments:
        what = f"{name}:{deployment['metadata']['name']}"
        spec = deployment["spec"]["template"]["spec"]
        for container in spec["containers"]:
            assert "livenessProbe" in container, f"{what}: liveness probe"
            assert "readinessProbe" in container, f"{what}: readiness probe"
        assert spec.get("automountServiceAccountToken") is False, f"{what}: no API token needed"
        assert_hardened(spec, what)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_deployment_follows_conventions(overlay: Overlay, service: str) -> None:
    name, manifests = overlay
    module, port = SERVICES[service]
    deployment = find(manifests, "Deployment", service)
    container = app_container(deployment)
    assert container["command"] == ["uvicorn", f"{module}.app:app", "--host", "0.0.0.0", "--port", str(port)]
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [
        ("http", port),
        ("metrics", port + METRICS_PORT_OFFSET),
    ]
    config = find(manifests, "ConfigMap", f"{service}-config")["data"]
    prefix = "DVC_" + service.upper().replace("-", "_") + "_"
    assert config[prefix + "METRICS_PORT"] == str(port + METRICS_PORT_OFFSET)
    assert config[prefix + "METRICS_HOST"] == "0.0.0.0"
    liveness, readiness = container["livenessProbe"]["httpGet"], container["readinessProbe"]["httpGet"]
    assert liveness["path"] == "/healthz" and resolve_port(container, liveness["port"]) == port
    assert readiness["path"] == "/readyz" and resolve_port(container, readiness["port"]) == port
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    image = container["image"]
    if name == "dev":
        assert image == f"dvc/{service}:dev"
    else:
        assert re.fullmatch(rf"[a-z0-9.-]+/dvc/{service}:\d+\.\d+\.\d+", image), image


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_object_matches_port_and_pods(overlay: Overlay, service: str) -> None:
    _, manifests = overlay
    _, port = SERVICES[service]
    svc = find(manifests, "Service", service)
    deployment = find(manifests, "Deployment", service)
    assert [p["port"] for p in svc["spec"]["ports"]] == [port, port + METRICS_PORT_OFFSET]
    assert resolve_port(app_container(deployment), svc["spec"]["ports"][1]["targetPort"]) == (
        port + METRICS_PORT_OFFSET
    )
    assert resolve_port(app_container(deployment), svc["spec"]["ports"][0]["targetPort"]) == port
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    # No other Deployment's pods may be selected by this Service.
    for other in of_kind(manifests, "Deployment"):
        if other is not deployment:
            assert (
                not svc["spec"]["selector"].items() <= other["spec"]["template"]["metadata"]["labels"].items()
            )


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_pod_disruption_budget_covers_service(overlay: Overlay, service: str) -> None:
    _, manifests = overlay
    pdb = find(manifests, "PodDisruptionBudget", service)
    pod_labels = find(manifests, "Deployment", service)["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert "maxUnavailable" in pdb["spec"] or "minAvailable" in pdb["spec"]


# --------------------------------------------------------------------------- configuration and secrets


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_config_map_holds_only_non_secret_settings(overlay: Overlay, service: str) -> None:
    name, manifests = overlay
    pre = prefix(service)
    config = find(manifests, "ConfigMap", f"{service}-config")["data"]
    assert all(key.startswith(pre) for key in config), config
    settings = {key.removeprefix(pre) for key in config}
    assert COMMON_CONFIG_VARS | EXTRA_CONFIG_VARS.get(service, set()) <= settings
    assert not settings & {"DATABASE_URL", "AMQP_URL", "S3_ACCESS_KEY", "S3_SECRET_KEY", "PORTAL_API_KEY"}
    assert config[f"{pre}ENVIRONMENT"] == ("development" if name == "dev" else "production")
    assert all(isinstance(v, str) for v in config.values())
    for container in all_containers(find(manifests, "Deployment", service)):
        assert {"configMapRef": {"name": f"{service}-config"}} in container["envFrom"]


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_secrets_are_referenced_not_inlined(overlay: Overlay, service: str) -> None:
    name, manifests = overlay
    pre = prefix(service)
    container = app_container(find(manifests, "Deployment", service))
    refs = secret_refs(container)
    expected = {pre + var for var in {"DATABASE_URL", "AMQP_URL"} | EXTRA_SECRET_VARS.get(service, set())}
    assert set(refs) == expected
    assert all("value" not in e for e in container.get("env", []) if e["name"] in expected)
    secrets = {s["metadata"]["name"]: s for s in of_kind(manifests, "Secret")}
    if name == "prod":
        assert not secrets, "production ships no Secret; they are created out of band"
    else:
        for env in container["env"]:
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref and not ref.get("optional"):
                assert ref["key"] in secrets[ref["name"]]["stringData"], (
                    f"example {ref['name']} lacks {ref['key']}"
                )
        db_url = secrets[f"{service}-secrets"]["stringData"]["database-url"]
        assert db_url.startswith("postgresql+asyncpg://")
        assert db_url.endswith("/dvc_" + service.replace("-", "_")), "one database per service"
        assert secrets[f"{service}-secrets"]["stringData"]["amqp-url"].startswith("amqp://")


def test_readme_lists_every_secret_production_needs() -> None:
    manifests = render(OVERLAYS["prod"])
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    needed: set[tuple[str, str]] = set()
    for workload in of_kind(manifests, "Deployment"):
        for container in all_containers(workload):
            needed |= set(secret_refs(container).values())
        for volume in workload["spec"]["template"]["spec"].get("volumes", []):
            if "secret" in volume:
                needed |= {(volume["secret"]["secretName"], item) for item in ("userlist.txt",)}
    for auth in of_kind(manifests, "TriggerAuthentication"):
        needed |= {(ref["name"], ref["key"]) for ref in auth["spec"]["secretTargetRef"]}
    for secret_name, key in sorted(needed):
        assert secret_name in readme and key in readme, f"deploy/README.md must document {secret_name}/{key}"


# --------------------------------------------------------------------------- migrations


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_pod_migrates_before_it_serves(overlay: Overlay, service: str) -> None:
    """An init container runs the idempotent, advisory-locked `dvc migrate` with the app's image and
    settings, so a new image is migrated before its first pod serves; no Job to delete per release."""
    _, manifests = overlay
    deployment = find(manifests, "Deployment", service)
    pod = deployment["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    assert init["name"] == "migrate" and init["command"] == ["dvc", "migrate", service]
    app = app_container(deployment)
    assert init["image"] == app["image"]
    assert init["envFrom"] == app["envFrom"] and secret_refs(init) == secret_refs(app)
    assert not [j for j in of_kind(manifests, "Job")], "migrations run in init containers, not Jobs"


# --------------------------------------------------------------------------- autoscaling


def test_code_and_dev_stack_agree_on_the_services() -> None:
    """Every service in the dev stack announces itself (with its queues) through the registry."""
    assert CODE_SERVICES, "no dvc.services entry points found: are the services installed?"
    assert set(CODE_SERVICES) == set(SERVICE_PORTS)
    for name, entry in CODE_SERVICES.items():
        for spec in entry.queues:
            assert spec.name.startswith(f"{name}."), f"{spec.name}: queues are named <service>.<purpose>"
            assert not spec.name.endswith((".retry", ".dlq")), f"{spec.name}: consumed queues only"
        assert len(set(QUEUES[name])) == len(QUEUES[name]), f"{name}: duplicate queue names"


def test_each_service_has_exactly_one_autoscaler(overlay: Overlay) -> None:
    _, manifests = overlay
    targets: dict[str, list[str]] = {}
    for scaled in of_kind(manifests, "ScaledObject"):
        targets.setdefault(scaled["spec"]["scaleTargetRef"]["name"], []).append("ScaledObject")
    for hpa in of_kind(manifests, "HorizontalPodAutoscaler"):
        assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        targets.setdefault(hpa["spec"]["scaleTargetRef"]["name"], []).append("HorizontalPodAutoscaler")
    for service in SERVICES:
        # A service that consumes queues (in code) scales with KEDA, any other with a plain HPA.
        expected = ["ScaledObject"] if QUEUES[service] else ["HorizontalPodAutoscaler"]
        # KEDA generates its own HPA; a second one would fight it over the replica count.
        assert targets.get(service) == expected, f"{service}: {targets.get(service)}"
    deployments = {d["metadata"]["name"] for d in of_kind(manifests, "Deployment")}
    assert set(targets) <= deployments


@pytest.mark.parametrize("service", CONSUMERS)
def test_consumer_scales_on_its_queues_and_cpu(overlay: Overlay, service: str) -> None:
    name, manifests = overlay
    scaled = find(manifests, "ScaledObject", service)
    triggers = scaled["spec"]["triggers"]
    rabbitmq = [t for t in triggers if t["type"] == "rabbitmq"]
    in_manifest = sorted(t["metadata"]["queueName"] for t in rabbitmq)
    assert in_manifest == sorted(QUEUES[service]), (
        f"{service}: ScaledObject triggers {in_manifest} differ from the queues in code {sorted(QUEUES[service])}"
    )
    # Trigger names are unique within a ScaledObject; by convention the queue name with dashes.
    assert [t["name"] for t in rabbitmq] == [t["metadata"]["queueName"].replace(".", "-") for t in rabbitmq]
    assert [t["type"] for t in triggers].count("cpu") == 1
    assert scaled["spec"]["scaleTargetRef"]["name"] == service
    if name == "dev":
        assert scaled["spec"]["minReplicaCount"] == scaled["spec"]["maxReplicaCount"] == 1
    else:
        assert scaled["spec"]["minReplicaCount"] >= 2 and scaled["spec"]["maxReplicaCount"] > 2
    # The cpu trigger computes utilisation against the request.
    assert "cpu" in app_container(find(manifests, "Deployment", service))["resources"]["requests"]


@pytest.mark.parametrize("service", NON_CONSUMERS)
def test_service_without_consumers_has_cpu_hpa(overlay: Overlay, service: str) -> None:
    name, manifests = overlay
    assert not [s for s in of_kind(manifests, "ScaledObject") if s["metadata"]["name"] == service]
    hpa = find(manifests, "HorizontalPodAutoscaler", service)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == service
    assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
    if name == "dev":
        assert hpa["spec"]["minReplicas"] == hpa["spec"]["maxReplicas"] == 1
    else:
        assert hpa["spec"]["minReplicas"] >= 2


def test_readme_names_exactly_the_queues_in_code() -> None:
    readme = (REPO / "deploy" / "README.md").read_text(encoding="utf-8")
    services = "|".join(re.escape(s) for s in SERVICES)
    named = set(re.findall(rf"`((?:{services})\.[a-z][a-z0-9-]*)`", readme))
    in_code = {queue for queues in QUEUES.values() for queue in queues}
    assert named == in_code, f"deploy/README.md: stale {named - in_code}, missing {in_code - named}"


# --------------------------------------------------------------------------- overlays


def test_everything_lands_in_the_overlay_namespace(overlay: Overlay) -> None:
    name, manifests = overlay
    namespaces = of_kind(manifests, "Namespace")
    assert [n["metadata"]["name"] for n in namespaces] == [NAMESPACES[name]]
    assert namespaces[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for manifest in manifests:
        if manifest["kind"] != "Namespace":
            assert manifest["metadata"]["namespace"] == NAMESPACES[name], manifest["metadata"]["name"]


def test_dev_overlay_runs_the_sandbox_and_points_services_at_it() -> None:
    manifests = render(OVERLAYS["dev"])
    sandbox = find(manifests, "Deployment", "sandbox")
    container = app_container(sandbox)
    assert sandbox_args(container["command"]) == SANDBOX_ARGS
    assert container["image"] == "dvc/sandbox:dev"
    sync_key = secret_refs(app_container(find(manifests, "Deployment", "sync-national")))[
        "DVC_SYNC_NATIONAL_PORTAL_API_KEY"
    ]
    assert secret_refs(container)["SANDBOX_PORTAL_API_KEY"] == sync_key, (
        "sandbox must accept sync-national's key"
    )
    assert {p["port"] for p in find(manifests, "Service", "sandbox")["spec"]["ports"]} == {8090, 1025}
    notify = find(manifests, "ConfigMap", "notify-config")["data"]
    assert (notify["DVC_NOTIFY_SMTP_HOST"], notify["DVC_NOTIFY_SMTP_PORT"]) == ("sandbox", "1025")
    sync = find(manifests, "ConfigMap", "sync-national-config")["data"]
    assert sync["DVC_SYNC_NATIONAL_PORTAL_URL"] == "http://sandbox:8090/national-portal"
    intake = find(manifests, "ConfigMap", "intake-config")["data"]
    assert intake["DVC_INTAKE_BLOB_BACKEND"] == "local"
    intake_container = app_container(find(manifests, "Deployment", "intake"))
    assert intake["DVC_INTAKE_BLOB_DIR"] in {m["mountPath"] for m in intake_container["volumeMounts"]}


def test_prod_overlay_is_bigger_and_has_no_sandbox() -> None:
    dev, prod = render(OVERLAYS["dev"]), render(OVERLAYS["prod"])
    assert not [m for m in prod if m["metadata"]["name"] == "sandbox"]

    def memory_mi(value: str) -> int:
        return int(value[:-2]) * (1024 if value.endswith("Gi") else 1)

    for service in SERVICES:
        dev_res = app_container(find(dev, "Deployment", service))["resources"]
        prod_res = app_container(find(prod, "Deployment", service))["resources"]
        assert memory_mi(prod_res["limits"]["memory"]) > memory_mi(dev_res["limits"]["memory"])
        assert memory_mi(prod_res["requests"]["memory"]) > memory_mi(dev_res["requests"]["memory"])
        image = app_container(find(prod, "Deployment", service))["image"]
        assert not image.endswith((":dev", ":latest"))


# --------------------------------------------------------------------------- renderer fidelity


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with built-in kustomize) not installed")
@pytest.mark.parametrize("name", sorted(OVERLAYS))
def test_renderer_agrees_with_kubectl_kustomize(name: str) -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(OVERLAYS[name])], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    theirs = {
        (m["kind"], m["metadata"].get("namespace"), m["metadata"]["name"]): m
        for m in yaml.safe_load_all(out)
        if m
    }
    ours = {
        (m["kind"], m["metadata"].get("namespace"), m["metadata"]["name"]): m for m in render(OVERLAYS[name])
    }
    assert sorted(theirs, key=str) == sorted(ours, key=str)
    for key, manifest in ours.items():
        assert manifest == theirs[key], f"{name}: {key} differs between the test renderer and kustomize"


def test_renderer_refuses_unsupported_fields(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: []\nsecretGenerator: []\n")
    with pytest.raises(KustomizeError):
        render(tmp_path)
