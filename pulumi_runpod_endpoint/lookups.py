"""Lookups for a Pulumi program, like the Terraform provider's data sources: RunPod's GPU types and
serverless pools, CPU flavors and data centers, from ``/v2/catalog``.

    from pulumi_runpod_endpoint import ServerlessEndpoint, NetworkVolume, get_data_centers, get_gpu_pools

    pools = [pool.id for pool in get_gpu_pools(min_memory_gb=48)]
    where = get_data_centers(network_volume_type="HIGH_PERFORMANCE")[0].id
    volume = NetworkVolume("weights", size_gb=200, data_center_id=where, type="HIGH_PERFORMANCE")
    ServerlessEndpoint("llm", image="...", gpu_pools=pools, data_center_ids=[where],
                       network_volume_ids=[volume.id])

They return plain, typed values (not Outputs), so a program can filter, sort and pass them as inputs
directly. They read the live catalog with the same settings and key as the resources --
``pulumi.Config("runpod")`` (``runpod:apiKey``, ``runpod:restUrl``, ...) and then the environment
(``RUNPOD_API_KEY``, ``RUNPOD_REST_URL``, ...), the keys of ``config.CONFIG_KEYS`` -- once per list
per process (one request each), and never show the key. ``offline=True`` answers from the snapshot
shipped with the package (``data/catalog.json``, what ``check`` validates against): no key, no
network, possibly older than the live catalog. ``source=`` takes any other ``CatalogSource`` (a
``LiveCatalog`` on a session of your own, for instance).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .api.catalog import CatalogClient, shipped_catalog
from .api.errors import RunPodError
from .api.session import Session
from .config import CONFIG_KEYS, Backend, ConfigError, ProviderSettings

__all__ = [
    "CatalogLookupError",
    "CatalogSource",
    "CpuType",
    "DataCenter",
    "GpuPool",
    "GpuType",
    "LiveCatalog",
    "ShippedCatalog",
    "get_cpu_types",
    "get_data_centers",
    "get_gpu_pools",
    "get_gpu_types",
    "program_settings",
]

VOLUME_TYPES = ("STANDARD", "HIGH_PERFORMANCE")


class CatalogLookupError(RuntimeError):
    """A lookup could not answer; the message says why and what to do (it never contains the key)."""


# -- what lookups return ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GpuType:
    """One GPU type. Prices are RunPod's list prices in USD per hour for one GPU (None when absent)."""

    id: str
    """The GPU type id, as ``gpu_excluded_types`` takes it, e.g. 'NVIDIA GeForce RTX 4090'."""
    name: str
    pool: str | None
    """The serverless pool it belongs to (what ``gpu_pools`` takes), or None if no pool has it."""
    manufacturer: str
    memory_gb: int
    secure: bool
    community: bool
    price_secure: float | None
    price_community: float | None
    price_serverless: float | None
    """Serverless price per GPU per hour (the pool's rate); times ``gpu_count`` per worker."""
    max_count_secure: int | None
    max_count_community: int | None


@dataclass(frozen=True)
class GpuPool:
    """One serverless GPU pool: workers land on whichever listed pool has capacity, on any type in it."""

    id: str
    """The pool id, as ``gpu_pools`` takes it, e.g. 'ADA_24'."""
    gpu_type_ids: tuple[str, ...]
    memory_gb: int
    """The VRAM every GPU in the pool has at least (the smallest type in it)."""
    price_serverless: float | None
    """Serverless price per GPU per hour (the highest any type in the pool lists), or None."""


@dataclass(frozen=True)
class CpuType:
    """One CPU flavor, as ``cpu_flavor_ids`` / ``cpu`` take it."""

    id: str
    name: str
    group: str
    vcpu_min: int
    vcpu_max: int
    ram_gb_per_vcpu: float
    price_per_vcpu_serverless: float | None
    price_per_vcpu_secure: float | None


@dataclass(frozen=True)
class DataCenter:
    """One data center, as ``data_center_ids`` and ``NetworkVolume.data_center_id`` take it."""

    id: str
    name: str
    region: str
    network_volume_types: tuple[str, ...]
    """The network volume tiers it offers (empty: no network volumes there)."""
    compliance: tuple[str, ...]
    global_network: bool


# -- where the catalog comes from -----------------------------------------------------------------------
class CatalogSource(Protocol):
    """The three catalog lists, in v2's response shapes."""

    def gpus(self) -> Sequence[Mapping[str, Any]]: ...

    def cpus(self) -> Sequence[Mapping[str, Any]]: ...

    def data_centers(self) -> Sequence[Mapping[str, Any]]: ...


class ShippedCatalog:
    """The snapshot in the package: no key, no network."""

    def gpus(self) -> Sequence[Mapping[str, Any]]:
        return shipped_catalog().gpus

    def cpus(self) -> Sequence[Mapping[str, Any]]:
        return shipped_catalog().cpus

    def data_centers(self) -> Sequence[Mapping[str, Any]]:
        return shipped_catalog().data_centers


class LiveCatalog:
    """RunPod's live catalog, each list read once (one request) and kept for the process."""

    def __init__(self, session: Session, rest_url: str) -> None:
        self._client = CatalogClient(session, rest_url)
        self._lists: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def _list(self, name: str, read: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        with self._lock:
            if name not in self._lists:
                try:
                    items = read()
                except RunPodError as error:
                    raise CatalogLookupError(
                        f"could not read RunPod's {name} catalog: {error.message}. Pass offline=True to use the "
                        "catalog shipped with this package"
                    ) from None
                self._lists[name] = [item for item in items if isinstance(item, dict) and item.get("id")]
            return self._lists[name]

    def gpus(self) -> Sequence[Mapping[str, Any]]:
        return self._list("gpus", self._client.gpus)

    def cpus(self) -> Sequence[Mapping[str, Any]]:
        return self._list("cpus", self._client.cpus)

    def data_centers(self) -> Sequence[Mapping[str, Any]]:
        return self._list("data center", self._client.data_centers)


def program_settings(
    config: Callable[[str], Any] | None = None, environ: Mapping[str, str] | None = None
) -> ProviderSettings:
    """The resources' settings as a program sees them: ``pulumi.Config("runpod")``, then the environment."""
    if config is None:
        import pulumi  # only here: the rest of this module is usable without a Pulumi program

        stack = pulumi.Config("runpod")

        def config(key: str) -> Any:
            return stack.get(key.partition(":")[2])

    try:
        return ProviderSettings.from_sources(config, environ)
    except ConfigError as bad:
        raise CatalogLookupError(str(bad)) from None


_LIVE: dict[tuple[str, ...], LiveCatalog] = {}
_LIVE_LOCK = threading.Lock()


def _source(offline: bool, source: CatalogSource | None) -> CatalogSource:
    if source is not None:
        return source
    if offline:
        return ShippedCatalog()
    settings = program_settings()
    if settings.backend is Backend.TENSORONE:
        raise CatalogLookupError(
            "the catalog lookups read RunPod's REST v2 /catalog, which the tensorone backend does not have; "
            "pass offline=True to use the catalog shipped with this package"
        )
    if not settings.api_key:
        key_env = CONFIG_KEYS["runpod:apiKey"]
        raise CatalogLookupError(
            "no RunPod API key for the catalog lookup: set the secret stack config "
            f"`pulumi config set --secret runpod:apiKey <key>` or {key_env}, or pass offline=True to use the "
            "catalog shipped with this package"
        )
    with _LIVE_LOCK:
        key = (*settings.session_key, settings.rest_url)
        if key not in _LIVE:
            session = Session(settings.api_key, retry=settings.retry_policy)
            _LIVE[key] = LiveCatalog(session, settings.rest_url)
        return _LIVE[key]


# -- the lookups ---------------------------------------------------------------------------------------------
def _price(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _gpu(item: Mapping[str, Any]) -> GpuType:
    price = item.get("price") or {}
    max_count = item.get("maxCount") or {}
    return GpuType(
        id=str(item["id"]),
        name=str(item.get("name") or item["id"]),
        pool=str(item["pool"]) if item.get("pool") else None,
        manufacturer=str(item.get("manufacturer") or "UNKNOWN"),
        memory_gb=int(item.get("memory") or 0),
        secure=bool(item.get("secure")),
        community=bool(item.get("community")),
        price_secure=_price(price.get("secure")),
        price_community=_price(price.get("community")),
        price_serverless=_price(price.get("serverless")),
        max_count_secure=_count(max_count.get("secure")),
        max_count_community=_count(max_count.get("community")),
    )


def _at_least(name: str, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a whole number >= 0 (got {value!r})")


def get_gpu_types(
    *,
    min_memory_gb: int | None = None,
    manufacturer: str | None = None,
    pool: str | None = None,
    serverless: bool | None = None,
    offline: bool = False,
    source: CatalogSource | None = None,
) -> list[GpuType]:
    """GPU types, smallest memory first: with at least ``min_memory_gb`` of VRAM, of ``manufacturer``
    ('NVIDIA', 'AMD'), in ``pool``; ``serverless=True`` keeps those in a serverless pool (False: not)."""
    _at_least("min_memory_gb", min_memory_gb)
    gpus = [_gpu(item) for item in _source(offline, source).gpus()]
    return sorted(
        (
            gpu
            for gpu in gpus
            if (min_memory_gb is None or gpu.memory_gb >= min_memory_gb)
            and (manufacturer is None or gpu.manufacturer.upper() == manufacturer.upper())
            and (pool is None or gpu.pool == pool)
            and (serverless is None or (gpu.pool is not None) == serverless)
        ),
        key=lambda gpu: (gpu.memory_gb, gpu.id),
    )


def get_gpu_pools(
    *,
    min_memory_gb: int | None = None,
    gpu_type_id: str | None = None,
    offline: bool = False,
    source: CatalogSource | None = None,
) -> list[GpuPool]:
    """Serverless GPU pools (what ``gpu_pools`` takes), smallest memory first: every GPU in them with at
    least ``min_memory_gb`` of VRAM, containing ``gpu_type_id`` when given."""
    _at_least("min_memory_gb", min_memory_gb)
    members: dict[str, list[GpuType]] = {}
    for gpu in (_gpu(item) for item in _source(offline, source).gpus()):
        if gpu.pool is not None:
            members.setdefault(gpu.pool, []).append(gpu)
    pools = []
    for pool_id, gpus in members.items():
        prices = [gpu.price_serverless for gpu in gpus if gpu.price_serverless is not None]
        pools.append(
            GpuPool(
                id=pool_id,
                gpu_type_ids=tuple(gpu.id for gpu in gpus),
                memory_gb=min(gpu.memory_gb for gpu in gpus),
                price_serverless=max(prices) if prices else None,
            )
        )
    return sorted(
        (
            pool
            for pool in pools
            if (min_memory_gb is None or pool.memory_gb >= min_memory_gb)
            and (gpu_type_id is None or gpu_type_id in pool.gpu_type_ids)
        ),
        key=lambda pool: (pool.memory_gb, pool.id),
    )


def get_cpu_types(
    *, min_vcpus: int | None = None, offline: bool = False, source: CatalogSource | None = None
) -> list[CpuType]:
    """CPU flavors (what ``cpu_flavor_ids`` takes) that offer at least ``min_vcpus`` vCPUs per worker."""
    _at_least("min_vcpus", min_vcpus)
    flavors = []
    for item in _source(offline, source).cpus():
        vcpu = item.get("vcpu") or {}
        price = item.get("price") or {}
        flavors.append(
            CpuType(
                id=str(item["id"]),
                name=str(item.get("name") or item["id"]),
                group=str(item.get("group") or ""),
                vcpu_min=int(vcpu.get("min") or 0),
                vcpu_max=int(vcpu.get("max") or 0),
                ram_gb_per_vcpu=float(item.get("ramGbPerVcpu") or 0),
                price_per_vcpu_serverless=_price(price.get("serverlessPerVcpu")),
                price_per_vcpu_secure=_price(price.get("securePerVcpu")),
            )
        )
    return sorted((f for f in flavors if min_vcpus is None or f.vcpu_max >= min_vcpus), key=lambda f: f.id)


def get_data_centers(
    *,
    network_volume_type: str | None = None,
    region: str | None = None,
    compliance: Iterable[str] = (),
    global_network: bool | None = None,
    offline: bool = False,
    source: CatalogSource | None = None,
) -> list[DataCenter]:
    """Data centers, by id: offering network volumes of ``network_volume_type`` ('STANDARD',
    'HIGH_PERFORMANCE'), in ``region`` (e.g. 'EUROPE'), holding every certification in ``compliance``
    (e.g. ['GDPR']), with or without global networking."""
    if network_volume_type is not None and network_volume_type not in VOLUME_TYPES:
        raise ValueError(f"network_volume_type must be one of {', '.join(VOLUME_TYPES)} (got {network_volume_type!r})")
    if isinstance(compliance, str):
        raise ValueError(f"compliance is a list of certifications, e.g. ['GDPR'] (got {compliance!r})")
    wanted = set(compliance)
    centers = [
        DataCenter(
            id=str(item["id"]),
            name=str(item.get("name") or item["id"]),
            region=str(item.get("region") or "UNKNOWN"),
            network_volume_types=tuple(str(t) for t in item.get("networkVolumeTypes") or ()),
            compliance=tuple(str(c) for c in item.get("compliance") or ()),
            global_network=bool(item.get("globalNetwork")),
        )
        for item in _source(offline, source).data_centers()
    ]
    return sorted(
        (
            dc
            for dc in centers
            if (network_volume_type is None or network_volume_type in dc.network_volume_types)
            and (region is None or dc.region == region.upper())
            and wanted <= set(dc.compliance)
            and (global_network is None or dc.global_network == global_network)
        ),
        key=lambda dc: dc.id,
    )
