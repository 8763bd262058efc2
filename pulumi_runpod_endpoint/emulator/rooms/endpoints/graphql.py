"""GraphQL (``saveEndpoint``, ``deleteEndpoint``, ``myself { endpoint(id:) endpoints }``) on the
canonical endpoints, for both flavors (Tensor One calls workers ``clusters``).

Translation to and from the canonical config:
  gpuIds "AMPERE_16,-NVIDIA L4"  <-> gpu.pools ["AMPERE_16"] + gpu.excludedTypes ["NVIDIA L4"]
  instanceIds ["cpu3g-4-16"]     <-> cpu [{flavor cpu3g, 4 vCPUs}] (RAM from the catalog)
  locations "US,EU-RO-1"         <-> dataCenterIds
  flashBootType / " -fb" suffix  <-> flashboot
  env [{key, value}]             <-> env map
  networkVolumeId(s)             <-> networkVolumes
  executionTimeoutMs, scalerType/scalerValue, workersMin/Max, idleTimeout, gpuCount likewise.

``saveEndpoint`` with an ``id`` replaces the whole record: fields left out fall back to the
mutation's defaults (QUIRKS.md). Its behaviour is today's emulator's; making it match RunPod's
GraphQL in every detail is issue 11's work, kept to this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

from ...catalog import CUDA_VERSIONS
from ...clock import iso
from ...problems import ApiError
from ...world import World
from ..templates import TemplateStore
from .model import Container, CpuChoice, Endpoint, EndpointConfig, GpuSelection
from .store import REGION_CODES, EndpointStore, gpu_ids, instance_id

__all__ = ["EndpointsGraphQL"]

FLASHBOOT_SUFFIX = " -fb"
SCALER_TYPES = ("QUEUE_DELAY", "REQUEST_COUNT")

# What saveEndpoint falls back to for every field left out of its input -- on create *and* on
# update, since it replaces the whole record (QUIRKS.md: runpodctl PR 281; pulumi-runpod
# schema.graphql defaults idleTimeout 10, scalerValue 4, workersMax 3, workersMin 0, gpuCount 1).
DEFAULTS: dict[str, Any] = {
    "gpuCount": 1,
    "idleTimeout": 10,
    "scalerType": "QUEUE_DELAY",
    "scalerValue": 4,
    "workersMin": 0,
    "workersMax": 3,
    "executionTimeoutMs": 600000,
}


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class EndpointsGraphQL:
    def __init__(self, world: World, store: EndpointStore, templates: TemplateStore, flavor: str) -> None:
        self.world = world
        self.store = store
        self.templates = templates
        self.workers_field = "clusters" if flavor == "tensorone" else "pods"

    # -- contributions to the schema's roots ------------------------------------------------------
    def mutations(self) -> dict[str, Callable[..., Any]]:
        return {
            "saveEndpoint": lambda _info, input: self.save(input),
            "deleteEndpoint": lambda _info, id: self.delete(id),
        }

    def myself_fields(self) -> dict[str, Callable[..., Any]]:
        return {
            "endpoint": lambda _info, id: self._maybe_view(id),
            "endpoints": lambda _info: [self.view(e) for e in self.store.all()[: self.world.settings.list_cap]],
        }

    # -- resolvers -------------------------------------------------------------------------------
    def _maybe_view(self, endpoint_id: str) -> dict[str, Any] | None:
        try:
            return self.view(self.store.get(endpoint_id))
        except ApiError:
            return None

    def save(self, data: dict[str, Any]) -> dict[str, Any]:
        nulls = sorted(key for key, value in data.items() if value is None)
        if nulls:
            # Explicit nulls fail validation on the real API (pulumi-runpod genqlient_fixup.go).
            raise GraphQLError(f"Invalid value null for field(s) {', '.join(nulls)} of EndpointInput")
        try:
            endpoint_id = data.get("id")
            if endpoint_id:
                current = self.store.get(endpoint_id)
                config = self._config({**DEFAULTS, **data}, current)
                return self.view(self.store.update(endpoint_id, config))
            missing = [key for key in ("gpuIds", "name", "templateId") if key not in data]
            if missing:
                raise GraphQLError(f"{', '.join(missing)} required to create an endpoint")
            config = self._config({**DEFAULTS, **data}, None)
            return self.view(self.store.create(config, template_id=data["templateId"]))
        except ApiError as error:
            raise GraphQLError(error.detail) from error

    def delete(self, endpoint_id: str) -> None:
        try:
            endpoint = self.store.get(endpoint_id)
        except ApiError as error:
            raise GraphQLError(error.detail) from error
        config = endpoint.config
        if config.workers_min or config.workers_max:
            raise GraphQLError(
                "Unable to delete endpoint: workersMin and workersMax must both be 0 "
                f"(currently {config.workers_min} and {config.workers_max})"
            )
        running = endpoint.fleet.total()
        if running:
            raise GraphQLError(
                f"Unable to delete endpoint: {running} worker(s) still running; wait for them to scale down"
            )
        self.store.delete(endpoint_id)

    # -- translation -----------------------------------------------------------------------------
    def _config(self, data: dict[str, Any], current: Endpoint | None) -> EndpointConfig:
        """EndpointInput (with defaults filled) -> a whole canonical config."""
        name = str(data["name"]) if "name" in data else (current.config.name if current else "")
        flashboot = data.get("flashBootType", "OFF")
        if name.endswith(FLASHBOOT_SUFFIX):
            flashboot = "FLASHBOOT" if flashboot == "OFF" else flashboot  # the older way of asking
        elif flashboot != "OFF":
            name += FLASHBOOT_SUFFIX  # the API decorates the name (runpodctl issue 270)
        if data["scalerType"] not in SCALER_TYPES:
            raise GraphQLError(f"scalerType must be one of {', '.join(SCALER_TYPES)}")
        config = EndpointConfig(
            name=name,
            workers_min=data["workersMin"],
            workers_max=data["workersMax"],
            idle_timeout=data["idleTimeout"],
            scaling_type=data["scalerType"],
            scaling_value=data["scalerValue"],
            timeout=data["executionTimeoutMs"],
            flashboot=flashboot,
        )
        instances = [item for item in data.get("instanceIds") or [] if item]
        if instances:
            config.cpu = [self._instance(item) for item in instances]
        else:
            config.gpu = self._gpu(data)
        config.data_center_ids = self._locations(data.get("locations"))
        volumes = [item["networkVolumeId"] for item in data.get("networkVolumeIds") or [] if item]
        if not volumes and data.get("networkVolumeId"):
            volumes = [data["networkVolumeId"]]
        config.network_volumes = volumes
        template_id = data.get("templateId") or (current.template_id if current else None)
        config.container = self._container(template_id)
        if "env" in data:
            config.container.env = {item["key"]: item["value"] for item in data["env"] if item is not None}
        return config

    def _gpu(self, data: dict[str, Any]) -> GpuSelection:
        catalog = self.world.catalog
        entries = _split(data.get("gpuIds"))
        for item in entries:
            if item.startswith("-") and catalog.gpu(item[1:]) is not None:
                continue
            if item not in catalog.pools:
                raise GraphQLError(
                    f"Invalid gpuIds entry {item!r}: expected one of {', '.join(catalog.pools)} or -<GPU type id>"
                )
        pools = [item for item in entries if not item.startswith("-")]
        if not pools:
            raise GraphQLError("gpuIds must name at least one GPU pool")
        selection = GpuSelection(
            pools=pools,
            excluded_types=[item[1:] for item in entries if item.startswith("-")],
            count=data["gpuCount"],
        )
        if "allowedCudaVersions" in data:
            versions = _split(data["allowedCudaVersions"])
            bad = [v for v in versions if v not in CUDA_VERSIONS]
            if bad:
                raise GraphQLError(f"Invalid CUDA version {bad[0]!r}: expected one of {', '.join(CUDA_VERSIONS)}")
            selection.allowed_cuda_versions = versions
        if data.get("minCudaVersion"):
            if data["minCudaVersion"] not in CUDA_VERSIONS:
                raise GraphQLError(f"Invalid minCudaVersion {data['minCudaVersion']!r}")
            selection.min_cuda_version = data["minCudaVersion"]
        return selection

    @staticmethod
    def _instance(item: str) -> CpuChoice:
        parts = item.split("-")
        if len(parts) != 3 or not parts[1].isdigit():
            raise GraphQLError(f"Invalid instanceIds entry {item!r}: expected <flavor>-<vCPUs>-<GB>, e.g. cpu3g-4-16")
        return CpuChoice(parts[0], int(parts[1]))

    def _locations(self, value: str | None) -> list[str]:
        items = _split(value)
        for item in items:
            if item not in REGION_CODES and self.world.catalog.data_center(item) is None:
                raise GraphQLError(f"Invalid location {item!r}")
        return items

    def _container(self, template_id: str | None) -> Container:
        template = self.templates.get(template_id) if template_id else None
        if template is None:
            return Container()
        return Container(
            image=template.image,
            args=template.args,
            disk=template.disk,
            ports=list(template.ports),
            env=dict(template.env),
            registry=template.registry,
        )

    def view(self, endpoint: Endpoint) -> dict[str, Any]:
        """The GraphQL Endpoint: comma-joined strings, env as pairs (never null), workers as pods."""
        config = endpoint.config
        gpu = config.gpu
        cpu = config.cpu
        return {
            "id": endpoint.id,
            "name": config.name,
            "gpuIds": gpu_ids(gpu),
            "gpuCount": gpu.count if gpu else None,
            "idleTimeout": config.idle_timeout,
            "locations": ",".join(config.data_center_ids) or None,
            "networkVolumeId": config.network_volumes[0] if config.network_volumes else None,
            "scalerType": config.scaling_type,
            "scalerValue": int(config.scaling_value),
            "templateId": endpoint.template_id,
            "workersMin": config.workers_min,
            "workersMax": config.workers_max,
            "executionTimeoutMs": config.timeout,
            "minCudaVersion": gpu.min_cuda_version if gpu else None,
            "allowedCudaVersions": ",".join(gpu.allowed_cuda_versions) or None if gpu else None,
            "instanceIds": [instance_id(self.world, c.flavor, c.vcpus) for c in cpu] if cpu else None,
            "computeType": config.compute,
            "createdAt": iso(endpoint.created_at),
            "version": endpoint.version,
            "userId": endpoint.user_id,
            "env": [{"key": k, "value": v} for k, v in config.container.env.items()],
            "flashBootType": config.flashboot,
            "networkVolumeIds": [{"networkVolumeId": v, "dataCenterId": None} for v in config.network_volumes],
            self.workers_field: self._pods(endpoint),
        }

    @staticmethod
    def _pods(endpoint: Endpoint) -> list[dict[str, Any]]:
        """One Pod per worker, with its non-null fields filled so any selection resolves."""
        pods = []
        for cohort in endpoint.fleet.cohorts:
            for worker_id in cohort.worker_ids(endpoint.id, cohort.count):
                pods.append(
                    {
                        "id": worker_id,
                        "desiredStatus": "RUNNING",
                        "name": f"{endpoint.id}-worker",
                        "machineId": "emulated",
                        "costPerHr": 0.0,
                        "adjustedCostPerHr": 0.0,
                        "gpuCount": endpoint.config.gpu.count if endpoint.config.gpu else 0,
                        "gpuPowerLimitPercent": 100,
                        "gpus": [],
                        "memoryInGb": 0.0,
                        "vcpuCount": 0.0,
                        "volumeEncrypted": False,
                    }
                )
        return pods
