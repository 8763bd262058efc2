"""Every endpoint of the account, and the rules the platform applies whichever API is used.

This is the "upstream" side (the moto way: state and rules here, wire formats elsewhere). Both
REST v2 and GraphQL translate their requests into ``EndpointConfig``s and call in here. Rules
that only RunPod's v2 front door applies on top (``gpu.excludedTypes`` inside the pools, the
CUDA mutual exclusion, vCPU powers of two...) live in ``rest_v2.py``: upstream accepts an
unrecognized exclusion silently, says the spec.

Releases: a change to what workers run (container settings, compute, placement) makes a new
configuration version and a release with a ``diff``; workers, scaling, timeout, name and
FlashBoot apply at once and make none (spec: updateEndpoint; QUIRKS.md "Releases").
"""

from __future__ import annotations

from typing import Any

from ...problems import ApiError, BadRequest, NotFound
from ...world import World
from .fleet import FleetPolicy
from .model import Endpoint, EndpointConfig, GpuSelection, Release

__all__ = ["REGION_CODES", "EndpointStore", "gpu_ids", "instance_id"]

# Country codes GraphQL's older ``locations`` takes besides data center ids (RunPod's GraphQL docs:
# "options for locations are CZ,FR,GB,NO,RO,US"); the v2 front door takes data center ids only.
REGION_CODES = ("CZ", "FR", "GB", "NO", "RO", "US")


def gpu_ids(gpu: GpuSelection | None) -> str | None:
    """The upstream spelling of a GPU selection: pools and ``-<type>`` exclusions, comma-joined."""
    if gpu is None:
        return None
    return ",".join([*gpu.pools, *(f"-{excluded}" for excluded in gpu.excluded_types)]) or None


def instance_id(world: World, flavor: str, vcpus: int) -> str:
    """The upstream spelling of a CPU choice: ``cpu3g-4-16`` (flavor, vCPUs, GB of RAM)."""
    return f"{flavor}-{vcpus}-{world.catalog.memory_gb(flavor, vcpus)}"


class EndpointStore:
    def __init__(self, world: World) -> None:
        self.world = world
        self.endpoints: dict[str, Endpoint] = {}

    def reset(self) -> None:
        with self.world.lock:
            self.endpoints.clear()

    # -- reads ---------------------------------------------------------------------------------
    def get(self, endpoint_id: str) -> Endpoint:
        with self.world.lock:
            endpoint = self.endpoints.get(endpoint_id)
            if endpoint is None:
                raise NotFound(f"endpoint {endpoint_id} not found")
            self.settle(endpoint)
            return endpoint

    def all(self) -> list[Endpoint]:
        with self.world.lock:
            for endpoint in self.endpoints.values():
                self.settle(endpoint)
            return list(self.endpoints.values())

    # -- writes --------------------------------------------------------------------------------
    def create(self, config: EndpointConfig, *, template_id: str | None = None) -> Endpoint:
        with self.world.lock:
            self.check(config, None)
            now = self.world.clock.now()
            endpoint = Endpoint(
                id=self.world.new_id(),
                config=config,
                created_at=now,
                user_id=self.world.user_id,
                template_id=template_id or self.world.new_id(10),
            )
            endpoint.releases.append(self._release(1, now, self.release_diff(None, config), config))
            self.endpoints[endpoint.id] = endpoint
            self.settle(endpoint)
            return endpoint

    def update(self, endpoint_id: str, config: EndpointConfig, *, force_release: bool = False) -> Endpoint:
        """Make ``config`` the endpoint's; a new release if workers must change (or if forced:
        a template re-applied is a release even when nothing differs)."""
        with self.world.lock:
            endpoint = self.get(endpoint_id)
            self.check(config, endpoint_id)
            diff = self.release_diff(endpoint.config, config)
            endpoint.config = config
            if diff or force_release:
                now = self.world.clock.now()
                endpoint.version += 1
                endpoint.releases.append(self._release(endpoint.version, now, diff, config))
                endpoint.fleet.on_release(now, endpoint.version)
            self.settle(endpoint)
            return endpoint

    def delete(self, endpoint_id: str) -> None:
        with self.world.lock:
            self.get(endpoint_id)
            del self.endpoints[endpoint_id]

    def drop_registry(self, registry_id: str) -> None:
        """A deleted registry credential drops from endpoints using it, as from templates (an
        endpoint's container settings are its bound template upstream; spec: deleteRegistry)."""
        with self.world.lock:
            for endpoint in self.endpoints.values():
                if endpoint.config.container.registry == registry_id:
                    endpoint.config.container.registry = None

    def mark_workers(self, endpoint_id: str, status: str, count: int, version: int | None) -> int:
        with self.world.lock:
            endpoint = self.get(endpoint_id)
            moved = endpoint.fleet.mark(status, count, version)
            self.settle(endpoint)
            return moved

    # -- time ----------------------------------------------------------------------------------
    def settle(self, endpoint: Endpoint) -> None:
        settings = self.world.settings
        policy = FleetPolicy(
            target=endpoint.config.workers_min,
            latest_version=endpoint.version,
            drain_seconds=settings.drain_seconds,
            rollout_seconds=settings.rollout_seconds,
            boot_seconds=settings.worker_boot_seconds,
            capacity=settings.worker_capacity,
        )
        endpoint.fleet.settle(self.world.clock.now(), policy)

    # -- rules ---------------------------------------------------------------------------------
    def check(self, config: EndpointConfig, endpoint_id: str | None) -> None:
        """The platform's own rules, whichever API the change came through (400s)."""
        catalog = self.world.catalog
        if config.workers_min < 0 or config.workers_max < 0:
            raise BadRequest("workers.min and workers.max must be >= 0")
        if config.workers_min > config.workers_max:
            raise BadRequest(
                f"workers.min ({config.workers_min}) cannot be greater than workers.max ({config.workers_max})"
            )
        if config.idle_timeout is not None and not 1 <= config.idle_timeout <= 3600:
            raise BadRequest(f"workers.idleTimeout must be between 1 and 3600 seconds, got {config.idle_timeout}")
        if config.gpu is not None:
            unknown = [pool for pool in config.gpu.pools if pool not in catalog.pools]
            if unknown:
                raise BadRequest(
                    f"gpu.pools: unknown GPU pool {unknown[0]!r}; pools are {', '.join(catalog.pools)} "
                    "(GET /v2/catalog/gpus lists each type's pool)"
                )
            if config.gpu.count < 1:
                raise BadRequest(f"gpu.count must be >= 1, got {config.gpu.count}")
        for choice in config.cpu or []:
            if catalog.cpu(choice.flavor) is None:
                flavors = ", ".join(cpu["id"] for cpu in catalog.cpus)
                raise BadRequest(f"cpu: unknown CPU flavor {choice.flavor!r}; flavors are {flavors}")
        unknown_dcs = [
            dc for dc in config.data_center_ids if dc not in REGION_CODES and catalog.data_center(dc) is None
        ]
        if unknown_dcs:
            known = ", ".join(dc["id"] for dc in catalog.data_centers)
            raise BadRequest(f"dataCenterIds: unknown data center {unknown_dcs[0]!r}; data centers are {known}")
        self._check_quota(config, endpoint_id)

    def _check_quota(self, config: EndpointConfig, endpoint_id: str | None) -> None:
        quota = self.world.settings.worker_quota
        if quota is None:
            return
        others = sum(e.config.workers_max for i, e in self.endpoints.items() if i != endpoint_id)
        if others + config.workers_max > quota:
            raise ApiError(
                400,
                f"Your worker concurrency cannot go beyond the maximum limit of ({quota}): workers.max "
                f"{config.workers_max} plus {others} on your other endpoints. Lower workers.max, or ask "
                "RunPod support to raise the account's total workers.",
            )

    # -- releases ------------------------------------------------------------------------------
    def worker_config(self, config: EndpointConfig) -> dict[str, Any]:
        """What workers run, in the field names RunPod's release diffs use (spec: ReleaseDiffEntry:
        top-level such as ``gpuCount``, ``locations``; template-scoped such as ``template.imageName``)."""
        container = config.container
        gpu = config.gpu
        return {
            "template.imageName": container.image,
            "template.dockerArgs": container.args or None,
            "template.containerDiskInGb": container.disk,
            "template.ports": list(container.ports) or None,
            "template.env": dict(container.env) or None,
            "template.containerRegistryAuthId": container.registry,
            "gpuIds": gpu_ids(gpu),
            "gpuCount": gpu.count if gpu else None,
            "allowedCudaVersions": list(gpu.allowed_cuda_versions) or None if gpu else None,
            "minCudaVersion": gpu.min_cuda_version if gpu else None,
            "instanceIds": [instance_id(self.world, c.flavor, c.vcpus) for c in config.cpu] if config.cpu else None,
            "locations": ",".join(config.data_center_ids) or None,
            "networkVolumeIds": list(config.network_volumes) or None,
        }

    def release_diff(self, old: EndpointConfig | None, new: EndpointConfig) -> list[dict[str, Any]]:
        before = self.worker_config(old) if old is not None else {}
        after = self.worker_config(new)
        return [
            {"field": name, "old": before.get(name), "new": value}
            for name, value in after.items()
            if before.get(name) != value
        ]

    def _release(self, version: int, now: float, diff: list[dict[str, Any]], config: EndpointConfig) -> Release:
        return Release(
            id=self.world.new_id(8),
            version=version,
            created_at=now,
            diff=diff,
            created_by_user_id=None,
            image=config.container.image,
        )
