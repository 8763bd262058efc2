"""A fake of REST v2 ``/catalog/{gpus,cpus,datacenters}`` from the spec's shapes
(``ListGpuTypesResponse``, ``ListCpuTypesResponse``, ``ListDataCentersResponse``), with test data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.lookups import LiveCatalog
from tests.conftest import FakeTime
from tests.unit.fake_v2 import BASE, FakeV2, session_for


def gpu(gpu_id: str, pool: str | None, memory: int, serverless: float | None = None, maker: str = "NVIDIA") -> Any:
    price: dict[str, Any] = {"secure": 1.0, "community": 0.5}
    if serverless is not None:
        price["serverless"] = serverless
    return {"id": gpu_id, "name": gpu_id.split()[-1], "pool": pool, "manufacturer": maker, "memory": memory,
            "secure": True, "community": pool is not None, "price": price,
            "maxCount": {"secure": 8, "community": 4}}  # fmt: skip


GPUS = [
    gpu("NVIDIA GeForce RTX 4090", "ADA_24", 24, 0.00031),
    gpu("NVIDIA L40S", "ADA_48_PRO", 48, 0.00053),
    gpu("NVIDIA L40", "ADA_48_PRO", 48, 0.00053),
    gpu("NVIDIA A40", "AMPERE_48", 48, 0.00034),
    gpu("NVIDIA RTX A6000", "AMPERE_48", 48, 0.00034),
    gpu("NVIDIA H100 80GB HBM3", "ADA_80_PRO", 80, 0.00116),
    gpu("NVIDIA H100 PCIe", "ADA_80_PRO", 80),
    gpu("NVIDIA GeForce RTX 3070", None, 8),
    gpu("AMD Instinct MI300X OAM", None, 192, maker="AMD"),
]
CPUS = [
    {"id": "cpu3c", "name": "Compute-Optimized", "group": "Gen 3", "vcpu": {"min": 2, "max": 32},
     "ramGbPerVcpu": 2, "price": {"securePerVcpu": 0.04, "serverlessPerVcpu": 0.03}},
    {"id": "cpu5g", "name": "General Purpose", "group": "Gen 5", "vcpu": {"min": 2, "max": 64},
     "ramGbPerVcpu": 4.5, "price": {"securePerVcpu": 0.05, "serverlessPerVcpu": 0.04}},
]  # fmt: skip
DATA_CENTERS = [
    {"id": "US-KS-2", "name": "United States (Kansas)", "region": "NORTH_AMERICA",
     "networkVolumeTypes": ["STANDARD", "HIGH_PERFORMANCE"], "compliance": ["SOC_2_TYPE_2"], "globalNetwork": True},
    {"id": "EU-RO-1", "name": "Romania", "region": "EUROPE", "networkVolumeTypes": ["STANDARD"],
     "compliance": ["GDPR", "ISO_IEC_27001"], "globalNetwork": False},
    {"id": "EU-SE-1", "name": "Sweden", "region": "EUROPE", "networkVolumeTypes": [],
     "compliance": ["GDPR"], "globalNetwork": False},
]  # fmt: skip


class FakeCatalog(FakeV2):
    def __init__(self) -> None:
        super().__init__()
        self.gpus: list[Any] = list(GPUS)
        self.cpus: list[Any] = list(CPUS)
        self.data_centers: list[Any] = list(DATA_CENTERS)
        self.route("GET", "/v2/catalog/gpus", lambda r, p: httpx.Response(200, json={"gpus": self.gpus}))
        self.route("GET", "/v2/catalog/cpus", lambda r, p: httpx.Response(200, json={"cpus": self.cpus}))
        self.route(
            "GET", "/v2/catalog/datacenters", lambda r, p: httpx.Response(200, json={"dataCenters": self.data_centers})
        )


@pytest.fixture
def fake() -> FakeCatalog:
    return FakeCatalog()


@pytest.fixture
def session(fake: FakeCatalog, fake_time: FakeTime) -> Iterator[Session]:
    with session_for(fake, fake_time) as session:
        yield session


@pytest.fixture
def live(session: Session) -> LiveCatalog:
    return LiveCatalog(session, BASE)
