"""/v2/catalog: the shipped catalog, its documented filters and their parameter rules."""

from __future__ import annotations

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import documents
from tests.emulator.helpers import problem


def test_gpus_cpus_and_data_centers_come_from_the_shipped_catalog(api: httpx.Client) -> None:
    catalog = documents.catalog()
    assert api.get("/v2/catalog/gpus").json() == {"gpus": catalog["gpus"]}
    assert api.get("/v2/catalog/cpus").json() == {"cpus": catalog["cpus"]}
    assert api.get("/v2/catalog/datacenters").json() == {"dataCenters": catalog["dataCenters"]}


def test_single_items_and_unknown_ids(api: httpx.Client) -> None:
    gpu = api.get("/v2/catalog/gpus/NVIDIA GeForce RTX 4090").json()
    assert (gpu["pool"], gpu["memory"]) == ("ADA_24", 24)
    assert api.get("/v2/catalog/gpus/Tesla T4").json()["pool"] is None
    assert api.get("/v2/catalog/cpus/cpu5c").json()["ramGbPerVcpu"] == 2.0
    assert api.get("/v2/catalog/datacenters/US-KS-2").json()["region"] == "NORTH_AMERICA"
    problem(api.get("/v2/catalog/gpus/RTX 9999"), 404, "GPU type RTX 9999 not found")
    problem(api.get("/v2/catalog/cpus/cpu9x"), 404, "cpu9x")
    problem(api.get("/v2/catalog/datacenters/MARS-1"), 404, "MARS-1")


def test_serverless_gpu_availability_follows_the_pools(api: httpx.Client) -> None:
    gpus = api.get("/v2/catalog/gpus", params={"include": "AVAILABILITY", "product": "SERVERLESS"}).json()["gpus"]
    by_id = {gpu["id"]: gpu for gpu in gpus}
    assert by_id["NVIDIA GeForce RTX 4090"]["availability"] == "HIGH"
    assert by_id["NVIDIA GeForce RTX 4090"]["cudaVersions"][0] == {"version": "13.0", "available": True}
    assert by_id["Tesla T4"]["availability"] == "NONE"
    assert "dataCenters" not in by_id["Tesla T4"]


def test_country_codes_narrow_the_list(api: httpx.Client) -> None:
    params = {"include": "AVAILABILITY", "product": "SERVERLESS", "countryCodes": "RO"}
    gpus = api.get("/v2/catalog/gpus", params=params).json()["gpus"]
    assert gpus and all(gpu["pool"] for gpu in gpus)
    assert {dc["id"] for gpu in gpus for dc in gpu["dataCenters"]} == {"EU-RO-1"}
    nowhere = api.get("/v2/catalog/gpus", params={**params, "countryCodes": "AQ"}).json()
    assert nowhere == {"gpus": []}
    single = api.get("/v2/catalog/gpus/NVIDIA L4", params={**params, "countryCodes": "AQ"}).json()
    assert single["availability"] == "NONE" and "dataCenters" not in single


def test_cuda_filters(api: httpx.Client) -> None:
    base = {"include": "AVAILABILITY", "product": "SERVERLESS"}
    floor = api.get("/v2/catalog/gpus/NVIDIA L4", params={**base, "minCudaVersion": "12.8"}).json()
    assert [v["version"] for v in floor["cudaVersions"]] == ["13.0", "12.9", "12.8"]
    major = api.get("/v2/catalog/gpus/NVIDIA L4", params={**base, "minCudaVersion": "13"}).json()
    assert [v["version"] for v in major["cudaVersions"]] == ["13.0"]
    exact = api.get("/v2/catalog/gpus/NVIDIA L4", params={**base, "cudaVersions": "12.4,11.8"}).json()
    assert [v["version"] for v in exact["cudaVersions"]] == ["12.4", "11.8"]


@pytest.mark.parametrize(
    ("path", "params", "status", "fragment"),
    [
        ("/v2/catalog/gpus", {"include": "AVAILABILITY"}, 400, "product is required"),
        ("/v2/catalog/gpus", {"product": "POD"}, 400, "valid only with include=AVAILABILITY"),
        ("/v2/catalog/gpus", {"countryCodes": "FR"}, 400, "countryCodes: valid only"),
        ("/v2/catalog/gpus", {"include": "AVAILABILITY", "product": "POD", "countryCodes": "fr"}, 422, "pattern"),
        ("/v2/catalog/gpus", {"include": "STOCK"}, 422, "$.include: value must be one of"),
        (
            "/v2/catalog/gpus",
            {"include": "AVAILABILITY", "product": "POD", "cudaVersions": "12.8", "minCudaVersion": "12.1"},
            400,
            "mutually exclusive",
        ),
        ("/v2/catalog/gpus", {"include": "AVAILABILITY", "product": "POD", "cudaVersions": "12"}, 422, "pattern"),
        ("/v2/catalog/cpus", {"vcpuCount": "4"}, 400, "valid only with include"),
        (
            "/v2/catalog/cpus",
            {"include": "AVAILABILITY", "product": "SERVERLESS", "vcpuCount": "6"},
            400,
            "power of two",
        ),
        ("/v2/catalog/cpus", {"include": "AVAILABILITY", "product": "CLUSTER"}, 422, "$.product"),
        ("/v2/catalog/datacenters", {"globalNetwork": "yes"}, 422, "want boolean"),
        ("/v2/catalog/datacenters", {"regions": "MOON"}, 422, "$.regions"),
    ],
)
def test_parameter_rules(api: httpx.Client, path: str, params: dict[str, str], status: int, fragment: str) -> None:
    problem(api.get(path, params=params), status, fragment)


def test_cpu_availability_depends_on_the_vcpu_count(api: httpx.Client) -> None:
    params = {"include": "AVAILABILITY", "product": "SERVERLESS", "vcpuCount": "64"}
    cpus = api.get("/v2/catalog/cpus", params=params).json()["cpus"]
    assert {cpu["availability"] for cpu in cpus} == {"NONE"}
    params["vcpuCount"] = "4"
    assert {cpu["availability"] for cpu in api.get("/v2/catalog/cpus", params=params).json()["cpus"]} == {"HIGH"}


def test_data_center_filters(api: httpx.Client) -> None:
    def ids(params: dict[str, str]) -> set[str]:
        return {dc["id"] for dc in api.get("/v2/catalog/datacenters", params=params).json()["dataCenters"]}

    assert ids({"networkVolumeTypes": "STANDARD,HIGH_PERFORMANCE"}) == {"US-KS-2"}  # AND
    assert ids({"regions": "OCEANIA,ASIA"}) == {"OC-AU-1", "AP-JP-1"}  # OR
    assert "EU-RO-1" in ids({"compliance": "GDPR"}) and "US-KS-2" not in ids({"compliance": "GDPR"})
    assert ids({"globalNetwork": "true"}) == {"US-KS-2"}
    assert ids({"regions": "EUROPE", "globalNetwork": "true"}) == set()  # families combine with AND
    unknown_parameter = ids({"desiredStatus": "RUNNING"})  # ignored, as the live API does
    assert len(unknown_parameter) == len(documents.catalog()["dataCenters"])


def test_data_center_availability_expansions(api: httpx.Client) -> None:
    plain = api.get("/v2/catalog/datacenters/EU-RO-1").json()
    assert "gpuAvailability" not in plain and "cpuAvailability" not in plain
    both = api.get("/v2/catalog/datacenters/EU-RO-1", params={"include": "GPU_AVAILABILITY,CPU_AVAILABILITY"}).json()
    assert len(both["gpuAvailability"]) == len(documents.catalog()["gpus"])
    assert {cpu["id"] for cpu in both["cpuAvailability"]} == {"cpu3c", "cpu3g", "cpu5c", "cpu5g"}


def test_the_catalog_drives_the_serverless_rules(api: httpx.Client) -> None:
    """An id the catalog lists is accepted by /v2/serverless; one it does not is refused."""
    pool = api.get("/v2/catalog/gpus/NVIDIA L40S").json()["pool"]
    body = {
        "name": "x",
        "type": "QUEUE",
        "image": "i",
        "scaling": {"type": "QUEUE_DELAY", "queueDelay": 1},
        "gpu": {"pools": [pool], "excludedTypes": ["NVIDIA L40S"]},
        "dataCenterIds": [api.get("/v2/catalog/datacenters").json()["dataCenters"][-1]["id"]],
    }
    assert api.post("/v2/serverless", json=body).status_code == 201
