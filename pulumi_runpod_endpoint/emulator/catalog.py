"""RunPod's catalog as data the rooms consult: which pools, GPU types, CPU flavors and data
centers exist. One source for what ``/v2/catalog`` serves and for the serverless rules
(an unknown pool, an excluded type outside the pools, an unknown data center, a vCPU count
the flavor does not offer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import documents

__all__ = ["CUDA_VERSIONS", "Catalog", "country_of"]

# CUDA versions RunPod machines offer: REST v1's allowedCudaVersions enum (runpod/docs
# api-reference/openapi.json @ a900806e, history since REST v1 is retired), newest first.
CUDA_VERSIONS: tuple[str, ...] = (
    "13.0", "12.9", "12.8", "12.7", "12.6", "12.5", "12.4", "12.3", "12.2", "12.1", "12.0", "11.8",
)  # fmt: skip

_COUNTRY = re.compile(r"^(?:[A-Z]+)-([A-Z]{2})-\d+$")
_REGION_COUNTRY = {"US": "US", "CA": "CA"}


def country_of(data_center_id: str) -> str | None:
    """ISO country of a data center, from its id (US-KS-2 -> US, EU-RO-1 -> RO, EUR-IS-1 -> IS)."""
    prefix = data_center_id.split("-", 1)[0]
    if prefix in _REGION_COUNTRY:
        return _REGION_COUNTRY[prefix]
    match = _COUNTRY.match(data_center_id)
    return match.group(1) if match else None


@dataclass(frozen=True)
class Catalog:
    gpus: tuple[dict[str, Any], ...]
    cpus: tuple[dict[str, Any], ...]
    data_centers: tuple[dict[str, Any], ...]

    @classmethod
    def shipped(cls) -> Catalog:
        data = documents.catalog()
        return cls(tuple(data["gpus"]), tuple(data["cpus"]), tuple(data["dataCenters"]))

    @property
    def pools(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(gpu["pool"] for gpu in self.gpus if gpu["pool"]))

    def gpu(self, gpu_id: str) -> dict[str, Any] | None:
        return next((gpu for gpu in self.gpus if gpu["id"] == gpu_id), None)

    def types_in_pools(self, pools: list[str]) -> list[str]:
        return [gpu["id"] for gpu in self.gpus if gpu["pool"] in pools]

    def cpu(self, flavor_id: str) -> dict[str, Any] | None:
        return next((cpu for cpu in self.cpus if cpu["id"] == flavor_id), None)

    def data_center(self, data_center_id: str) -> dict[str, Any] | None:
        return next((dc for dc in self.data_centers if dc["id"] == data_center_id), None)

    def memory_gb(self, flavor_id: str, vcpus: int) -> int:
        """RAM of a CPU worker: vCPUs x the flavor's catalog RAM multiplier."""
        flavor = self.cpu(flavor_id)
        per_vcpu = float(flavor["ramGbPerVcpu"]) if flavor else 2.0
        return max(1, round(vcpus * per_vcpu))
