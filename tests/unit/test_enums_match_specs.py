"""The enums shipped in the package match ../shared/specs (the emulator's spec copies are pinned in
tests/emulator/test_specs.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pulumi_runpod_endpoint.api import enums
from tests.conftest import SHARED_SPECS


def shared(name: str) -> Path:
    path = SHARED_SPECS / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run with ../shared beside the checkout")
        pytest.skip(f"{path} not present outside the project workspace")
    return path


def create_input() -> dict[str, dict[str, object]]:
    spec = json.loads(shared("runpod_rest_v1_openapi.json").read_text())
    return spec["components"]["schemas"]["EndpointCreateInput"]["properties"]  # type: ignore[no-any-return]


def enum_of(field: str) -> list[str]:
    prop = create_input()[field]
    items = prop.get("items", prop)
    assert isinstance(items, dict)
    return list(dict.fromkeys(items["enum"]))


@pytest.mark.parametrize(
    ("field", "ours"),
    [
        pytest.param("gpuTypeIds", enums.GPU_TYPE_IDS, id="gpu-types"),
        pytest.param("dataCenterIds", enums.DATA_CENTER_IDS, id="data-centers"),
        pytest.param("allowedCudaVersions", enums.CUDA_VERSIONS, id="cuda"),
        pytest.param("cpuFlavorIds", enums.CPU_FLAVOR_IDS, id="cpu-flavors"),
    ],
)
def test_rest_enums_match_the_openapi_spec(field: str, ours: tuple[str, ...]) -> None:
    assert list(ours) == enum_of(field)


def test_scaler_and_compute_enums_match_the_openapi_spec() -> None:
    assert [s.value for s in enums.ScalerType] == create_input()["scalerType"]["enum"]
    assert sorted(c.value for c in enums.ComputeType) == sorted(create_input()["computeType"]["enum"])  # type: ignore[arg-type]


def test_gpu_pools_match_the_derived_pool_list() -> None:
    pools = json.loads(shared("runpod_gpu_pools_DERIVED.json").read_text())["pools"]
    assert {name: pool["memory_gb"] for name, pool in pools.items()} == enums.GPU_POOLS
    assert {name: tuple(pool["flash"]) for name, pool in pools.items()} == enums.POOL_GPU_TYPES
