"""/v2/network-volumes: sizes 10-4096 that only grow, immutable data center and type, the tiers each
data center offers (from the shipped catalog), and a default tier when ``type`` is left out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator
from tests.emulator.helpers import create, gpu_body, operations, problem

WITH_VOLUMES = "EU-RO-1, US-IL-1, EUR-IS-1, EU-CZ-1, US-KS-2, US-GA-2, US-WA-1, US-CA-2, US-NC-1, EUR-NO-1"


@pytest.fixture
def control(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator") as client:
        yield client


def make(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": "weights", "size": 50, "dataCenter": "US-KS-2", **fields}
    response = api.post("/v2/network-volumes", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def patch(api: httpx.Client, volume_id: str, body: dict[str, Any]) -> httpx.Response:
    return api.patch(f"/v2/network-volumes/{volume_id}", json=body)


# -- lifecycle ----------------------------------------------------------------------------------
def test_lifecycle_create_get_list_grow_rename_delete(emulator: Emulator, api: httpx.Client) -> None:
    made = make(api, type="HIGH_PERFORMANCE")
    assert made == {
        "id": made["id"],
        "name": "weights",
        "size": 50,
        "dataCenter": "US-KS-2",
        "type": "HIGH_PERFORMANCE",
    }
    assert api.get(f"/v2/network-volumes/{made['id']}").json() == made
    assert api.get("/v2/network-volumes").json() == {"networkVolumes": [made]}
    grown = patch(api, made["id"], {"size": 200})
    assert (grown.status_code, grown.json()["size"]) == (200, 200)
    renamed = patch(api, made["id"], {"name": "weights-v2"}).json()
    assert renamed == {**made, "name": "weights-v2", "size": 200}
    assert api.delete(f"/v2/network-volumes/{made['id']}").status_code == 204
    problem(api.get(f"/v2/network-volumes/{made['id']}"), 404, f"network volume {made['id']} not found")
    problem(api.delete(f"/v2/network-volumes/{made['id']}"), 404, "not found")
    problem(patch(api, made["id"], {"size": 300}), 404, "not found")
    assert operations(emulator) == [
        "POST createNetworkVolume 201",
        "GET getNetworkVolume 200",
        "GET listNetworkVolumes 200",
        "PATCH updateNetworkVolume 200",
        "PATCH updateNetworkVolume 200",
        "DELETE deleteNetworkVolume 204",
        "GET getNetworkVolume 404",
        "DELETE deleteNetworkVolume 404",
        "PATCH updateNetworkVolume 404",
    ]


def test_names_need_not_be_unique(api: httpx.Client) -> None:
    assert make(api)["id"] != make(api)["id"]


# -- the tier -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("data_center", "tier"), [("US-KS-2", "STANDARD"), ("EU-RO-1", "STANDARD")])
def test_type_left_out_is_the_data_centers_first_listed_tier(api: httpx.Client, data_center: str, tier: str) -> None:
    """The spec's "default (primary) storage tier" is not evidenced per data center: the emulator
    takes the first tier the catalog lists for it (a guess), and reads report it."""
    made = make(api, dataCenter=data_center)
    assert made["type"] == tier
    assert api.get(f"/v2/network-volumes/{made['id']}").json()["type"] == tier


def test_a_type_the_data_center_does_not_offer_is_400_naming_what_it_offers(api: httpx.Client) -> None:
    response = api.post(
        "/v2/network-volumes", json={"name": "v", "size": 10, "dataCenter": "EU-RO-1", "type": "HIGH_PERFORMANCE"}
    )
    body = problem(response, 400)
    assert body["detail"] == (
        "type: EU-RO-1 does not offer HIGH_PERFORMANCE network volumes; it offers STANDARD "
        "(HIGH_PERFORMANCE is offered in US-KS-2)"
    )


@pytest.mark.parametrize(
    ("data_center", "fragment"),
    [
        pytest.param("CA-MTL-1", "'CA-MTL-1' does not offer network volumes", id="without-volumes"),
        pytest.param("XX-NOPE-1", "'XX-NOPE-1' is not a data center", id="unknown"),
    ],
)
def test_a_data_center_without_volumes_is_400_listing_those_with(
    api: httpx.Client, data_center: str, fragment: str
) -> None:
    response = api.post("/v2/network-volumes", json={"name": "v", "size": 10, "dataCenter": data_center})
    body = problem(response, 400, fragment)
    assert body["detail"].endswith(f"data centers with network volumes: {WITH_VOLUMES}")


# -- schema -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param(
            {"name": "v", "size": 9, "dataCenter": "US-KS-2"}, "$.size: must be >= 10 but found 9", id="small"
        ),
        pytest.param(
            {"name": "v", "size": 4097, "dataCenter": "US-KS-2"}, "$.size: must be <= 4096 but found 4097", id="big"
        ),
        pytest.param({"name": "v", "size": 2**62, "dataCenter": "US-KS-2"}, "$.size: must be <=", id="huge"),
        pytest.param({"name": "v", "size": 10.5, "dataCenter": "US-KS-2"}, "want integer", id="fraction"),
        pytest.param({"name": "v", "size": 10, "dataCenter": "US-KS-2", "type": "FAST"}, "$.type", id="type"),
        pytest.param({"name": "", "size": 10, "dataCenter": "US-KS-2"}, "$.name: length must be >= 1", id="name"),
        pytest.param({"name": "v", "size": 10}, "$: missing property 'dataCenter'", id="no-dc"),
        pytest.param(
            {"name": "v", "size": 10, "dataCenterId": "US-KS-2"},
            "$: additional properties 'dataCenterId' not allowed",
            id="v1-dataCenterId",
        ),
    ],
)
def test_create_bodies_are_validated_against_the_spec_schema(
    api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    problem(api.post("/v2/network-volumes", json=body), 422, fragment)


def test_the_v1_body_is_refused_as_the_migration_guide_shows(api: httpx.Client) -> None:
    """runpod-migrate breaking-changes.md, Class 1: POST /v2/network-volumes with {name,size,dataCenterId}."""
    body = problem(api.post("/v2/network-volumes", json={"name": "v", "size": 50, "dataCenterId": "US-KS-2"}), 422)
    assert body["detail"] == "Request validation failed."
    assert body["errors"] == ["$: additional properties 'dataCenterId' not allowed", "$: missing property 'dataCenter'"]


# -- PATCH --------------------------------------------------------------------------------------
def test_a_shrink_is_400_saying_why(api: httpx.Client) -> None:
    made = make(api, size=100)
    body = problem(patch(api, made["id"], {"size": 99}), 400, "cannot shrink")
    assert "it has 100 GB, 99 GB was asked" in body["detail"]
    assert api.get(f"/v2/network-volumes/{made['id']}").json()["size"] == 100


def test_the_same_size_is_accepted(api: httpx.Client) -> None:
    made = make(api, size=100)
    assert patch(api, made["id"], {"size": 100}).json() == made


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({"dataCenter": "EU-RO-1"}, "$: additional properties 'dataCenter' not allowed", id="dc"),
        pytest.param({"type": "STANDARD"}, "$: additional properties 'type' not allowed", id="type"),
        pytest.param({}, "should be non-empty", id="empty"),
        pytest.param({"size": 4097}, "$.size: must be <= 4096", id="too-big"),
    ],
)
def test_data_center_and_type_are_immutable_and_patches_validated(
    api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    made = make(api)
    problem(patch(api, made["id"], body), 422, fragment)
    assert api.get(f"/v2/network-volumes/{made['id']}").json() == made


# -- with endpoints -----------------------------------------------------------------------------
def test_a_volume_an_endpoint_lists_can_still_be_deleted(api: httpx.Client) -> None:
    """The spec lists no precondition (and no 400) for deleteNetworkVolume; the endpoint keeps the id."""
    made = make(api)
    endpoint = create(api, gpu_body(networkVolumes=[made["id"]], dataCenterIds=["US-KS-2"]))
    assert api.delete(f"/v2/network-volumes/{made['id']}").status_code == 204
    assert api.get(f"/v2/serverless/{endpoint['id']}").json()["networkVolumes"] == [made["id"]]


# -- control API --------------------------------------------------------------------------------
def test_control_seeds_with_an_id_under_the_same_rules(api: httpx.Client, control: httpx.Client) -> None:
    seeded = control.post(
        "/_emulator/network-volumes", json={"id": "vol1", "name": "console", "size": 20, "dataCenter": "EU-RO-1"}
    )
    assert (seeded.status_code, seeded.json()["type"]) == (201, "STANDARD")
    assert api.get("/v2/network-volumes/vol1").json() == seeded.json()
    assert control.get("/_emulator/network-volumes").json() == [seeded.json()]
    problem(control.post("/_emulator/network-volumes", json={"name": "v", "size": 20, "dataCenter": "CA-MTL-1"}), 400)
    problem(control.post("/_emulator/network-volumes", json={"name": "v", "size": 5, "dataCenter": "EU-RO-1"}), 422)
    control.post("/_emulator/reset")
    assert api.get("/v2/network-volumes").json() == {"networkVolumes": []}
