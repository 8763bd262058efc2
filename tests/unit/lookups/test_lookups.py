"""The lookups on the emulator's /v2/catalog: typed values, filters, one request per list, the program's
settings, offline answers."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_runpod_endpoint.api.catalog import shipped_catalog
from pulumi_runpod_endpoint.lookups import (
    CatalogLookupError,
    CpuType,
    DataCenter,
    GpuPool,
    GpuType,
    LiveCatalog,
    get_cpu_types,
    get_data_centers,
    get_gpu_pools,
    get_gpu_types,
    program_settings,
)
from tests.conftest import API_KEY
from tests.unit.emulated import Stack


def test_gpu_types_with_enough_memory_smallest_first(live: LiveCatalog) -> None:
    found = get_gpu_types(min_memory_gb=80, source=live)
    assert [gpu.id for gpu in found] == [
        "NVIDIA A100 80GB PCIe",
        "NVIDIA A100-SXM4-80GB",
        "NVIDIA H100 80GB HBM3",
        "NVIDIA H100 PCIe",
        "NVIDIA H100 NVL",
        "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
        "NVIDIA RTX PRO 6000 Blackwell Server Edition",
        "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
        "NVIDIA H200",
        "NVIDIA H200 NVL",
        "NVIDIA B200",
        "AMD Instinct MI300X OAM",
    ]
    h100 = found[2]
    assert (h100.name, h100.pool, h100.manufacturer, h100.memory_gb) == ("H100 80GB HBM3", "ADA_80_PRO", "NVIDIA", 80)
    assert (h100.price_serverless, h100.max_count_secure, h100.max_count_community) == (4.176, 8, 0)
    assert (h100.secure, h100.community) == (True, False)


def test_gpu_type_filters(live: LiveCatalog) -> None:
    assert [g.id for g in get_gpu_types(manufacturer="amd", source=live)] == ["AMD Instinct MI300X OAM"]
    assert [g.id for g in get_gpu_types(pool="AMPERE_48", source=live)] == ["NVIDIA A40", "NVIDIA RTX A6000"]
    outside = get_gpu_types(serverless=False, source=live)
    inside = get_gpu_types(serverless=True, source=live)
    assert {"NVIDIA GeForce RTX 3070", "AMD Instinct MI300X OAM", "NVIDIA H200 NVL"} <= {g.id for g in outside}
    assert all(g.pool is None for g in outside) and all(g.pool is not None for g in inside)
    assert len(outside) + len(inside) == len(get_gpu_types(source=live)) == 49


def test_gpu_pools_to_pick_for_an_endpoint(live: LiveCatalog) -> None:
    pools = get_gpu_pools(min_memory_gb=48, source=live)
    assert pools[:3] == [
        GpuPool("ADA_48_PRO", ("NVIDIA L40S", "NVIDIA RTX 6000 Ada Generation", "NVIDIA L40"), 48, 1.908),
        GpuPool("AMPERE_48", ("NVIDIA A40", "NVIDIA RTX A6000"), 48, 1.224),
        GpuPool("ADA_80_PRO", ("NVIDIA H100 80GB HBM3", "NVIDIA H100 PCIe", "NVIDIA H100 NVL"), 80, 4.176),
    ]
    assert [p.id for p in pools[3:]] == ["AMPERE_80", "BLACKWELL_96", "HOPPER_141", "BLACKWELL_180"]
    assert pools[4].price_serverless is None  # no published rate for the pool
    assert [p.id for p in get_gpu_pools(gpu_type_id="NVIDIA L40", source=live)] == ["ADA_48_PRO"]


def test_cpu_types(live: LiveCatalog) -> None:
    assert [c.id for c in get_cpu_types(source=live)] == ["cpu3c", "cpu3g", "cpu5c", "cpu5g"]
    cpu5g = CpuType("cpu5g", "General Purpose", "Gen 5", 2, 32, 4.0, 0.0, 0.0)
    assert get_cpu_types(min_vcpus=32, source=live)[3] == cpu5g
    assert get_cpu_types(min_vcpus=33, source=live) == []


def test_data_centers_to_place_a_volume(live: LiveCatalog) -> None:
    assert [dc.id for dc in get_data_centers(network_volume_type="HIGH_PERFORMANCE", source=live)] == ["US-KS-2"]
    assert [dc.id for dc in get_data_centers(network_volume_type="STANDARD", source=live)] == [
        "EU-CZ-1", "EU-RO-1", "EUR-IS-1", "EUR-NO-1", "US-CA-2", "US-GA-2", "US-IL-1", "US-KS-2", "US-NC-1", "US-WA-1",
    ]  # fmt: skip
    europe = get_data_centers(region="europe", compliance=["GDPR"], source=live)
    assert [dc.id for dc in europe] == [
        "EU-CZ-1", "EU-FR-1", "EU-NL-1", "EU-RO-1", "EU-SE-1", "EUR-IS-1", "EUR-IS-2", "EUR-IS-3", "EUR-NO-1",
    ]  # fmt: skip
    assert europe[4] == DataCenter("EU-SE-1", "EU Sweden 1", "EUROPE", (), ("GDPR",), False)
    assert [dc.id for dc in get_data_centers(global_network=True, source=live)] == ["US-KS-2"]
    assert get_data_centers(compliance=["SOC_2_TYPE_2", "ISO_IEC_27001"], source=live)[0].network_volume_types == (
        "STANDARD",
        "HIGH_PERFORMANCE",
    )


class Recorded:
    """A catalog with every price and count different, which the shipped one (mostly zeros, guesses)
    is not: proves each field lands where it belongs. No API here: ``source=`` takes any catalog."""

    def gpus(self) -> list[dict[str, Any]]:
        return [{"id": "NVIDIA X1", "name": "X1", "pool": "X_POOL", "manufacturer": "NVIDIA", "memory": 40,
                 "secure": True, "community": False, "price": {"secure": 2.5, "community": 1.5, "serverless": 3.5},
                 "maxCount": {"secure": 8, "community": 4}}]  # fmt: skip

    def cpus(self) -> list[dict[str, Any]]:
        return [{"id": "cpu9x", "name": "Nine", "group": "Gen 9", "vcpu": {"min": 4, "max": 64}, "ramGbPerVcpu": 4.5,
                 "price": {"securePerVcpu": 0.05, "serverlessPerVcpu": 0.04}}]  # fmt: skip

    def data_centers(self) -> list[dict[str, Any]]:
        return []


def test_every_field_lands_where_it_belongs() -> None:
    assert get_gpu_types(source=Recorded()) == [
        GpuType("NVIDIA X1", "X1", "X_POOL", "NVIDIA", 40, True, False, 2.5, 1.5, 3.5, 8, 4)
    ]
    assert get_gpu_pools(source=Recorded()) == [GpuPool("X_POOL", ("NVIDIA X1",), 40, 3.5)]
    assert get_cpu_types(source=Recorded()) == [CpuType("cpu9x", "Nine", "Gen 9", 4, 64, 4.5, 0.04, 0.05)]


def test_each_list_is_one_request_per_process(live: LiveCatalog, stack: Stack) -> None:
    for _ in range(3):
        get_gpu_types(source=live)
        get_gpu_pools(source=live)
        get_data_centers(source=live)
    assert stack.calls() == ["GET listGpuTypes 200", "GET listDataCenters 200"]


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: get_gpu_types(min_memory_gb=-1, offline=True), "min_memory_gb"),
        (lambda: get_gpu_pools(min_memory_gb=True, offline=True), "min_memory_gb"),
        (lambda: get_cpu_types(min_vcpus=2.5, offline=True), "min_vcpus"),  # type: ignore[arg-type]
        (lambda: get_data_centers(network_volume_type="FAST", offline=True), "STANDARD, HIGH_PERFORMANCE"),
        (lambda: get_data_centers(compliance="GDPR", offline=True), "list"),
    ],
)
def test_bad_arguments_are_refused_by_name(call: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        call()  # type: ignore[operator]


def test_offline_answers_from_the_shipped_catalog_with_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUNPOD_API_KEY", raising=False)
    catalog = shipped_catalog()
    gpus = get_gpu_types(offline=True)
    assert {g.id for g in gpus} == {str(g["id"]) for g in catalog.gpus}
    assert [(g.memory_gb, g.id) for g in gpus] == sorted((g.memory_gb, g.id) for g in gpus)
    assert {p.id for p in get_gpu_pools(offline=True)} == set(catalog.pools())
    assert {c.id for c in get_cpu_types(offline=True)} == set(catalog.cpu_flavor_ids())
    assert {dc.id for dc in get_data_centers(offline=True)} == set(catalog.data_center_ids())


def test_without_a_key_a_live_lookup_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUNPOD_API_KEY", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_RUNPOD_APIKEY", raising=False)
    with pytest.raises(CatalogLookupError, match="runpod:apiKey") as failed:
        get_gpu_types()
    assert "offline=True" in str(failed.value)


def test_the_tensorone_backend_has_no_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_BACKEND", "tensorone")
    monkeypatch.setenv("RUNPOD_API_KEY", API_KEY)
    with pytest.raises(CatalogLookupError, match="tensorone"):
        get_data_centers()


def test_a_failing_catalog_read_is_one_clear_error_without_the_key(live: LiveCatalog, stack: Stack) -> None:
    stack.emulator.settings.update({"forbiddenKeys": [API_KEY]})  # a valid key without access: 403
    with pytest.raises(CatalogLookupError) as failed:
        get_gpu_types(source=live)
    assert stack.calls() == ["GET listGpuTypes 403"]
    assert "could not read RunPod's gpus catalog" in str(failed.value) and "offline=True" in str(failed.value)
    assert API_KEY not in str(failed.value)


def test_the_program_settings_are_the_resources_stack_config_first_then_the_environment() -> None:
    config = {"runpod:apiKey": "from-config", "runpod:restUrl": "http://127.0.0.1:9/v2"}
    settings = program_settings(config.get, {"RUNPOD_API_KEY": "from-env", "RUNPOD_MAX_RETRY_WAIT": "30"})
    assert settings.api_key == "from-config" and settings.rest_url == "http://127.0.0.1:9/v2"
    assert settings.max_retry_wait == 30.0
    assert program_settings({}.get, {"RUNPOD_API_KEY": "from-env"}).api_key == "from-env"


def test_in_a_program_the_settings_come_from_pulumi_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG_RUNPOD_APIKEY", "stack-key")
    monkeypatch.setenv("PULUMI_CONFIG_RUNPOD_RESTURL", "http://127.0.0.1:9/v2")
    monkeypatch.setenv("RUNPOD_API_KEY", "env-key")
    settings = program_settings()
    assert settings.api_key == "stack-key" and settings.rest_url == "http://127.0.0.1:9/v2"


def test_bad_settings_are_a_lookup_error_naming_the_key() -> None:
    with pytest.raises(CatalogLookupError, match="runpod:restUrl"):
        program_settings({"runpod:restUrl": "http://host:1"}.get, {})
