"""api/catalog.py: the shipped snapshot and its lookups, and the live catalog client."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api import NotFound, UnexpectedAnswer
from pulumi_runpod_endpoint.api.catalog import Catalog, CatalogClient, shipped_catalog
from tests.unit.core.fakes import BASE, Script, SessionFactory, ok, problem

GPUS = [
    {"id": "NVIDIA A40", "pool": "AMPERE_48", "memory": 48},
    {"id": "NVIDIA RTX A6000", "pool": "AMPERE_48", "memory": 48},
    {"id": "NVIDIA L4", "pool": "ADA_24", "memory": 24},
    {"id": "NVIDIA RTX 4000 Ada", "memory": 20},  # not in any serverless pool
]
CPUS = [{"id": "cpu3c", "vcpu": {"min": 2, "max": 32}}, {"id": "cpu5g", "vcpu": {"min": 2, "max": 16}}]
DCS: list[dict[str, Any]] = [{"id": "EU-RO-1", "networkVolumeTypes": ["STANDARD"]}, {"id": "US-KS-2"}]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.from_lists(GPUS, CPUS, DCS)


def test_pools_group_gpu_types_and_skip_those_without_one(catalog: Catalog) -> None:
    assert catalog.pools() == {"AMPERE_48": ("NVIDIA A40", "NVIDIA RTX A6000"), "ADA_24": ("NVIDIA L4",)}


def test_pools_is_a_copy(catalog: Catalog) -> None:
    catalog.pools().clear()
    assert "ADA_24" in catalog.pools()


def test_lookups(catalog: Catalog) -> None:
    assert catalog.pool_memory_gb("AMPERE_48") == 48
    assert catalog.pool_memory_gb("NOPE") is None
    assert catalog.gpu_type_ids() == ("NVIDIA A40", "NVIDIA RTX A6000", "NVIDIA L4", "NVIDIA RTX 4000 Ada")
    assert catalog.cpu_flavor("cpu5g") == CPUS[1]
    assert catalog.cpu_flavor("cpu9x") is None
    assert catalog.cpu_flavor_ids() == ("cpu3c", "cpu5g")
    assert catalog.data_center("US-KS-2") == DCS[1]
    assert catalog.data_center("MARS-1") is None
    assert catalog.data_center_ids() == ("EU-RO-1", "US-KS-2")
    assert catalog.volume_types("EU-RO-1") == ("STANDARD",)
    assert catalog.volume_types("US-KS-2") == ()
    assert catalog.volume_types("MARS-1") == ()


def test_to_json_is_the_v2_shape(catalog: Catalog) -> None:
    assert catalog.to_json() == {"gpus": GPUS, "cpus": CPUS, "dataCenters": DCS}


def test_the_shipped_snapshot_is_read_once_and_matches_the_file() -> None:
    text = (resources.files("pulumi_runpod_endpoint") / "data" / "catalog.json").read_text(encoding="utf-8")
    data = json.loads(text)
    snapshot = shipped_catalog()
    assert shipped_catalog() is snapshot
    assert snapshot.to_json() == {"gpus": data["gpus"], "cpus": data["cpus"], "dataCenters": data["dataCenters"]}


def test_the_shipped_snapshot_is_usable_for_validation() -> None:
    snapshot = shipped_catalog()
    pools = snapshot.pools()
    assert pools, "the snapshot has serverless pools"
    for pool, types in pools.items():
        assert types
        assert snapshot.pool_memory_gb(pool) is not None
    assert len(set(snapshot.gpu_type_ids())) == len(snapshot.gpu_type_ids())
    assert snapshot.cpu_flavor_ids()
    assert snapshot.data_center_ids()


# -- the live catalog ---------------------------------------------------------------------------------
def test_the_client_reads_each_list_with_its_filters(make_session: SessionFactory) -> None:
    script = Script(ok({"gpus": GPUS}), ok({"cpus": CPUS}), ok({"dataCenters": DCS}))
    client = CatalogClient(make_session(script), f"{BASE}/")
    assert client.gpus(pool="ADA_24") == GPUS
    assert client.cpus() == CPUS
    assert client.data_centers(networkVolumeTypes="STANDARD") == DCS
    assert [str(r.url) for r in script.requests] == [
        f"{BASE}/catalog/gpus?pool=ADA_24",
        f"{BASE}/catalog/cpus",
        f"{BASE}/catalog/datacenters?networkVolumeTypes=STANDARD",
    ]


def test_the_client_builds_a_catalog(make_session: SessionFactory) -> None:
    script = Script(ok({"gpus": GPUS}), ok({"cpus": CPUS}), ok({"dataCenters": DCS}))
    assert CatalogClient(make_session(script), BASE).catalog() == Catalog.from_lists(GPUS, CPUS, DCS)


@pytest.mark.parametrize(
    "answer",
    [
        ok({"items": GPUS}),
        ok(GPUS),
        ok({"gpus": ["NVIDIA L4"]}),
        httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html></html>"),
    ],
    ids=["wrong-key", "bare-list", "not-objects", "html"],
)
def test_an_answer_of_the_wrong_shape_is_unexpected(make_session: SessionFactory, answer: httpx.Response) -> None:
    with pytest.raises(UnexpectedAnswer):
        CatalogClient(make_session(Script(answer)), BASE).gpus()


def test_a_404_for_a_catalog_list_is_a_wrong_url_never_not_found(make_session: SessionFactory) -> None:
    with pytest.raises(UnexpectedAnswer, match="/v2") as caught:
        CatalogClient(make_session(Script(problem(404))), "http://api.test").gpus()
    assert not isinstance(caught.value, NotFound)
