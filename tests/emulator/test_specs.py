"""The documents the emulator is built from are the ones we reviewed, byte for byte, and the
shipped catalog is valid against the v2 spec's own schemas."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from pulumi_runpod_endpoint.emulator import documents

SPECS = {
    "runpod_rest_v2_openapi.json": "b8bce61c5a2290d28a7cb2ed53173637166817249986cb18b101b2fd651fd313",
    "runpod_graphql_schema_RECONSTRUCTED_2025-09.graphql": (
        "ed0d5ddcfecb484311085beeee9b884188b97a4acd319a1a80b973fd72f6efd8"
    ),
    "runpod_gpu_pools_DERIVED.json": "0054072a0dc14e182bdf5f6be7db0583a490f0e24e0042b3695d90208445dd0b",
    "QUIRKS.md": "be8221c3d0304cb094cb5a096597d706d1a666e64eedbdd53358f4fea7a22bf3",
    "API_LIFECYCLE.md": "8613e4a86178639ba20510b3022075ac438bcfc204add474b26e6bd96b846aee",
    "runpod_rest_v2_migrate_from_v1.mdx": "8eb02dfde2a9eb7658c0bfe01b5922501fa7abde2f84b77210c5908970ae6fba",
    "SOURCES.txt": "5c26321153ff6cc6a5deca67baf3c9838b8b6f86286e0e2b3dffa7e587401d0a",
}


def spec_bytes(name: str) -> bytes:
    return (resources.files("pulumi_runpod_endpoint.emulator") / "specs" / name).read_bytes()


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_copy_is_the_reviewed_document(name: str) -> None:
    assert hashlib.sha256(spec_bytes(name)).hexdigest() == SPECS[name]


def test_the_specs_folder_holds_only_the_pinned_documents() -> None:
    folder = resources.files("pulumi_runpod_endpoint.emulator") / "specs"
    assert sorted(item.name for item in folder.iterdir()) == sorted(SPECS)


def catalog_validator(schema: str) -> Draft202012Validator:
    return Draft202012Validator(documents.v2_schema_ref(schema), registry=documents.v2_registry())


@pytest.mark.parametrize(("key", "schema"), [("gpus", "GpuType"), ("cpus", "CpuType"), ("dataCenters", "DataCenter")])
def test_catalog_items_are_valid_v2_catalog_items(key: str, schema: str) -> None:
    items = documents.catalog()[key]
    assert items
    validator = catalog_validator(schema)
    for item in items:
        assert not list(validator.iter_errors(item)), item["id"]
    assert len({item["id"] for item in items}) == len(items)


def test_catalog_says_where_its_data_comes_from() -> None:
    catalog = documents.catalog()
    assert set(catalog) == {"_about", "gpus", "cpus", "dataCenters"}
    assert "runpod_gpu_pools_DERIVED.json" in catalog["_about"]


def test_catalog_pools_are_the_derived_pool_list() -> None:
    pools = json.loads(spec_bytes("runpod_gpu_pools_DERIVED.json"))["pools"]
    by_pool: dict[str, list[str]] = {}
    for gpu in documents.catalog()["gpus"]:
        if gpu["pool"]:
            by_pool.setdefault(gpu["pool"], []).append(gpu["id"])
    assert {pool: sorted(types) for pool, types in by_pool.items()} == {
        pool: sorted(info["flash"]) for pool, info in pools.items()
    }


def test_catalog_cpu_flavors_and_their_ram() -> None:
    cpus = {cpu["id"]: cpu for cpu in documents.catalog()["cpus"]}
    assert sorted(cpus) == ["cpu3c", "cpu3g", "cpu5c", "cpu5g"]
    assert (cpus["cpu3c"]["ramGbPerVcpu"], cpus["cpu3g"]["ramGbPerVcpu"]) == (2.0, 4.0)
    assert all(cpu["vcpu"]["min"] == 2 for cpu in cpus.values())


def test_not_every_data_center_offers_high_performance_volumes() -> None:
    kinds = {dc["id"]: dc["networkVolumeTypes"] for dc in documents.catalog()["dataCenters"]}
    assert kinds["US-KS-2"] == ["STANDARD", "HIGH_PERFORMANCE"]
    assert "HIGH_PERFORMANCE" not in kinds["EU-RO-1"]
    assert any(not types for types in kinds.values())
