"""What the Kubernetes overlays add around the services: network policies, the ingress, PgBouncer.

Who calls whom is read from the code (each service's settings class: every URL default that points
at another service's port, and the JWKS URL every service verifies tokens with), so a new HTTP call
without its NetworkPolicy fails here. Observability resources: test_observability.py.
"""

from __future__ import annotations

import configparser
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from k8s_support import OVERLAYS, REPO, Overlay, all_containers, find, of_kind, render

from dvc_common.registry import discover
from dvc_common.settings import METRICS_PORT_OFFSET
from dvc_devkit.devstack import SANDBOX_PORT, SERVICE_PORTS

PORT_TO_SERVICE = {port: name for name, port in SERVICE_PORTS.items()}
PUBLIC_PATH_PATTERNS = {r"api/.*", r"\.well-known/.*"}  # the look-up page is the portal's
NEVER_PUBLIC = ("metrics", "healthz", "readyz", "docs", "openapi.json")


def settings_urls(service: str) -> list[str]:
    """Every URL default the service calls (dev defaults point at 127.0.0.1:<port>); `public_*` are
    addresses the service gives to people (links in mails and on slips, its own public URL)."""
    settings = discover()[service].settings()
    urls = []
    for name in type(settings).model_fields:
        if name.startswith("public_"):
            continue
        value = getattr(settings, name)
        if isinstance(value, str) and value.startswith("http"):
            urls.append(value)
    return urls


def calls(service: str) -> tuple[set[str], bool]:
    """(services it calls over HTTP, whether it calls a national/external system)."""
    internal, external = set(), False
    for url in settings_urls(service):
        port = urlsplit(url).port
        if port in PORT_TO_SERVICE and PORT_TO_SERVICE[port] != service:
            internal.add(PORT_TO_SERVICE[port])
        elif port == SANDBOX_PORT:
            external = True
    return internal, external


def policies_for(manifests: list[dict[str, Any]], pod_labels: dict[str, str]) -> list[dict[str, Any]]:
    def selects(policy: dict[str, Any]) -> bool:
        selector = policy["spec"]["podSelector"]
        if not selector.get("matchLabels", {}).items() <= pod_labels.items():
            return False
        for expression in selector.get("matchExpressions", []):
            assert expression["operator"] == "In"
            if pod_labels.get(expression["key"]) not in expression["values"]:
                return False
        return True

    return [p for p in of_kind(manifests, "NetworkPolicy") if selects(p)]


def peer_selects(peer: dict[str, Any], labels: dict[str, str]) -> bool:
    return "podSelector" in peer and peer["podSelector"].get("matchLabels", {}).items() <= labels.items()


def egress_allows(policies: list[dict[str, Any]], target_labels: dict[str, str], port: int) -> bool:
    for policy in policies:
        for rule in policy["spec"].get("egress", []):
            ports = {p["port"] for p in rule.get("ports", [])}
            if port in ports and any(peer_selects(peer, target_labels) for peer in rule.get("to", [])):
                return True
    return False


def ingress_allows(policies: list[dict[str, Any]], source_labels: dict[str, str], port: int) -> bool:
    for policy in policies:
        for rule in policy["spec"].get("ingress", []):
            ports = {p["port"] for p in rule.get("ports", [])}
            if port in ports and any(peer_selects(peer, source_labels) for peer in rule.get("from", [])):
                return True
    return False


def pod_labels(manifests: list[dict[str, Any]], name: str) -> dict[str, str]:
    labels: dict[str, str] = find(manifests, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
    return labels


# --------------------------------------------------------------------------- network policies


def test_namespace_denies_everything_by_default_except_dns(overlay: Overlay) -> None:
    _, manifests = overlay
    deny = find(manifests, "NetworkPolicy", "default-deny")["spec"]
    assert deny["podSelector"] == {} and sorted(deny["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in deny and "egress" not in deny
    dns = find(manifests, "NetworkPolicy", "allow-dns")["spec"]
    assert dns["podSelector"] == {} and dns["policyTypes"] == ["Egress"]
    assert {(p["protocol"], p["port"]) for p in dns["egress"][0]["ports"]} == {("UDP", 53), ("TCP", 53)}


def test_every_workload_has_a_policy_of_its_own(overlay: Overlay) -> None:
    _, manifests = overlay
    for deployment in of_kind(manifests, "Deployment"):
        name = deployment["metadata"]["name"]
        own = [p for p in policies_for(manifests, pod_labels(manifests, name)) if p["spec"]["podSelector"]]
        assert own, f"{name}: no NetworkPolicy selects its pods, so default-deny cuts it off"


def test_no_policy_opens_a_door_wide(overlay: Overlay) -> None:
    _, manifests = overlay
    for policy in of_kind(manifests, "NetworkPolicy"):
        name = policy["metadata"]["name"]
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from") and rule.get("ports"), f"{name}: ingress from anywhere or on any port"
        for rule in policy["spec"].get("egress", []):
            assert rule.get("to") and rule.get("ports"), f"{name}: egress to anywhere or on any port"
            for peer in rule["to"]:
                if "ipBlock" in peer:
                    assert set(peer["ipBlock"]["except"]) >= {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}
                    assert {p["port"] for p in rule["ports"]} <= {443, 587, 465, 25}, (
                        f"{name}: {rule['ports']}"
                    )


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_only_prometheus_reaches_the_metrics_port_and_the_ingress_not(overlay: Overlay, service: str) -> None:
    _, manifests = overlay
    own = policies_for(manifests, pod_labels(manifests, service))
    port, metrics_port = SERVICE_PORTS[service], SERVICE_PORTS[service] + METRICS_PORT_OFFSET
    admitted = {
        (
            peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name"),
            p["port"],
        )
        for policy in own
        for rule in policy["spec"].get("ingress", [])
        for peer in rule["from"]
        for p in rule["ports"]
    }
    assert ("monitoring", metrics_port) in admitted
    assert ("monitoring", port) not in admitted, "Prometheus needs only the metrics port"
    assert not {p for source, p in admitted if source != "monitoring" and p == metrics_port}
    backends = {
        path["backend"]["service"]["port"].get("number") or path["backend"]["service"]["port"].get("name")
        for ingress in of_kind(manifests, "Ingress")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends and metrics_port not in backends and "metrics" not in backends


@pytest.mark.parametrize("service", sorted(SERVICE_PORTS))
def test_service_reaches_its_platform_and_exactly_what_its_settings_call(
    overlay: Overlay, service: str
) -> None:
    name, manifests = overlay
    own = policies_for(manifests, pod_labels(manifests, service))
    assert egress_allows(own, {"app.kubernetes.io/name": "pgbouncer"}, 6432)
    assert egress_allows(own, {"app.kubernetes.io/name": "rabbitmq"}, 5672)
    internal, external = calls(service)
    for callee in sorted(internal):
        port = SERVICE_PORTS[callee]
        assert egress_allows(own, pod_labels(manifests, callee), port), f"{service} calls {callee}: no egress"
        callee_policies = policies_for(manifests, pod_labels(manifests, callee))
        assert ingress_allows(callee_policies, pod_labels(manifests, service), port), (
            f"{callee} does not admit {service}"
        )
    # Egress to other services is only what the settings call.
    for other, port in SERVICE_PORTS.items():
        if other != service and other not in internal:
            assert not egress_allows(own, pod_labels(manifests, other), port), f"{service} may reach {other}"
    public = [
        peer
        for policy in own
        for rule in policy["spec"].get("egress", [])
        for peer in rule["to"]
        if "ipBlock" in peer
    ]
    assert bool(public) == external, (
        f"{service}: public egress {bool(public)}, calls national systems {external}"
    )
    if name == "dev" and external:
        assert egress_allows(own, {"app.kubernetes.io/name": "sandbox"}, SANDBOX_PORT), (
            "dev: the sandbox instead"
        )


def test_pgbouncer_admits_only_the_services(overlay: Overlay) -> None:
    _, manifests = overlay
    own = policies_for(manifests, pod_labels(manifests, "pgbouncer"))
    for service in SERVICE_PORTS:
        assert ingress_allows(own, pod_labels(manifests, service), 6432)
    assert not ingress_allows(own, {"app.kubernetes.io/name": "sandbox"}, 6432)
    assert egress_allows(own, {"cnpg.io/cluster": "postgres"}, 5432)


# --------------------------------------------------------------------------- ingress


def ingress_paths(manifests: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    found = []
    for ingress in of_kind(manifests, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                found.append((rule["host"], path["path"], path, ingress))
    return found


def test_ingress_serves_every_host_over_tls(overlay: Overlay) -> None:
    _, manifests = overlay
    for ingress in of_kind(manifests, "Ingress"):
        tls_hosts = {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}
        assert {r["host"] for r in ingress["spec"]["rules"]} <= tls_hosts
        assert all(tls["secretName"] for tls in ingress["spec"]["tls"])
        annotations = ingress["metadata"]["annotations"]
        assert annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"
        assert annotations["cert-manager.io/cluster-issuer"]


def test_ingress_routes_only_public_paths_to_existing_backends(overlay: Overlay) -> None:
    _, manifests = overlay
    routed = set()
    for _, path, spec, ingress in ingress_paths(manifests):
        backend = spec["backend"]["service"]
        service = find(manifests, "Service", backend["name"])
        assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
        routed.add(backend["name"])
        if path == "/":
            assert backend["name"] == "portal" and "rewrite-target" not in str(ingress["metadata"])
            continue
        prefix, _, pattern = path.removeprefix("/").partition("/")
        assert prefix == backend["name"], f"{path}: the prefix names its service"
        assert pattern.startswith("(") and pattern.endswith(")") and pattern[1:-1] in PUBLIC_PATH_PATTERNS
        # ingress-nginx matches `^<path>` (regex, case-insensitive) and rewrites to /$1.
        regex = re.compile("^" + path, re.IGNORECASE)
        for hidden in NEVER_PUBLIC:
            assert not regex.match(f"/{prefix}/{hidden}"), f"{path} exposes /{hidden}"
        assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"] == "/$1"
    assert routed == set(SERVICE_PORTS), f"not routed: {set(SERVICE_PORTS) - routed}"


def test_public_urls_in_the_config_follow_the_ingress(overlay: Overlay) -> None:
    _, manifests = overlay
    (host,) = {h for h, *_ in ingress_paths(manifests)}
    identity = find(manifests, "ConfigMap", "identity-config")["data"]["DVC_IDENTITY_PUBLIC_URL"]
    assert identity == f"https://{host}/identity"
    for service in SERVICE_PORTS:
        data = find(manifests, "ConfigMap", f"{service}-config")["data"]
        prefix = "DVC_" + service.upper().replace("-", "_") + "_"
        assert data[prefix + "TOKEN_ISSUER"] == identity, f"{service} would refuse identity's tokens"
        assert urlsplit(data[prefix + "JWKS_URL"]).hostname == "identity"
    assert find(manifests, "ConfigMap", "portal-config")["data"]["DVC_PORTAL_PUBLIC_URL"] == f"https://{host}"


# --------------------------------------------------------------------------- PgBouncer and resources


def ini(text: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(comment_prefixes=(";",))
    parser.read_string(text)
    return {section: dict(parser[section]) for section in parser.sections()}


def test_pgbouncer_in_k8s_is_configured_like_compose(overlay: Overlay) -> None:
    _, manifests = overlay
    k8s = ini(find(manifests, "ConfigMap", "pgbouncer-config")["data"]["pgbouncer.ini"])
    compose = ini((REPO / "deploy" / "compose" / "pgbouncer" / "pgbouncer.ini").read_text(encoding="utf-8"))
    assert k8s["databases"] == {"*": "host=postgres-rw port=5432"}
    differ = {"admin_users", "stats_users"}
    assert {k: v for k, v in k8s["pgbouncer"].items() if k not in differ} == {
        k: v for k, v in compose["pgbouncer"].items() if k not in differ
    }
    container = all_containers(find(manifests, "Deployment", "pgbouncer"))[0]
    compose_image = re.search(
        r"image: (edoburu/pgbouncer:\S+)", (REPO / "docker-compose.yml").read_text("utf-8")
    )
    assert compose_image and container["image"] == compose_image.group(1)
    for service in SERVICE_PORTS:
        secrets = [s for s in of_kind(manifests, "Secret") if s["metadata"]["name"] == f"{service}-secrets"]
        for secret in secrets:  # dev examples
            assert urlsplit(secret["stringData"]["database-url"]).netloc.endswith("@pgbouncer:6432")


def test_requests_never_exceed_limits() -> None:
    def quantity(value: str) -> float:
        units = {"m": 1e-3, "Mi": 2**20, "Gi": 2**30, "Ki": 2**10}
        for unit, factor in units.items():
            if value.endswith(unit):
                return float(value[: -len(unit)]) * factor
        return float(value)

    for name in OVERLAYS:
        for deployment in of_kind(render(OVERLAYS[name]), "Deployment"):
            for container in all_containers(deployment):
                resources = container["resources"]
                for kind in ("cpu", "memory"):
                    assert quantity(resources["requests"][kind]) <= quantity(resources["limits"][kind])
