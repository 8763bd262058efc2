"""GraphQL (RunPod and Tensor One flavors) on the same canonical endpoints as REST v2."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator
from tests.conftest import API_KEY
from tests.emulator.helpers import cpu_body, create, gpu_body

SAVE = (
    "mutation Save($input: EndpointInput!) { saveEndpoint(input: $input) { id name idleTimeout workersMax "
    "flashBootType gpuIds env { key value } } }"
)
GQL_CREATE = {"name": "svc", "templateId": "tmpl12345", "gpuIds": "AMPERE_16"}
READ = """query($id: String!) { myself { endpoint(id: $id) {
  id name gpuIds gpuCount idleTimeout locations networkVolumeId scalerType scalerValue templateId
  workersMin workersMax executionTimeoutMs minCudaVersion allowedCudaVersions instanceIds computeType
  createdAt version env { key value } flashBootType networkVolumeIds { networkVolumeId } } } }"""


def gql(http: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return http.post("/graphql", json={"query": query, "variables": variables or {}})


def save(http: httpx.Client, data: dict[str, Any]) -> dict[str, Any]:
    return gql(http, SAVE, {"input": data}).json()  # type: ignore[no-any-return]


def read(http: httpx.Client, endpoint_id: str) -> dict[str, Any]:
    return gql(http, READ, {"id": endpoint_id}).json()["data"]["myself"]["endpoint"]  # type: ignore[no-any-return]


# -- the two APIs share one record ----------------------------------------------------------------
def test_a_v2_endpoint_read_through_graphql(api: httpx.Client) -> None:
    made = create(
        api,
        gpu_body(
            gpu={"pools": ["AMPERE_24"], "excludedTypes": ["NVIDIA L4"], "count": 2, "allowedCudaVersions": ["12.8"]},
            env={"A": "1"},
            dataCenterIds=["US-KS-2", "EU-RO-1"],
            networkVolumes=["vol1"],
            workers={"min": 0, "max": 5, "idleTimeout": 30},
            timeout=600000,
            flashboot="FLASHBOOT",
        ),
    )
    seen = read(api, made["id"])
    assert seen["gpuIds"] == "AMPERE_24,-NVIDIA L4"
    assert (seen["gpuCount"], seen["allowedCudaVersions"], seen["minCudaVersion"]) == (2, "12.8", None)
    assert seen["locations"] == "US-KS-2,EU-RO-1"
    assert (seen["networkVolumeId"], seen["networkVolumeIds"]) == ("vol1", [{"networkVolumeId": "vol1"}])
    assert seen["env"] == [{"key": "A", "value": "1"}]
    assert (seen["workersMin"], seen["workersMax"], seen["idleTimeout"]) == (0, 5, 30)
    assert (seen["scalerType"], seen["scalerValue"], seen["executionTimeoutMs"]) == ("QUEUE_DELAY", 4, 600000)
    assert (seen["flashBootType"], seen["computeType"], seen["version"]) == ("FLASHBOOT", "GPU", 1)
    assert seen["createdAt"] == made["createdAt"]
    assert seen["templateId"]  # the bound template, which v2 reads do not show


def test_a_v2_cpu_endpoint_has_instance_ids(api: httpx.Client) -> None:
    made = create(api, cpu_body(cpu=[{"id": "cpu3g", "vcpuCount": 4}, {"id": "cpu3c", "vcpuCount": 8}]))
    seen = read(api, made["id"])
    assert (seen["instanceIds"], seen["computeType"], seen["gpuIds"]) == (["cpu3g-4-16", "cpu3c-8-16"], "CPU", None)


def test_a_graphql_endpoint_read_through_v2(api: httpx.Client) -> None:
    data = {
        **GQL_CREATE,
        "gpuIds": "AMPERE_24,-NVIDIA L4",
        "locations": "EU-RO-1",
        "env": [{"key": "K", "value": "v"}],
        "networkVolumeIds": [{"networkVolumeId": "v9"}],
        "allowedCudaVersions": "12.4,12.8",
        "executionTimeoutMs": 1000,
        "scalerType": "REQUEST_COUNT",
        "scalerValue": 3,
    }
    endpoint_id = save(api, data)["data"]["saveEndpoint"]["id"]
    seen = api.get(f"/v2/serverless/{endpoint_id}").json()
    assert seen["gpu"] == {
        "pools": ["AMPERE_24"],
        "excludedTypes": ["NVIDIA L4"],
        "count": 1,
        "allowedCudaVersions": ["12.4", "12.8"],
        "minCudaVersion": None,
    }
    assert (seen["dataCenterIds"], seen["networkVolumes"], seen["env"]) == (["EU-RO-1"], ["v9"], {"K": "v"})
    assert (seen["timeout"], seen["scaling"]) == (1000, {"type": "REQUEST_COUNT", "requestCount": 3})
    assert "templateId" not in seen


def test_a_graphql_cpu_endpoint_read_through_v2(api: httpx.Client) -> None:
    data = {**GQL_CREATE, "instanceIds": ["cpu3g-4-16"]}
    endpoint_id = save(api, data)["data"]["saveEndpoint"]["id"]
    assert api.get(f"/v2/serverless/{endpoint_id}").json()["cpu"] == [{"id": "cpu3g", "vcpuCount": 4, "memory": 16}]


def test_graphql_endpoints_take_their_container_from_a_known_template(api: httpx.Client) -> None:
    template = api.post("/_emulator/templates", json={"name": "t", "image": "img:3", "env": {"A": "1"}}).json()
    endpoint_id = save(api, {**GQL_CREATE, "templateId": template["id"]})["data"]["saveEndpoint"]["id"]
    seen = api.get(f"/v2/serverless/{endpoint_id}").json()
    assert (seen["image"], seen["env"]) == ("img:3", {"A": "1"})


# -- today's GraphQL rules --------------------------------------------------------------------------
def test_auth_api_key_query_parameter_is_accepted(emulator: Emulator) -> None:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu") as client:
        response = client.post(f"/graphql?api_key={API_KEY}", json={"query": "{ myself { id } }"})
    assert response.json()["data"]["myself"]["id"].startswith("user_")


def test_key_without_user_gets_myself_null(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.keys_without_user = {API_KEY}
    response = gql(api, "{ myself { endpoints { id } } }")
    assert (response.status_code, response.json()) == (200, {"data": {"myself": None}})


def test_validation_errors_are_400(api: httpx.Client) -> None:
    response = gql(api, "{ myself { endpoints { id noSuchField } } }")
    assert response.status_code == 400
    assert "noSuchField" in response.json()["errors"][0]["message"]
    assert gql(api, "{ myself {").status_code == 400
    assert gql(api, "{ myself { endpoint { id } } }").status_code == 400  # id is required
    assert api.post("/graphql", content=b"nope").status_code == 400


@pytest.mark.parametrize("missing", ["gpuIds", "templateId"])
def test_create_requires_documented_fields(api: httpx.Client, missing: str) -> None:
    data = {k: v for k, v in GQL_CREATE.items() if k != missing}
    assert missing in save(api, data)["errors"][0]["message"]


def test_create_requires_name_by_schema(api: httpx.Client) -> None:
    response = gql(api, SAVE, {"input": {"templateId": "t1", "gpuIds": "AMPERE_16"}})
    assert response.status_code == 200  # variable coercion error
    assert "name" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        pytest.param({"gpuIds": "AMPERE_99"}, "Invalid gpuIds entry", id="pool"),
        pytest.param({"gpuIds": "-NVIDIA L4"}, "at least one GPU pool", id="only-exclusions"),
        pytest.param({"scalerType": "FAST"}, "scalerType", id="scaler"),
        pytest.param({"locations": "MARS"}, "Invalid location", id="location"),
        pytest.param({"allowedCudaVersions": "10.1"}, "CUDA", id="cuda"),
        pytest.param({"workersMin": 3, "workersMax": 1}, "cannot be greater", id="workers"),
        pytest.param({"idleTimeout": 4000}, "between 1 and 3600", id="idle"),
        pytest.param({"instanceIds": ["cpu3g"]}, "Invalid instanceIds entry", id="instance"),
        pytest.param({"env": None}, "null", id="explicit-null-env"),
        pytest.param({"idleTimeout": None}, "null", id="explicit-null"),
    ],
)
def test_save_value_rules(api: httpx.Client, extra: dict[str, Any], fragment: str) -> None:
    assert fragment in save(api, {**GQL_CREATE, **extra})["errors"][0]["message"]


def test_region_codes_are_accepted_as_locations(api: httpx.Client) -> None:
    endpoint_id = save(api, {**GQL_CREATE, "locations": "US,EU-RO-1"})["data"]["saveEndpoint"]["id"]
    assert read(api, endpoint_id)["locations"] == "US,EU-RO-1"


def test_integers_beyond_32_bits_are_refused_by_graphql_itself(api: httpx.Client) -> None:
    assert "32-bit" in save(api, {**GQL_CREATE, "workersMax": 2**31})["errors"][0]["message"]


def test_enum_literal_flashboot_type_decorates_the_name(api: httpx.Client) -> None:
    query = (
        'mutation { saveEndpoint(input: {name: "a", templateId: "t1", gpuIds: "AMPERE_16", '
        "flashBootType: FLASHBOOT}) { name flashBootType } }"
    )
    assert gql(api, query).json()["data"]["saveEndpoint"] == {"name": "a -fb", "flashBootType": "FLASHBOOT"}
    assert gql(api, query.replace("FLASHBOOT}", "TURBO}")).status_code == 400


def test_old_fb_name_convention_turns_flashboot_on(api: httpx.Client) -> None:
    created = save(api, {**GQL_CREATE, "name": "svc -fb"})["data"]["saveEndpoint"]
    assert (created["name"], created["flashBootType"]) == ("svc -fb", "FLASHBOOT")


def test_save_with_id_replaces_the_whole_record(api: httpx.Client) -> None:
    created = save(api, {**GQL_CREATE, "idleTimeout": 30, "workersMax": 7, "env": [{"key": "A", "value": "1"}]})
    endpoint_id = created["data"]["saveEndpoint"]["id"]
    updated = save(api, {**GQL_CREATE, "id": endpoint_id, "workersMax": 2})["data"]["saveEndpoint"]
    assert updated["idleTimeout"] == 10  # left out: back to saveEndpoint's default
    assert updated["workersMax"] == 2
    assert updated["env"] == []  # never null


def test_save_that_changes_what_workers_run_is_a_release(api: httpx.Client) -> None:
    endpoint_id = save(api, GQL_CREATE)["data"]["saveEndpoint"]["id"]
    save(api, {**GQL_CREATE, "id": endpoint_id, "workersMax": 5})
    assert read(api, endpoint_id)["version"] == 1
    save(api, {**GQL_CREATE, "id": endpoint_id, "gpuIds": "ADA_24"})
    assert read(api, endpoint_id)["version"] == 2


def test_save_unknown_id_is_an_error(api: httpx.Client) -> None:
    assert "not found" in save(api, {**GQL_CREATE, "id": "nope"})["errors"][0]["message"]


def test_unknown_endpoint_is_null(api: httpx.Client) -> None:
    response = gql(api, 'query { myself { endpoint(id: "nope") { id } } }')
    assert response.json() == {"data": {"myself": {"endpoint": None}}}


def test_delete_refused_with_workers_configured_then_allowed(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.drain_seconds = 30
    endpoint_id = save(api, {**GQL_CREATE, "workersMin": 1, "workersMax": 1})["data"]["saveEndpoint"]["id"]
    delete = "mutation($id: String!) { deleteEndpoint(id: $id) }"
    assert "must both be 0" in gql(api, delete, {"id": endpoint_id}).json()["errors"][0]["message"]
    save(api, {**GQL_CREATE, "id": endpoint_id, "workersMin": 0, "workersMax": 0})
    assert "still running" in gql(api, delete, {"id": endpoint_id}).json()["errors"][0]["message"]
    api.post("/_emulator/clock", json={"advance": 30})  # the workers drain
    assert gql(api, delete, {"id": endpoint_id}).json() == {"data": {"deleteEndpoint": None}}


def test_list_is_capped_at_400_oldest_first(api: httpx.Client) -> None:
    for index in range(401):
        create(api, gpu_body(name=f"e{index}"))
    names = [e["name"] for e in gql(api, "{ myself { endpoints { name } } }").json()["data"]["myself"]["endpoints"]]
    assert len(names) == 400
    assert (names[0], names[-1]) == ("e0", "e399")
    assert len(api.get("/v2/serverless").json()["endpoints"]) == 401


def test_network_volume_objects(api: httpx.Client) -> None:
    query = "mutation($input: EndpointInput!) { saveEndpoint(input: $input) { networkVolumeIds { networkVolumeId } } }"
    data = {**GQL_CREATE, "networkVolumeIds": [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]}
    answer = gql(api, query, {"input": data}).json()["data"]["saveEndpoint"]
    assert answer["networkVolumeIds"] == [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]
    assert gql(api, query, {"input": {**GQL_CREATE, "networkVolumeIds": ["v1"]}}).json()["errors"]


def test_workers_appear_as_pods(api: httpx.Client) -> None:
    endpoint_id = save(api, {**GQL_CREATE, "workersMin": 2})["data"]["saveEndpoint"]["id"]
    query = "query($id: String!) { myself { endpoint(id: $id) { pods { desiredStatus costPerHr } } } }"
    pods = gql(api, query, {"id": endpoint_id}).json()["data"]["myself"]["endpoint"]["pods"]
    assert [p["desiredStatus"] for p in pods] == ["RUNNING", "RUNNING"]


def test_graphql_journal_names_the_root_fields(emulator: Emulator, api: httpx.Client) -> None:
    save(api, GQL_CREATE)
    gql(api, "{ myself {")
    assert [(e.operation, e.status) for e in emulator.journal.entries()] == [("saveEndpoint", 200), ("invalid", 400)]


# -- Tensor One ---------------------------------------------------------------------------------------
def test_tensorone_uses_clusters_not_pods(t1_api: httpx.Client) -> None:
    assert gql(t1_api, "{ myself { endpoints { id clusters { desiredStatus } } } }").status_code == 200
    assert gql(t1_api, "{ myself { endpoints { id pods { desiredStatus } } } }").status_code == 400


def test_tensorone_has_only_the_older_surface(t1_api: httpx.Client) -> None:
    assert gql(t1_api, "{ myself { endpoints { flashBootType } } }").status_code == 400
    created = save(t1_api, GQL_CREATE | {"flashBootType": "FLASHBOOT"})
    assert created["errors"]  # not in Tensor One's EndpointInput
