"""RunPod's catalog: GPU types and their serverless pools, CPU flavors, data centers.

Two sources with one shape. ``shipped_catalog()`` reads ``data/catalog.json``, a snapshot of the
``/v2/catalog/*`` answers kept in the package, so that ``check`` can refuse an unknown pool, a GPU
type outside the chosen pools or a data center that offers no such volume tier *before any API call
and offline*. ``CatalogClient`` reads the live catalog with the same key and settings as the
resources (for lookups in a program, and for ``scripts/refresh-catalog`` which rewrites the snapshot).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .errors import NotFound, UnexpectedAnswer
from .rest import DEFAULT_REST_URL
from .session import Session, parse_json

__all__ = ["Catalog", "CatalogClient", "shipped_catalog"]


@dataclass(frozen=True)
class Catalog:
    """The three catalog lists, with the lookups validation needs."""

    gpus: tuple[Mapping[str, Any], ...]
    cpus: tuple[Mapping[str, Any], ...]
    data_centers: tuple[Mapping[str, Any], ...]
    _pools: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_lists(
        cls,
        gpus: Sequence[Mapping[str, Any]],
        cpus: Sequence[Mapping[str, Any]],
        data_centers: Sequence[Mapping[str, Any]],
    ) -> Catalog:
        pools: dict[str, list[str]] = {}
        for gpu in gpus:
            if gpu.get("pool"):
                pools.setdefault(str(gpu["pool"]), []).append(str(gpu["id"]))
        return cls(tuple(gpus), tuple(cpus), tuple(data_centers), {k: tuple(v) for k, v in pools.items()})

    def pools(self) -> dict[str, tuple[str, ...]]:
        """Serverless pool id -> the GPU type ids in it."""
        return dict(self._pools)

    def pool_memory_gb(self, pool: str) -> int | None:
        sizes = [int(g.get("memory") or 0) for g in self.gpus if g.get("pool") == pool]
        return max(sizes) if sizes else None

    def gpu_type_ids(self) -> tuple[str, ...]:
        return tuple(str(g["id"]) for g in self.gpus)

    def cpu_flavor(self, flavor_id: str) -> Mapping[str, Any] | None:
        return next((c for c in self.cpus if c.get("id") == flavor_id), None)

    def cpu_flavor_ids(self) -> tuple[str, ...]:
        return tuple(str(c["id"]) for c in self.cpus)

    def data_center(self, dc_id: str) -> Mapping[str, Any] | None:
        return next((d for d in self.data_centers if d.get("id") == dc_id), None)

    def data_center_ids(self) -> tuple[str, ...]:
        return tuple(str(d["id"]) for d in self.data_centers)

    def volume_types(self, dc_id: str) -> tuple[str, ...]:
        dc = self.data_center(dc_id)
        return tuple(str(t) for t in (dc or {}).get("networkVolumeTypes") or ())

    def to_json(self) -> dict[str, Any]:
        return {"gpus": list(self.gpus), "cpus": list(self.cpus), "dataCenters": list(self.data_centers)}


@cache
def shipped_catalog() -> Catalog:
    """The snapshot in the package (``data/catalog.json``), parsed once per process."""
    text = (resources.files("pulumi_runpod_endpoint") / "data" / "catalog.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Catalog.from_lists(data["gpus"], data["cpus"], data["dataCenters"])


class CatalogClient:
    """``GET /v2/catalog/{gpus,cpus,datacenters}`` through the shared session."""

    def __init__(self, session: Session, base_url: str = DEFAULT_REST_URL) -> None:
        self.session = session
        self.base = base_url.rstrip("/") + "/catalog"

    def _list(self, path: str, key: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        what = f"read the {path} catalog"
        try:
            response = self.session.request("GET", f"{self.base}/{path}", params=params, idempotent=True)
        except NotFound as missing:  # a list has no id to be missing: the base URL is not the API's
            raise UnexpectedAnswer(f"{what}: {missing.message}; check the REST base URL (it ends in /v2)") from None
        body = parse_json(response, what)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise UnexpectedAnswer(f"{what}: the answer has no {key!r} list of objects; is the base URL RunPod's API?")
        return items

    def gpus(self, **filters: str) -> list[dict[str, Any]]:
        return self._list("gpus", "gpus", filters)

    def cpus(self, **filters: str) -> list[dict[str, Any]]:
        return self._list("cpus", "cpus", filters)

    def data_centers(self, **filters: str) -> list[dict[str, Any]]:
        return self._list("datacenters", "dataCenters", filters)

    def catalog(self) -> Catalog:
        return Catalog.from_lists(self.gpus(), self.cpus(), self.data_centers())
