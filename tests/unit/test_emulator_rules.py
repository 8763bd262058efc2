"""The emulator enforces the documented API rules, probed with raw HTTP (not our client)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator
from tests.conftest import API_KEY

AUTH = {"Authorization": f"Bearer {API_KEY}"}
SAVE = (
    "mutation Save($input: EndpointInput!) { saveEndpoint(input: $input) { id name idleTimeout workersMax "
    "flashBootType gpuIds env { key value } } }"
)
GQL_CREATE = {"name": "svc", "templateId": "tmpl12345", "gpuIds": "AMPERE_16"}


@pytest.fixture
def http(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu", headers=AUTH) as client:
        yield client


@pytest.fixture
def t1_http(tensorone: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=tensorone.transport(), base_url="http://emu", headers=AUTH) as client:
        yield client


def gql(http: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return http.post("/graphql", json={"query": query, "variables": variables or {}})


def save(http: httpx.Client, data: dict[str, Any]) -> dict[str, Any]:
    return gql(http, SAVE, {"input": data}).json()  # type: ignore[no-any-return]


# -- auth ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer other-key"}, {"Authorization": "Basic abc"}],
    ids=["none", "wrong", "basic"],
)
def test_auth__refused_without_the_key(emulator: Emulator, headers: dict[str, str]) -> None:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu", headers=headers) as client:
        assert client.get("/v1/endpoints").status_code == 401
        assert client.post("/graphql", json={"query": "{ myself { id } }"}).status_code == 401


def test_auth__api_key_query_parameter_is_accepted(emulator: Emulator) -> None:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu") as client:
        response = client.post(f"/graphql?api_key={API_KEY}", json={"query": "{ myself { id } }"})
    assert response.json()["data"]["myself"]["id"].startswith("user_")


def test_auth__any_non_empty_key_without_api_key_option() -> None:
    open_emulator = Emulator()
    with httpx.Client(transport=open_emulator.transport(), base_url="http://emu") as client:
        assert client.get("/v1/endpoints", headers={"Authorization": "Bearer anything"}).status_code == 200
        assert client.get("/v1/endpoints", headers={"Authorization": "Bearer "}).status_code == 401


def test_auth__key_without_user_gets_myself_null(emulator: Emulator, http: httpx.Client) -> None:
    emulator.state.settings.keys_without_user = {API_KEY}
    response = gql(http, "{ myself { endpoints { id } } }")
    assert response.status_code == 200
    assert response.json() == {"data": {"myself": None}}


# -- REST validation -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({}, "'templateId' is a required property", id="missing-template"),
        pytest.param({"templateId": "t1", "workersMax": "3"}, "workersMax", id="wrong-type"),
        pytest.param({"templateId": "t1", "gpuTypeIds": ["RTX 9999"]}, "gpuTypeIds", id="bad-enum"),
        pytest.param({"templateId": "t1", "idleTimeout": 4000}, "idleTimeout", id="above-maximum"),
        pytest.param({"templateId": "t1", "workerMax": 3}, "workerMax", id="unknown-field"),
        pytest.param({"templateId": "t1", "workersMin": 4, "workersMax": 2}, "cannot be greater", id="min-above-max"),
        pytest.param({"templateId": "t1", "gpuCount": 0}, "gpuCount", id="gpu-count"),
    ],
)
def test_rest_create__invalid_bodies_are_400(http: httpx.Client, body: dict[str, Any], fragment: str) -> None:
    response = http.post("/v1/endpoints", json=body)
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_rest_update__compute_type_is_not_updatable(http: httpx.Client) -> None:
    created = http.post("/v1/endpoints", json={"templateId": "t1"}).json()
    response = http.patch(f"/v1/endpoints/{created['id']}", json={"computeType": "CPU"})
    assert response.status_code == 400


def test_rest_update__patch_and_post_update_are_the_same_operation(http: httpx.Client) -> None:
    created = http.post("/v1/endpoints", json={"templateId": "t1", "idleTimeout": 30}).json()
    patched = http.patch(f"/v1/endpoints/{created['id']}", json={"workersMax": 5}).json()
    posted = http.post(f"/v1/endpoints/{created['id']}/update", json={"workersMax": 6}).json()
    assert (patched["workersMax"], patched["idleTimeout"], patched["version"]) == (5, 30, 1)
    assert (posted["workersMax"], posted["version"]) == (6, 2)


def test_rest_answers_use_the_documented_shapes(http: httpx.Client) -> None:
    created = http.post(
        "/v1/endpoints", json={"templateId": "t1", "dataCenterIds": ["EU-RO-1", "US-TX-3"], "flashboot": True}
    ).json()
    assert created["dataCenterIds"] == "EU-RO-1,US-TX-3"
    assert "flashboot" not in created
    assert created["name"].endswith(" -fb")
    assert created["env"] == {}


def test_rest_unknown_id_is_404(http: httpx.Client) -> None:
    for response in (
        http.get("/v1/endpoints/nope"),
        http.patch("/v1/endpoints/nope", json={"workersMax": 1}),
        http.delete("/v1/endpoints/nope"),
    ):
        assert response.status_code == 404


def test_rest_delete__refused_with_workers_then_204(http: httpx.Client) -> None:
    created = http.post("/v1/endpoints", json={"templateId": "t1", "workersMin": 1, "workersMax": 2}).json()
    refused = http.delete(f"/v1/endpoints/{created['id']}")
    assert refused.status_code == 400
    assert "workersMin and workersMax must both be 0" in refused.json()["error"]
    http.patch(f"/v1/endpoints/{created['id']}", json={"workersMin": 0, "workersMax": 0})
    assert http.delete(f"/v1/endpoints/{created['id']}").status_code == 204


def test_rest_cpu_endpoint_ignores_gpu_fields(http: httpx.Client) -> None:
    created = http.post(
        "/v1/endpoints",
        json={
            "templateId": "t1",
            "computeType": "CPU",
            "cpuFlavorIds": ["cpu3g"],
            "vcpuCount": 4,
            "gpuTypeIds": ["NVIDIA L4"],
        },
    ).json()
    assert created["computeType"] == "CPU"
    assert created["instanceIds"] == ["cpu3g-4-16"]
    assert "gpuTypeIds" not in created


# -- GraphQL rules -------------------------------------------------------------------------------
def test_graphql_validation_errors_are_400(http: httpx.Client) -> None:
    response = gql(http, "{ myself { endpoints { id noSuchField } } }")
    assert response.status_code == 400
    assert "noSuchField" in response.json()["errors"][0]["message"]
    assert gql(http, "{ myself {").status_code == 400


def test_graphql_endpoint_requires_an_id_argument(http: httpx.Client) -> None:
    assert gql(http, "{ myself { endpoint { id } } }").status_code == 400


@pytest.mark.parametrize("missing", ["gpuIds", "templateId"])
def test_graphql_create_requires_documented_fields(http: httpx.Client, missing: str) -> None:
    data = {k: v for k, v in GQL_CREATE.items() if k != missing}
    assert missing in save(http, data)["errors"][0]["message"]


def test_graphql_create_requires_name_by_schema(http: httpx.Client) -> None:
    response = gql(http, SAVE, {"input": {"templateId": "t1", "gpuIds": "AMPERE_16"}})
    assert response.status_code == 200  # variable coercion error
    assert "name" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        pytest.param({"gpuIds": "AMPERE_99"}, "Invalid gpuIds entry", id="pool"),
        pytest.param({"scalerType": "FAST"}, "scalerType", id="scaler"),
        pytest.param({"locations": "MARS"}, "Invalid location", id="location"),
        pytest.param({"allowedCudaVersions": "10.1"}, "CUDA", id="cuda"),
        pytest.param({"workersMin": 3, "workersMax": 1}, "cannot be greater", id="workers"),
        pytest.param({"env": None}, "null", id="explicit-null-env"),
        pytest.param({"idleTimeout": None}, "null", id="explicit-null"),
    ],
)
def test_graphql_save_value_rules(http: httpx.Client, extra: dict[str, Any], fragment: str) -> None:
    assert fragment in save(http, {**GQL_CREATE, **extra})["errors"][0]["message"]


def test_graphql_enum_literal_flashboot_type(http: httpx.Client) -> None:
    query = (
        'mutation { saveEndpoint(input: {name: "a", templateId: "t1", gpuIds: "AMPERE_16", '
        "flashBootType: FLASHBOOT}) { name flashBootType } }"
    )
    assert gql(http, query).json()["data"]["saveEndpoint"] == {"name": "a -fb", "flashBootType": "FLASHBOOT"}
    bad = query.replace("FLASHBOOT}", "TURBO}")
    assert gql(http, bad).status_code == 400


def test_graphql_save_with_id_replaces_the_whole_record(http: httpx.Client) -> None:
    created = save(http, {**GQL_CREATE, "idleTimeout": 30, "workersMax": 7, "env": [{"key": "A", "value": "1"}]})
    endpoint_id = created["data"]["saveEndpoint"]["id"]
    updated = save(http, {**GQL_CREATE, "id": endpoint_id, "workersMax": 2})["data"]["saveEndpoint"]
    assert updated["idleTimeout"] == 10  # left out: back to saveEndpoint's default
    assert updated["workersMax"] == 2
    assert updated["env"] == []  # never null


def test_graphql_save_unknown_id_is_an_error(http: httpx.Client) -> None:
    assert "not found" in save(http, {**GQL_CREATE, "id": "nope"})["errors"][0]["message"]


def test_graphql_old_fb_name_convention_turns_flashboot_on(http: httpx.Client) -> None:
    created = save(http, {**GQL_CREATE, "name": "svc -fb"})["data"]["saveEndpoint"]
    assert (created["name"], created["flashBootType"]) == ("svc -fb", "FLASHBOOT")


def test_graphql_unknown_endpoint_is_null(http: httpx.Client) -> None:
    response = gql(http, 'query { myself { endpoint(id: "nope") { id } } }')
    assert response.json() == {"data": {"myself": {"endpoint": None}}}


def test_graphql_delete_refused_with_workers(http: httpx.Client) -> None:
    endpoint_id = save(http, GQL_CREATE)["data"]["saveEndpoint"]["id"]
    response = gql(http, "mutation($id: String!) { deleteEndpoint(id: $id) }", {"id": endpoint_id})
    assert "must both be 0" in response.json()["errors"][0]["message"]


def test_graphql_list_is_capped_at_400_oldest_first(emulator: Emulator, http: httpx.Client) -> None:
    for index in range(401):
        emulator.state.create({"name": f"e{index}", "templateId": "t1"}, {"workersMin": 0, "workersMax": 0})
    names = [e["name"] for e in gql(http, "{ myself { endpoints { name } } }").json()["data"]["myself"]["endpoints"]]
    assert len(names) == 400
    assert names[0] == "e0" and names[-1] == "e399"
    assert len(http.get("/v1/endpoints").json()) == 401


def test_graphql_network_volume_objects(http: httpx.Client) -> None:
    query = "mutation($input: EndpointInput!) { saveEndpoint(input: $input) { networkVolumeIds { networkVolumeId } } }"
    data = {**GQL_CREATE, "networkVolumeIds": [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]}
    answer = gql(http, query, {"input": data}).json()["data"]["saveEndpoint"]
    assert answer["networkVolumeIds"] == [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]
    string_list = {**GQL_CREATE, "networkVolumeIds": ["v1"]}
    assert gql(http, query, {"input": string_list}).json()["errors"]


def test_graphql_workers_appear_as_pods(http: httpx.Client) -> None:
    endpoint_id = save(http, {**GQL_CREATE, "workersMin": 2})["data"]["saveEndpoint"]["id"]
    query = "query($id: String!) { myself { endpoint(id: $id) { pods { desiredStatus costPerHr } } } }"
    pods = gql(http, query, {"id": endpoint_id}).json()["data"]["myself"]["endpoint"]["pods"]
    assert [p["desiredStatus"] for p in pods] == ["RUNNING", "RUNNING"]


# -- Tensor One --------------------------------------------------------------------------------
def test_tensorone_uses_clusters_not_pods(t1_http: httpx.Client) -> None:
    assert gql(t1_http, "{ myself { endpoints { id clusters { desiredStatus } } } }").status_code == 200
    assert gql(t1_http, "{ myself { endpoints { id pods { desiredStatus } } } }").status_code == 400


def test_tensorone_has_only_the_older_surface(t1_http: httpx.Client) -> None:
    assert gql(t1_http, "{ myself { endpoints { flashBootType } } }").status_code == 400
    assert t1_http.get("/v1/endpoints").status_code == 404


# -- control API -------------------------------------------------------------------------------
def test_control_api_journal_faults_settings_reset(emulator: Emulator, http: httpx.Client) -> None:
    http.post("/v1/endpoints", json={"templateId": "t1"})
    journal = http.get("/_emulator/journal").json()
    assert [(e["method"], e["path"], e["operation"], e["status"]) for e in journal] == [
        ("POST", "/v1/endpoints", "CreateEndpoint", 200)
    ]
    assert API_KEY not in str(journal)
    assert http.post("/_emulator/faults", json={"faults": [{"kind": "rate_limit", "retryAfter": 2}]}).status_code == 200
    limited = http.get("/v1/endpoints")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "2")
    assert http.post("/_emulator/faults", json={"kind": "explode"}).status_code == 400
    assert http.post("/_emulator/settings", json={"drainSeconds": 5, "keysWithoutUser": ["k"]}).status_code == 204
    assert emulator.state.settings.drain_seconds == 5
    assert http.delete("/_emulator/journal").status_code == 204
    assert http.get("/_emulator/journal").json() == []
    assert http.post("/_emulator/reset").status_code == 204
    assert emulator.state.endpoints == {} and emulator.state.settings.drain_seconds == 0
