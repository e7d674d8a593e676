"""The Kubernetes manifests' test support: a small kustomize renderer and helpers (tests/deploy).

kustomize is not a dependency of the project, so this carries a renderer for the subset of
kustomization.yaml the overlays use (resources, namespace, labels, images, strategic-merge patches,
configMapGenerator with files). It refuses any other field, so the overlays cannot quietly grow past
what is tested. Where `kubectl` is installed, test_deploy_k8s.py checks that its built-in kustomize
renders the same overlays identically.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = {"dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}
NAMESPACES = {"dev": "dvc-dev", "prod": "dvc"}
Overlay = tuple[str, list[dict[str, Any]]]


SUPPORTED_FIELDS = {
    "apiVersion",
    "kind",
    "resources",
    "namespace",
    "labels",
    "images",
    "patches",
    "configMapGenerator",
}
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
# Strategic-merge list keys of the built-in kinds the overlays patch; CRD lists are replaced whole.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "envFrom": None,
}


class KustomizeError(Exception):
    pass


def _load_yaml_docs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [doc for doc in yaml.safe_load_all(fh) if doc is not None]


def is_builtin(resource: dict[str, Any]) -> bool:
    """Core and apps/batch/policy/... groups have no dot; other built-in groups end in .k8s.io."""
    group = resource["apiVersion"].rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io")


def _strategic_merge(base: Any, patch: Any, builtin: bool, field: str = "") -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            if key.startswith("$"):
                raise KustomizeError(f"patch directive {key} is not supported")
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = _strategic_merge(merged[key], value, builtin, key)
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(patch, list) and builtin and MERGE_KEYS.get(field):
        # Items with a matching key are merged in place; new items go first, as kustomize puts them.
        key = MERGE_KEYS[field]
        merged_list = [copy.deepcopy(item) for item in base]
        added = []
        for item in patch:
            for i, existing in enumerate(merged_list):
                if existing.get(key) == item.get(key):
                    merged_list[i] = _strategic_merge(existing, item, builtin)
                    break
            else:
                added.append(copy.deepcopy(item))
        return added + merged_list
    return copy.deepcopy(patch)


def _matches_target(resource: dict[str, Any], target: dict[str, Any]) -> bool:
    unknown = set(target) - {"kind", "name", "namespace", "labelSelector"}
    if unknown:
        raise KustomizeError(f"patch target fields not supported: {unknown}")
    meta = resource["metadata"]
    if "kind" in target and resource["kind"] != target["kind"]:
        return False
    if "name" in target and not re.fullmatch(target["name"], meta["name"]):
        return False
    if "namespace" in target and meta.get("namespace") != target["namespace"]:
        return False
    if "labelSelector" in target:
        labels = meta.get("labels", {})
        for term in target["labelSelector"].split(","):
            k, _, v = term.partition("=")
            if labels.get(k.strip()) != v.strip():
                return False
    return True


def _apply_patches(resources: list[dict[str, Any]], patches: list[dict[str, Any]], root: Path) -> None:
    for entry in patches:
        if set(entry) - {"path", "patch", "target"}:
            raise KustomizeError(f"patch fields not supported: {set(entry)}")
        docs = (
            _load_yaml_docs(root / entry["path"])
            if "path" in entry
            else list(yaml.safe_load_all(entry["patch"]))
        )
        for doc in docs:
            if "target" in entry:
                matches = [r for r in resources if _matches_target(r, entry["target"])]
            else:
                matches = [
                    r
                    for r in resources
                    if r["kind"] == doc["kind"] and r["metadata"]["name"] == doc["metadata"]["name"]
                ]
            if not matches:
                raise KustomizeError(f"patch {entry} matches no resource")
            for resource in matches:
                body = copy.deepcopy(doc)
                body["metadata"] = {
                    k: v for k, v in body["metadata"].items() if k not in ("name", "namespace")
                }
                merged = _strategic_merge(resource, body, is_builtin(resource))
                resource.clear()
                resource.update(merged)


def _pod_specs(resource: dict[str, Any]) -> list[dict[str, Any]]:
    if resource["kind"] in POD_TEMPLATE_KINDS:
        return [resource["spec"]["template"]["spec"]]
    if resource["kind"] == "CronJob":
        return [resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return []


def _apply_images(resources: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for rule in images:
        if set(rule) - {"name", "newName", "newTag", "digest"}:
            raise KustomizeError(f"image fields not supported: {set(rule)}")
        for resource in resources:
            for spec in _pod_specs(resource):
                for container in spec.get("containers", []) + spec.get("initContainers", []):
                    name = re.split(r"[@]", container["image"])[0]
                    name = name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name
                    if name != rule["name"]:
                        continue
                    new = rule.get("newName", name)
                    if "digest" in rule:
                        new += "@" + rule["digest"]
                    elif "newTag" in rule:
                        new += ":" + str(rule["newTag"])
                    container["image"] = new


def _apply_labels(resources: list[dict[str, Any]], label_sets: list[dict[str, Any]]) -> None:
    for entry in label_sets:
        if entry.get("includeSelectors"):
            raise KustomizeError(
                "labels.includeSelectors is not supported (it would change immutable selectors)"
            )
        for resource in resources:
            resource["metadata"].setdefault("labels", {}).update(entry["pairs"])
            if entry.get("includeTemplates") and resource["kind"] in POD_TEMPLATE_KINDS:
                resource["spec"]["template"].setdefault("metadata", {}).setdefault("labels", {}).update(
                    entry["pairs"]
                )


def _generate_config_maps(generators: list[dict[str, Any]], root: Path) -> list[dict[str, Any]]:
    """configMapGenerator with `files` only and a stable name (disableNameSuffixHash)."""
    maps = []
    for generator in generators:
        if set(generator) - {"name", "files", "options"}:
            raise KustomizeError(f"configMapGenerator fields not supported: {set(generator)}")
        options = generator.get("options", {})
        if (
            set(options) - {"disableNameSuffixHash", "labels"}
            or options.get("disableNameSuffixHash") is not True
        ):
            raise KustomizeError(
                "configMapGenerator needs options.disableNameSuffixHash: true (and labels only)"
            )
        data = {}
        for file in generator["files"]:
            if "=" in file or not (root / file).resolve().is_relative_to(root.resolve()):
                raise KustomizeError(f"configMapGenerator file {file}: a plain path below the kustomization")
            data[Path(file).name] = (root / file).read_text(encoding="utf-8")
        metadata: dict[str, Any] = {"name": generator["name"]}
        if options.get("labels"):
            metadata["labels"] = dict(options["labels"])
        maps.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data})
    return maps


def render(directory: Path) -> list[dict[str, Any]]:
    """Render a kustomization directory (the supported subset) into a list of manifests."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unsupported = set(kustomization) - SUPPORTED_FIELDS
    if unsupported:
        raise KustomizeError(
            f"{directory}: kustomization fields not supported by the test renderer: {unsupported}"
        )
    resources: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        resources.extend(render(path) if path.is_dir() else _load_yaml_docs(path))
    resources.extend(_generate_config_maps(kustomization.get("configMapGenerator", []), directory))
    _apply_patches(resources, kustomization.get("patches", []), directory)
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] not in CLUSTER_SCOPED:
                resource["metadata"]["namespace"] = kustomization["namespace"]
    _apply_labels(resources, kustomization.get("labels", []))
    _apply_images(resources, kustomization.get("images", []))
    ids = [(r["kind"], r["metadata"].get("namespace"), r["metadata"]["name"]) for r in resources]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise KustomizeError(f"duplicate resources: {duplicates}")
    return resources


def find(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, f"expected exactly one {kind}/{name}, found {len(found)}"
    return found[0]


def of_kind(manifests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [m for m in manifests if m["kind"] == kind]


def all_containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    spec = workload["spec"]["template"]["spec"]
    containers: list[dict[str, Any]] = spec.get("initContainers", []) + spec["containers"]
    return containers


def app_container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{deployment['metadata']['name']}: one container expected"
    return containers[0]


def resolve_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    named: dict[str, int] = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    assert port in named, f"container {container['name']} has no port named {port}"
    return named[port]


def secret_refs(container: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        e["name"]: (e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


def assert_hardened(pod_spec: dict[str, Any], what: str) -> None:
    pod_sc = pod_spec.get("securityContext", {})
    assert pod_sc.get("runAsNonRoot") is True, f"{what}: pod must set runAsNonRoot"
    assert pod_sc.get("runAsUser", 10001) != 0, f"{what}: runs as root"
    for container in pod_spec.get("initContainers", []) + pod_spec["containers"]:
        sc = container.get("securityContext", {})
        seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
        assert seccomp.get("type") == "RuntimeDefault", f"{what}/{container['name']}: seccomp RuntimeDefault"
        assert sc.get("allowPrivilegeEscalation") is False, (
            f"{what}/{container['name']}: allowPrivilegeEscalation"
        )
        assert sc.get("readOnlyRootFilesystem") is True, f"{what}/{container['name']}: readOnlyRootFilesystem"
        assert sc.get("capabilities", {}).get("drop") == ["ALL"], f"{what}/{container['name']}: drop ALL"
        assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True
        resources = container.get("resources", {})
        for section in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                assert resource in resources.get(section, {}), (
                    f"{what}/{container['name']}: {section}.{resource}"
                )
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        assert "/tmp" in mounts, (
            f"{what}/{container['name']}: a writable /tmp is needed with a read-only root"
        )
        volumes = {v["name"]: v for v in pod_spec.get("volumes", [])}
        assert "emptyDir" in volumes[mounts["/tmp"]], f"{what}: /tmp must be an emptyDir"
