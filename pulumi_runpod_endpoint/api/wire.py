"""Translation between ``EndpointSpec``/``Endpoint`` and the two APIs' wire shapes.

The REST and GraphQL APIs name and shape the same facts differently (lists vs comma-joined
strings, ``env`` as a map vs key/value pairs, network volumes as strings vs objects, FlashBoot
as a bool, an enum or a name suffix). Keeping every such rule here means the clients stay thin
and the quirks are tested in one place.
"""

from __future__ import annotations

from typing import Any, Literal

from .enums import DATA_CENTER_IDS
from .models import FLASHBOOT_SUFFIX, Endpoint, EndpointSpec, split_csv

__all__ = [
    "Flavor",
    "endpoint_from_graphql",
    "endpoint_from_rest",
    "graphql_input",
    "rest_create_body",
    "rest_update_body",
    "strip_flashboot_suffix",
]

Flavor = Literal["runpod", "tensorone"]


def strip_flashboot_suffix(name: str | None) -> tuple[str | None, bool]:
    """Names come back with " -fb" appended when FlashBoot is on (runpodctl issue 270)."""
    if name is not None and name.endswith(FLASHBOOT_SUFFIX):
        return name[: -len(FLASHBOOT_SUFFIX)], True
    return name, False


def _shared_fields(spec: EndpointSpec) -> dict[str, Any]:
    """Fields both APIs name and shape the same way."""
    fields: dict[str, Any] = {
        "name": spec.name,
        "templateId": spec.template_id,
        "idleTimeout": spec.idle_timeout,
        "scalerType": spec.scaler_type,
        "scalerValue": spec.scaler_value,
        "workersMin": spec.workers_min,
        "workersMax": spec.workers_max,
    }
    if spec.execution_timeout_ms is not None:
        fields["executionTimeoutMs"] = spec.execution_timeout_ms
    return fields


def _common_rest(spec: EndpointSpec) -> dict[str, Any]:
    body = {**_shared_fields(spec), "flashboot": spec.flashboot}
    if spec.compute_type == "GPU":
        body["gpuCount"] = spec.gpu_count
        if spec.gpu_type_ids is not None:
            body["gpuTypeIds"] = spec.gpu_type_ids
        if spec.min_cuda_version is not None:
            body["minCudaVersion"] = spec.min_cuda_version
    else:
        if spec.cpu_flavor_ids is not None:
            body["cpuFlavorIds"] = spec.cpu_flavor_ids
        if spec.vcpu_count is not None:
            body["vcpuCount"] = spec.vcpu_count
    return body


def rest_create_body(spec: EndpointSpec) -> dict[str, Any]:
    """POST /v1/endpoints body (EndpointCreateInput): only what the user set or defaulted."""
    body = _common_rest(spec)
    body["computeType"] = spec.compute_type
    if spec.data_center_ids is not None:
        body["dataCenterIds"] = spec.data_center_ids
    if spec.network_volume_id is not None:
        body["networkVolumeId"] = spec.network_volume_id
    if spec.network_volume_ids is not None:
        body["networkVolumeIds"] = spec.network_volume_ids
    if spec.compute_type == "GPU" and spec.allowed_cuda_versions is not None:
        body["allowedCudaVersions"] = spec.allowed_cuda_versions
    return body


def rest_update_body(spec: EndpointSpec) -> dict[str, Any]:
    """PATCH body (EndpointUpdateInput): the *full* desired spec.

    The spec documents PATCH fields as optional but not whether an omitted field keeps its
    value or resets (saveEndpoint resets: QUIRKS.md). Sending every field makes the update
    mean the same under both readings, and states removals explicitly: no data centers means
    the API's default (all of them), no network volume is "" / [], no CUDA pin is [].
    """
    body = _common_rest(spec)
    body["dataCenterIds"] = spec.data_center_ids if spec.data_center_ids is not None else list(DATA_CENTER_IDS)
    body["networkVolumeId"] = spec.network_volume_id or ""
    body["networkVolumeIds"] = spec.network_volume_ids or []
    if spec.compute_type == "GPU":
        body["allowedCudaVersions"] = spec.allowed_cuda_versions or []
    return body


def graphql_input(spec: EndpointSpec, flavor: Flavor, endpoint_id: str | None = None) -> dict[str, Any]:
    """saveEndpoint's EndpointInput: the full record (saveEndpoint replaces the whole record).

    Absent optional fields are left out rather than sent as null: the API rejects explicit
    nulls (pulumi-runpod genqlient_fixup.go), and leaving a field out resets it to its default,
    which is exactly what a spec without that field means. ``env`` is always sent, as [] when
    empty (the API wants a non-null array).
    """
    data = {
        **_shared_fields(spec),
        "env": [{"key": key, "value": value} for key, value in spec.env.items()],
    }
    if endpoint_id is not None:
        data["id"] = endpoint_id
    if spec.compute_type == "CPU":
        # GraphQL has no computeType input: instanceIds make a CPU endpoint. gpuIds is a
        # documented required argument, so it is sent, empty.
        data["gpuIds"] = ""
        data["instanceIds"] = spec.instance_ids or []
    else:
        data["gpuIds"] = ",".join(spec.gpu_ids or [])
        data["gpuCount"] = spec.gpu_count
        if spec.allowed_cuda_versions:
            data["allowedCudaVersions"] = ",".join(spec.allowed_cuda_versions)
        if spec.min_cuda_version is not None:
            data["minCudaVersion"] = spec.min_cuda_version
    if spec.locations:
        data["locations"] = ",".join(spec.locations)
    if spec.network_volume_id:
        data["networkVolumeId"] = spec.network_volume_id
    if spec.network_volume_ids:
        data["networkVolumeIds"] = [{"networkVolumeId": volume} for volume in spec.network_volume_ids]
    if flavor == "runpod":
        data["flashBootType"] = "FLASHBOOT" if spec.flashboot else "OFF"
    elif spec.flashboot:
        # Tensor One documents only the older convention: a " -fb" name suffix.
        data["name"] = spec.name + FLASHBOOT_SUFFIX
    return data


def endpoint_from_rest(body: dict[str, Any]) -> Endpoint:
    """GET/POST/PATCH /v1/endpoints answer (the Endpoint schema) -> Endpoint."""
    data = dict(body)
    data["name"], suffixed = strip_flashboot_suffix(data.get("name"))
    # REST v1 reports no flashboot field; the name suffix is the only evidence it gives.
    data["flashboot"] = True if suffixed else None
    instances = data.get("instanceIds")
    if data.get("computeType") == "CPU" and instances:
        # CPU endpoints are created from cpuFlavorIds + vcpuCount and read back as instance ids
        # "<flavor>-<vCPUs>-<GiB>" (e.g. "cpu3c-8-16").
        flavors = list(dict.fromkeys(item.split("-")[0] for item in instances))
        data["cpuFlavorIds"] = flavors
        vcpus = {item.split("-")[1] for item in instances if item.count("-") == 2}
        if len(vcpus) == 1:
            data["vcpuCount"] = int(vcpus.pop())
    return Endpoint.model_validate(data)


def endpoint_from_graphql(body: dict[str, Any], flavor: Flavor) -> Endpoint:
    """A GraphQL Endpoint object -> Endpoint."""
    data = dict(body)
    data["name"], suffixed = strip_flashboot_suffix(data.get("name"))
    boot = data.pop("flashBootType", None)
    data["flashboot"] = (boot not in (None, "OFF")) or suffixed
    if "allowedCudaVersions" in data:
        data["allowedCudaVersions"] = split_csv(data["allowedCudaVersions"]) or None
    if isinstance(data.get("gpuIds"), str):
        data["gpuIds"] = split_csv(data["gpuIds"]) or None
    if isinstance(data.get("locations"), str):
        data["locations"] = split_csv(data["locations"]) or None
    volumes = data.get("networkVolumeIds")
    if isinstance(volumes, list):
        data["networkVolumeIds"] = [v["networkVolumeId"] if isinstance(v, dict) else v for v in volumes] or None
    env = data.get("env")
    if isinstance(env, list):
        data["env"] = {item["key"]: item["value"] for item in env}
    workers = data.pop("clusters" if flavor == "tensorone" else "pods", None)
    if workers is not None:
        data["workers"] = workers
    if not data.get("instanceIds"):
        data["instanceIds"] = None
    return Endpoint.model_validate(data)
