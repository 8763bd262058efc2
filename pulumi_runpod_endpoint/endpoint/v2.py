"""REST v2 ``/serverless``: the wire models, the client, and the smallest correct PATCH.

Pulumi-free. The models follow the v2 spec's shapes (``CreateEndpointRequest``, ``Endpoint``,
``ListEndpointWorkersResponse``, ``ListEndpointReleasesResponse``): snake_case in Python, camelCase on
the wire. ``build_patch`` knows v2's PATCH rules so that nothing above it has to:

* fields left out are untouched; a field is sent only when it changed;
* ``gpu.pools`` and ``gpu.excludedTypes`` are one selection: sending pools without exclusions clears
  them, and exclusions need pools, so a change of either sends both;
* a CUDA constraint is cleared only explicitly (``allowedCudaVersions: []``, ``minCudaVersion: ""``),
  and setting one does not clear the other;
* ``cpu`` replaces the whole CPU selection, ``env`` the whole map, ``workers`` is sent as a whole group
  and ``scaling`` always carries its type and its value.

In a desired ``EndpointConfig``, ``None`` means "not managed: leave it alone" and an empty value
(``[]``, ``{}``, ``""``) means "clear it".
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from pydantic.alias_generators import to_camel

from ..api.rest import DEFAULT_REST_URL, RestCollection
from ..api.session import Session
from ..api.wire import V2Model, parse

__all__ = [
    "CpuConfig",
    "Endpoint",
    "EndpointConfig",
    "GpuSelection",
    "Release",
    "ReleaseList",
    "Rollout",
    "Scaling",
    "ServerlessClient",
    "Worker",
    "WorkerList",
    "WorkerSummary",
    "Workers",
    "build_patch",
    "container_fields",
]

FlashBoot = Literal["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"]


class GpuSelection(V2Model):
    pools: list[str] | None = None
    excluded_types: list[str] | None = None
    count: int | None = None
    allowed_cuda_versions: list[str] | None = None
    min_cuda_version: str | None = None


class CpuConfig(V2Model):
    id: str
    vcpu_count: int
    memory: int | None = None  # reported by reads, derived by the API; never sent


class Workers(V2Model):
    min: int | None = None
    max: int | None = None
    idle_timeout: int | None = None


class Scaling(V2Model):
    type: Literal["QUEUE_DELAY", "REQUEST_COUNT"]
    queue_delay: float | None = None
    request_count: int | None = None

    @property
    def value(self) -> float | None:
        return self.queue_delay if self.type == "QUEUE_DELAY" else self.request_count

    @classmethod
    def of(cls, scaler_type: Literal["QUEUE_DELAY", "REQUEST_COUNT"], value: float) -> Scaling:
        if scaler_type == "QUEUE_DELAY":
            return cls(type=scaler_type, queue_delay=value)
        return cls(type=scaler_type, request_count=int(value))


class EndpointConfig(V2Model):
    """An endpoint's configuration in v2's shape: the create body, and each side of a PATCH."""

    name: str | None = None
    type: Literal["QUEUE", "LOAD_BALANCER"] | None = None
    image: str | None = None
    args: str | None = None
    disk: int | None = None
    ports: list[str] | None = None
    env: dict[str, str] | None = None
    registry: str | None = None
    gpu: GpuSelection | None = None
    cpu: list[CpuConfig] | None = None
    workers: Workers | None = None
    scaling: Scaling | None = None
    data_center_ids: list[str] | None = None
    network_volumes: list[str] | None = None
    timeout: int | None = None
    flashboot: FlashBoot | None = None
    template_id: str | None = None

    def create_body(self) -> dict[str, Any]:
        body = self.wire()
        if body.get("registry") == "":
            body.pop("registry")
        for cpu in body.get("cpu") or []:
            cpu.pop("memory", None)
        # Empty means "none" on create: the spec's "omit or pass an empty array" for placement.
        for key in ("dataCenterIds", "networkVolumes", "ports", "env"):
            if body.get(key) in ([], {}):
                body.pop(key)
        gpu = body.get("gpu")
        if gpu is not None:
            for key in ("excludedTypes", "allowedCudaVersions"):
                if gpu.get(key) == []:
                    gpu.pop(key)
            if gpu.get("minCudaVersion") == "":
                gpu.pop("minCudaVersion")
        return body


class Endpoint(EndpointConfig):
    """``Endpoint`` as v2 reports it."""

    id: str
    created_at: str | None = None
    request_urls: dict[str, str] | None = None


class Worker(V2Model):
    id: str
    status: str
    is_stale: bool = False
    version: int | None = None
    gpu_count: int | None = None
    image: str | None = None


class WorkerSummary(V2Model):
    running: int = 0
    idle: int = 0
    initializing: int = 0
    throttled: int = 0
    unhealthy: int = 0
    total: int = 0


class WorkerList(V2Model):
    workers: list[Worker] = Field(default_factory=list)
    summary: WorkerSummary = Field(default_factory=WorkerSummary)
    endpoint_version: int | None = None

    @property
    def stale(self) -> int:
        return sum(1 for worker in self.workers if worker.is_stale)


class Rollout(V2Model):
    in_progress: bool
    workers_on_latest: int
    workers_total: int
    percent_on_latest: int


class Release(V2Model):
    id: str
    version: int | None = None
    source: str | None = None
    created_at: str | None = None
    worker_count: int = 0
    diff: list[dict[str, Any]] = Field(default_factory=list)


class ReleaseList(V2Model):
    endpoint_version: int | None = None
    rollout: Rollout
    releases: list[Release] = Field(default_factory=list)


CONTAINER_FIELDS: tuple[str, ...] = ("image", "args", "disk", "ports", "env", "registry")


def container_fields(config: EndpointConfig) -> dict[str, Any]:
    """The container settings a config sets (what restates a program's overrides over a template)."""
    return {name: getattr(config, name) for name in CONTAINER_FIELDS if getattr(config, name) is not None}


def build_patch(old: EndpointConfig, new: EndpointConfig, *, reapply_template: str | None = None) -> dict[str, Any]:
    """The smallest PATCH body that takes ``old`` to ``new`` under v2's group rules.

    ``reapply_template`` re-applies a template's container settings (v2 applies a template once and
    keeps no link); the settings the program declares in ``new`` are restated so they keep winning,
    and ``env`` is always restated because a template PATCH replaces the endpoint's env.
    """
    body: dict[str, Any] = {}
    for name in ("name", "image", "args", "disk", "timeout", "flashboot"):
        wanted = getattr(new, name)
        if wanted is not None and wanted != getattr(old, name):
            body[name] = wanted
    if new.registry is not None and (new.registry or None) != (old.registry or None):
        body["registry"] = new.registry or None  # "" asks to clear: the wire's null
    for name, key in (("ports", "ports"), ("data_center_ids", "dataCenterIds"), ("network_volumes", "networkVolumes")):
        wanted = getattr(new, name)
        if wanted is not None and sorted(wanted) != sorted(getattr(old, name) or []):
            body[key] = list(wanted)
    if new.env is not None and new.env != (old.env or {}):
        body["env"] = dict(new.env)
    if new.cpu is not None and _cpu_set(new.cpu) != _cpu_set(old.cpu or []):
        body["cpu"] = [{"id": c.id, "vcpuCount": c.vcpu_count} for c in new.cpu]
    gpu = _gpu_patch(old.gpu or GpuSelection(), new.gpu) if new.gpu is not None else {}
    if gpu:
        body["gpu"] = gpu
    if new.workers is not None:
        merged = Workers(
            min=_first(new.workers.min, (old.workers or Workers()).min),
            max=_first(new.workers.max, (old.workers or Workers()).max),
            idle_timeout=new.workers.idle_timeout,
        )
        if merged != (old.workers or Workers()):
            body["workers"] = merged.wire()
    if new.scaling is not None and (old.scaling is None or new.scaling.wire() != old.scaling.wire()):
        body["scaling"] = new.scaling.wire()
    if reapply_template is not None:
        body["templateId"] = reapply_template
        body.update({to_camel(k): v for k, v in container_fields(new).items()})
        body["env"] = dict(new.env or {})
    return body


def _first(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)


def _cpu_set(cpus: list[CpuConfig]) -> set[tuple[str, int]]:
    return {(c.id, c.vcpu_count) for c in cpus}


def _gpu_patch(old: GpuSelection, new: GpuSelection) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    pools = new.pools if new.pools is not None else old.pools
    excluded = new.excluded_types if new.excluded_types is not None else (old.excluded_types or [])
    if sorted(pools or []) != sorted(old.pools or []) or sorted(excluded) != sorted(old.excluded_types or []):
        patch["pools"] = list(pools or [])
        if excluded:
            patch["excludedTypes"] = list(excluded)
    if new.count is not None and new.count != old.count:
        patch["count"] = new.count
    if new.allowed_cuda_versions is not None and sorted(new.allowed_cuda_versions) != sorted(
        old.allowed_cuda_versions or []
    ):
        patch["allowedCudaVersions"] = list(new.allowed_cuda_versions)
    if new.min_cuda_version is not None and new.min_cuda_version != (old.min_cuda_version or ""):
        patch["minCudaVersion"] = new.min_cuda_version
    return patch


class ServerlessClient:
    """``/v2/serverless``: list, get, create (201), update (PATCH), delete (204), workers, releases."""

    def __init__(self, session: Session, base_url: str = DEFAULT_REST_URL) -> None:
        self.collection = RestCollection(session, base_url, "serverless", list_key="endpoints", noun="endpoint")

    def list(self) -> list[Endpoint]:
        return [parse(Endpoint, item, "list endpoints") for item in self.collection.list()]

    def get(self, endpoint_id: str) -> Endpoint:
        return parse(Endpoint, self.collection.get(endpoint_id), f"read endpoint {endpoint_id}")

    def create(self, config: EndpointConfig) -> Endpoint:
        return parse(Endpoint, self.collection.create(config.create_body()), "create endpoint")

    def update(self, endpoint_id: str, body: dict[str, Any]) -> Endpoint:
        return parse(Endpoint, self.collection.patch(endpoint_id, body), f"update endpoint {endpoint_id}")

    def delete(self, endpoint_id: str) -> None:
        self.collection.delete(endpoint_id)

    def workers(self, endpoint_id: str) -> WorkerList:
        return parse(WorkerList, self.collection.get(endpoint_id, "workers"), f"list workers of {endpoint_id}")

    def releases(self, endpoint_id: str) -> ReleaseList:
        return parse(ReleaseList, self.collection.get(endpoint_id, "releases"), f"list releases of {endpoint_id}")
