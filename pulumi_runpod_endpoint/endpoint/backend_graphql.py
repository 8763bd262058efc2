"""The GraphQL backends: RunPod's GraphQL (opt-in until it retires in early 2027) and Tensor One.

The flat spec is translated to GraphQL's ``EndpointInput``: pools and exclusions -> ``gpuIds``
(``"ADA_24,-NVIDIA L40"``), CPU flavors at vCPU counts -> ``instanceIds`` (``cpu3g-4-16``, and no
``gpuIds`` at all), data centers -> ``locations``, FlashBoot mode -> ``flashBootType`` (or the
`` -fb`` name suffix on Tensor One), an image -> an inline ``template``. Writes go through
``saveEndpoint``, which with an ``id`` resets the fields it has server defaults for when they are
left out -- so every update sends the whole desired record -- and ignores ``templateId``: a template
change goes through ``updateEndpointTemplate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from ..api.catalog import shipped_catalog
from ..api.errors import NotFound, Unauthorized, UnexpectedAnswer
from ..api.graphql import GraphQLExecutor
from ..api.session import Session
from ..validation import FieldProblem
from .backend import FLASHBOOT_SUFFIX, Change, Observed, RolloutState, strip_flashboot_suffix
from .spec import EndpointSpec, cpu_selection

__all__ = ["GraphQLBackend", "graphql_input", "graphql_problems", "observed_from_graphql"]

Flavor = Literal["runpod", "tensorone"]

_COMMON_FIELDS = (
    "id name templateId gpuIds gpuCount idleTimeout locations networkVolumeId scalerType scalerValue "
    "workersMin workersMax executionTimeoutMs allowedCudaVersions instanceIds type "
    "env { key value } createdAt version template { id imageName containerDiskInGb dockerArgs ports "
    "containerRegistryAuthId }"
)
_RUNPOD_ONLY_FIELDS = "flashBootType minCudaVersion networkVolumeIds { networkVolumeId }"


def _fields(flavor: Flavor) -> str:
    fields = _COMMON_FIELDS + (" " + _RUNPOD_ONLY_FIELDS if flavor == "runpod" else "")
    return fields + (" clusters { id desiredStatus }" if flavor == "tensorone" else " pods { id desiredStatus }")


def graphql_problems(spec: EndpointSpec, *, flavor: str) -> list[FieldProblem]:
    """What GraphQL cannot express: refused in ``check``, naming the backend that can."""
    problems: list[FieldProblem] = []
    if spec.scaler_value is not None and spec.scaler_value != int(spec.scaler_value):
        problems.append(
            FieldProblem(
                "scaler_value",
                f"scaler_value {spec.scaler_value} is fractional, but GraphQL's scalerValue is a whole number: "
                "use a whole number, or the REST v2 API (remove runpod:api graphql)",
            )
        )
    if flavor == "tensorone":
        if spec.flashboot == "PRIORITY_FLASHBOOT":
            problems.append(FieldProblem("flashboot", "tensorone offers FlashBoot on or off: use 'FLASHBOOT' or 'OFF'"))
        if spec.min_cuda_version is not None:
            problems.append(
                FieldProblem("min_cuda_version", "tensorone has no minimum CUDA version: use allowed_cuda_versions")
            )
        if spec.network_volume_ids and len(spec.network_volume_ids) > 1:
            problems.append(
                FieldProblem("network_volume_ids", "tensorone mounts at most one network volume per endpoint")
            )
        if spec.type != "QUEUE":
            problems.append(FieldProblem("type", "tensorone serves QUEUE endpoints only"))
    return problems


def graphql_input(spec: EndpointSpec, flavor: Flavor, endpoint_id: str | None = None) -> dict[str, Any]:
    """``EndpointInput`` for ``saveEndpoint``: the whole record (an update resets what it leaves out)."""
    data: dict[str, Any] = {
        "name": spec.name,
        "workersMin": spec.workers_min,
        "workersMax": spec.workers_max,
        "scalerType": spec.scaler_type,
        "scalerValue": int(spec.scaler_value or 0),
        "executionTimeoutMs": spec.execution_timeout_ms,
        "env": [{"key": key, "value": value} for key, value in (spec.env or {}).items()],
    }
    if endpoint_id is not None:
        data["id"] = endpoint_id
    if spec.idle_timeout is not None:
        data["idleTimeout"] = spec.idle_timeout
    if spec.type != "QUEUE":
        data["type"] = spec.type
    if spec.is_cpu:
        data["instanceIds"] = [instance_id(c.flavor_id, c.vcpu_count) for c in spec.cpu_choices()]
    else:
        data["gpuIds"] = ",".join([*(spec.gpu_pools or []), *(f"-{t}" for t in spec.gpu_excluded_types or [])])
        data["gpuCount"] = spec.gpu_count or 1
    if spec.allowed_cuda_versions:
        data["allowedCudaVersions"] = ",".join(spec.allowed_cuda_versions)
    if spec.data_center_ids:
        data["locations"] = ",".join(spec.data_center_ids)
    volumes = spec.network_volume_ids or []
    if flavor == "runpod":
        if spec.min_cuda_version:
            data["minCudaVersion"] = spec.min_cuda_version
        if volumes:
            data["networkVolumeIds"] = [{"networkVolumeId": volume} for volume in volumes]
        data["flashBootType"] = spec.flashboot
    else:
        if volumes:
            data["networkVolumeId"] = volumes[0]
        if spec.flashboot != "OFF":
            data["name"] = spec.name + FLASHBOOT_SUFFIX  # Tensor One's (and RunPod's older) convention
    if endpoint_id is None:
        if spec.template_id is not None:
            data["templateId"] = spec.template_id
        else:
            data["template"] = inline_template(spec)
    return data


def inline_template(spec: EndpointSpec) -> dict[str, Any]:
    """An ``EndpointTemplateInput``: the endpoint's own template, made in the same call."""
    template: dict[str, Any] = {
        "name": f"{spec.name}__template",
        "imageName": spec.image,
        "containerDiskInGb": spec.container_disk_gb or 5,
        "dockerArgs": spec.container_args or "",
        "env": [{"key": key, "value": value} for key, value in (spec.env or {}).items()],
        "startSsh": False,
        "startJupyter": False,
    }
    if spec.ports:
        template["ports"] = ",".join(spec.ports)
    if spec.registry_auth_id:
        template["containerRegistryAuthId"] = spec.registry_auth_id
    return template


def instance_id(flavor: str, vcpus: int) -> str:
    """``cpu3g-4-16``: flavor, vCPUs and GiB of memory (the flavor's GB per vCPU, from the catalog)."""
    per_vcpu = float((shipped_catalog().cpu_flavor(flavor) or {}).get("ramGbPerVcpu") or 2)
    return f"{flavor}-{vcpus}-{round(vcpus * per_vcpu)}"


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def observed_from_graphql(data: Mapping[str, Any], flavor: Flavor) -> Observed:
    """A GraphQL ``Endpoint`` in the flat spec's names."""
    gpu_ids = _split(data.get("gpuIds"))
    instances = [str(item) for item in data.get("instanceIds") or []]
    cpus = []
    for item in instances:
        parts = item.split("-")
        if len(parts) == 3 and parts[1].isdigit():
            cpus.append({"flavor_id": parts[0], "vcpu_count": int(parts[1])})
    counts = {c["vcpu_count"] for c in cpus}
    raw_name = data.get("name")
    flashboot = data.get("flashBootType")
    if flashboot is None:
        flashboot = "FLASHBOOT" if isinstance(raw_name, str) and raw_name.endswith(FLASHBOOT_SUFFIX) else "OFF"
    volumes = [v.get("networkVolumeId") for v in data.get("networkVolumeIds") or [] if isinstance(v, dict)]
    if not volumes and data.get("networkVolumeId"):
        volumes = [data["networkVolumeId"]]
    template = data.get("template") if isinstance(data.get("template"), dict) else {}
    assert isinstance(template, dict)
    env = {item["key"]: item["value"] for item in data.get("env") or [] if isinstance(item, dict) and "key" in item}
    fields: dict[str, Any] = {
        "name": strip_flashboot_suffix(raw_name) if isinstance(raw_name, str) else None,
        "type": data.get("type") or "QUEUE",
        "template_id": data.get("templateId"),
        "image": template.get("imageName"),
        "container_args": template.get("dockerArgs") or None,
        "container_disk_gb": template.get("containerDiskInGb"),
        "ports": _split(template.get("ports")) or None,
        "registry_auth_id": template.get("containerRegistryAuthId") or None,
        "env": env or None,
        "gpu_pools": [item for item in gpu_ids if not item.startswith("-")] or None,
        "gpu_excluded_types": [item[1:] for item in gpu_ids if item.startswith("-")] or None,
        "gpu_count": data.get("gpuCount") if not instances else None,
        "allowed_cuda_versions": _split(data.get("allowedCudaVersions")) or None,
        "min_cuda_version": data.get("minCudaVersion") or None,
        "cpu": cpus or None,
        "cpu_flavor_ids": list(dict.fromkeys(c["flavor_id"] for c in cpus)) if len(counts) == 1 else None,
        "vcpu_count": next(iter(counts)) if len(counts) == 1 else None,
        "workers_min": data.get("workersMin"),
        "workers_max": data.get("workersMax"),
        "idle_timeout": data.get("idleTimeout"),
        "scaler_type": data.get("scalerType"),
        "scaler_value": data.get("scalerValue"),
        "data_center_ids": _split(data.get("locations")) or None,
        "network_volume_ids": volumes or None,
        "execution_timeout_ms": data.get("executionTimeoutMs"),
        "flashboot": flashboot,
    }
    return Observed(str(data.get("id")), fields, created_at=data.get("createdAt"), version=data.get("version"))


class GraphQLBackend:
    """``ServerlessEndpoint`` on RunPod's GraphQL API, or Tensor One's copy of it."""

    def __init__(self, session: Session, url: str, *, flavor: str = "runpod") -> None:
        if flavor not in ("runpod", "tensorone"):
            raise ValueError(f"unknown GraphQL flavor {flavor!r}")
        self.flavor: Flavor = "tensorone" if flavor == "tensorone" else "runpod"
        self.name = "tensorone" if flavor == "tensorone" else "graphql"
        self.graphql = GraphQLExecutor(session, url)
        fields = _fields(self.flavor)
        self._save = f"mutation SaveEndpoint($input: EndpointInput!) {{ saveEndpoint(input: $input) {{ {fields} }} }}"
        self._get = f"query Endpoint($id: String!) {{ myself {{ endpoint(id: $id) {{ {fields} }} }} }}"
        self._list = f"query Endpoints {{ myself {{ endpoints {{ {fields} }} }} }}"
        self._delete = "mutation DeleteEndpoint($id: String!) { deleteEndpoint(id: $id) }"
        self._template = (
            "mutation UpdateEndpointTemplate($input: UpdateEndpointTemplateInput!) "
            f"{{ updateEndpointTemplate(input: $input) {{ {fields} }} }}"
        )

    def problems(self, spec: EndpointSpec) -> list[FieldProblem]:
        return graphql_problems(spec, flavor=self.flavor)

    def _myself(self, data: Mapping[str, Any], what: str) -> Mapping[str, Any]:
        myself = data.get("myself")
        if myself is None:
            # HTTP 200, no errors, myself: null -- the key authenticates but has no user behind it.
            raise Unauthorized(
                f"{what}: the API key has no user behind it (GraphQL myself is null); use a user API key"
            )
        if not isinstance(myself, Mapping):
            raise UnexpectedAnswer(f"{what}: the GraphQL answer's myself is not an object")
        return myself

    def _saved(self, data: Mapping[str, Any], key: str, what: str) -> Observed:
        saved = data.get(key)
        if not isinstance(saved, Mapping):
            raise UnexpectedAnswer(f"{what}: {key} returned no endpoint")
        return observed_from_graphql(saved, self.flavor)

    def create(self, spec: EndpointSpec) -> Observed:
        what = f"create endpoint {spec.name!r}"
        data = self.graphql.execute(
            self._save, {"input": graphql_input(spec, self.flavor)}, idempotent=False, what=what
        )
        return self._saved(data, "saveEndpoint", what)

    def get(self, endpoint_id: str) -> Observed:
        what = f"read endpoint {endpoint_id}"
        data = self.graphql.execute(self._get, {"id": endpoint_id}, idempotent=True, what=what)
        found = self._myself(data, what).get("endpoint")
        if found is None:
            raise NotFound(f"{what}: no such endpoint", status=404)
        return observed_from_graphql(found, self.flavor)

    def list(self) -> list[Observed]:
        """Every endpoint of the user, at most 400, oldest first (the API caps the list)."""
        what = "list endpoints"
        data = self.graphql.execute(self._list, idempotent=True, what=what)
        items = self._myself(data, what).get("endpoints") or []
        return [observed_from_graphql(item, self.flavor) for item in items if isinstance(item, Mapping)]

    def update(self, endpoint_id: str, change: Change, *, current: Observed | None = None) -> Observed | None:
        what = f"update endpoint {endpoint_id}"
        observed = None
        if change.reapply_template and change.new.template_id is not None:
            variables = {"input": {"endpointId": endpoint_id, "templateId": change.new.template_id}}
            data = self.graphql.execute(self._template, variables, idempotent=True, what=what)
            observed = self._saved(data, "updateEndpointTemplate", what)
        payload = {"input": graphql_input(change.new, self.flavor, endpoint_id)}
        data = self.graphql.execute(self._save, payload, idempotent=True, what=what)
        return self._saved(data, "saveEndpoint", what) if data else observed

    def scale_to_zero(self, endpoint_id: str, last_known: Mapping[str, Any] | None) -> None:
        """saveEndpoint resets what it is not sent, so it gets the whole record, at zero workers."""
        fields = dict(last_known or {})
        if not fields.get("name"):
            fields = dict(self.get(endpoint_id).fields)
        values = {k: v for k, v in fields.items() if k in EndpointSpec.model_fields and v is not None}
        values.update(workers_min=0, workers_max=0)
        values.setdefault("image", "unused")  # not sent on an update; only satisfies the model
        spec = EndpointSpec.model_validate(values)
        what = f"scale endpoint {endpoint_id} to zero"
        self.graphql.execute(
            self._save, {"input": graphql_input(spec, self.flavor, endpoint_id)}, idempotent=True, what=what
        )

    def delete(self, endpoint_id: str) -> None:
        self.graphql.execute(self._delete, {"id": endpoint_id}, idempotent=True, what=f"delete endpoint {endpoint_id}")

    def rollout(self, endpoint_id: str) -> RolloutState | None:
        return None  # GraphQL reports no releases: there is nothing to wait for


def cpu_instance_ids(spec: EndpointSpec) -> list[str]:
    return [
        instance_id(c.flavor_id, c.vcpu_count) for c in cpu_selection(spec.cpu, spec.cpu_flavor_ids, spec.vcpu_count)
    ]
