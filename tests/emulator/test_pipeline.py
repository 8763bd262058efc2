"""What every API request goes through: auth, faults, the imposed rate limit, the journal,
problem+json for every error and an x-request-id on every answer."""

from __future__ import annotations

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, Fault, ManualClock
from tests.conftest import API_KEY
from tests.emulator.conftest import AUTH
from tests.emulator.helpers import create, gpu_body, operations, problem


# -- auth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer other"}, {"Authorization": "Basic abc"}], ids=["none", "wrong", "basic"]
)
def test_a_bad_or_missing_key_is_401(emulator: Emulator, headers: dict[str, str]) -> None:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu", headers=headers) as client:
        problem(client.get("/v2/serverless"), 401, "missing or invalid API key")
        problem(client.get("/v2/catalog/gpus"), 401)
        graphql = client.post("/graphql", json={"query": "{ myself { id } }"})
    assert graphql.status_code == 401
    assert "error" in graphql.json()
    assert [entry.status for entry in emulator.journal.entries()] == [401, 401, 401]


def test_any_non_empty_key_without_an_api_key_option() -> None:
    with httpx.Client(transport=Emulator().transport(), base_url="http://emu") as client:
        assert client.get("/v2/serverless", headers={"Authorization": "Bearer anything"}).status_code == 200
        assert client.get("/v2/serverless", headers={"Authorization": "Bearer "}).status_code == 401


def test_a_key_configured_as_lacking_access_is_403(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.forbidden_keys = {API_KEY}
    problem(api.get("/v2/serverless"), 403, "lacks access")
    problem(api.post("/v2/serverless", json=gpu_body()), 403)
    emulator.settings.forbidden_keys = set()
    assert api.get("/v2/serverless").json() == {"endpoints": []}  # nothing was created


# -- unknown paths ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/v2/networkvolumes", "/v1/endpoints", "/", "/v2/serverless/a/b/c"])
def test_unknown_paths_are_problem_json_404(emulator: Emulator, api: httpx.Client, path: str) -> None:
    problem(api.get(path), 404, "no such path")
    assert operations(emulator) == ["GET unknown 404"]


def test_a_wrong_method_is_405_with_allow(api: httpx.Client) -> None:
    response = api.put("/v2/serverless", json={})
    problem(response, 405, "not allowed")
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}


def test_tensor_one_serves_no_rest(t1_api: httpx.Client) -> None:
    problem(t1_api.get("/v2/serverless"), 404)
    assert t1_api.get("/v2/openapi.json").status_code == 404


def test_the_spec_is_served_where_runpod_serves_it(api: httpx.Client) -> None:
    assert api.get("/v2/openapi.json").json()["info"]["title"] == "Runpod REST API"


# -- request ids and journal --------------------------------------------------------------------
def test_every_answer_has_its_own_request_id_and_the_journal_keeps_it(emulator: Emulator, api: httpx.Client) -> None:
    made = api.post("/v2/serverless", json=gpu_body())
    missing = api.get("/v2/serverless/nope")
    assert made.headers["x-request-id"] != missing.headers["x-request-id"]
    journal = api.get("/_emulator/journal").json()
    assert [(e["method"], e["path"], e["operation"], e["status"]) for e in journal] == [
        ("POST", "/v2/serverless", "createEndpoint", 201),
        ("GET", "/v2/serverless/nope", "getEndpoint", 404),
    ]
    assert journal[0]["request"] == gpu_body()
    assert journal[1]["requestId"] == missing.headers["x-request-id"]
    assert API_KEY not in str(journal)


# -- faults -------------------------------------------------------------------------------------
def test_injected_latency_waits_on_the_clock(emulator: Emulator, api: httpx.Client, clock: ManualClock) -> None:
    before = clock.now()
    emulator.faults.set([Fault("latency", match="listEndpoints", seconds=2.5)])
    assert api.get("/v2/serverless").status_code == 200
    assert clock.now() - before == 2.5
    emulator.settings.latency_seconds = 0.25
    api.get("/v2/serverless")
    assert clock.now() - before == 2.75


def test_injected_rate_limit_with_retry_after_carries_ratelimit_headers(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.set([Fault("rate_limit", match="createEndpoint", retry_after=12)])
    response = api.post("/v2/serverless", json=gpu_body())
    problem(response, 429, "rate limit exceeded")
    assert response.headers["retry-after"] == "12"
    assert response.headers["ratelimit"] == '"minute";r=0;t=12'
    assert response.headers["ratelimit-policy"] == '"minute";q=60;w=60'
    assert operations(emulator) == ["POST createEndpoint 429"]
    assert emulator.journal.entries()[0].fault == "rate_limit"
    assert api.get("/v2/serverless").json() == {"endpoints": []}


def test_injected_rate_limit_without_retry_after(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.set([Fault("rate_limit", retry_after=None, times=2)])
    for _ in range(2):
        response = api.get("/v2/serverless")
        problem(response, 429)
        assert "retry-after" not in response.headers and "ratelimit" not in response.headers
    assert api.get("/v2/serverless").status_code == 200  # times=2 are used up


def test_injected_server_error(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.set([Fault("server_error", match="GET /v2/serverless", status=502)])
    problem(api.get("/v2/serverless"), 502, "injected server error")
    assert api.get("/v2/serverless").status_code == 200


def test_a_drop_closes_the_connection_before_any_work(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.set([Fault("drop", match="createEndpoint")])
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/v2/serverless", json=gpu_body())
    assert api.get("/v2/serverless").json() == {"endpoints": []}
    assert operations(emulator)[0] == "POST createEndpoint dropped"


def test_a_lost_response_commits_then_closes(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.set([Fault("lose_response", match="createEndpoint")])
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/v2/serverless", json=gpu_body())
    assert len(api.get("/v2/serverless").json()["endpoints"]) == 1
    assert emulator.journal.entries()[0].fault == "lose_response"


def test_faults_spare_requests_without_a_valid_key(emulator: Emulator) -> None:
    emulator.faults.set([Fault("server_error")])
    with httpx.Client(transport=emulator.transport(), base_url="http://emu") as anonymous:
        assert anonymous.get("/v2/serverless").status_code == 401
    with httpx.Client(transport=emulator.transport(), base_url="http://emu", headers=AUTH) as client:
        assert client.get("/v2/serverless").status_code == 503


# -- imposed rate limit -------------------------------------------------------------------------
def test_rate_limit_headers_on_every_authenticated_answer(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.rate_limits = {"minute": 60, "hour": 3000}
    first = api.get("/v2/serverless")
    assert first.headers["ratelimit-policy"] == '"minute";q=60;w=60, "hour";q=3000;w=3600'
    assert first.headers["ratelimit"] == '"minute";r=59;t=60, "hour";r=2999;t=3600'
    missing = api.get("/v2/serverless/nope")
    assert missing.headers["ratelimit"].startswith('"minute";r=58;')  # errors count and carry them too


def test_the_limit_refuses_with_retry_after_until_the_window_resets(
    emulator: Emulator, api: httpx.Client, clock: ManualClock
) -> None:
    emulator.settings.rate_limits = {"minute": 2}
    clock.advance(15)  # 15 s into the minute window
    assert [api.get("/v2/serverless").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/v2/serverless")
    problem(refused, 429, "rate limit exceeded for the minute window")
    assert refused.headers["retry-after"] == "45"
    assert refused.headers["ratelimit"] == '"minute";r=0;t=45'
    clock.advance(44)
    assert api.get("/v2/serverless").status_code == 429
    clock.advance(1)
    assert api.get("/v2/serverless").status_code == 200


def test_the_hour_window_sets_retry_after_when_it_is_the_one_exhausted(
    emulator: Emulator, api: httpx.Client, clock: ManualClock
) -> None:
    emulator.settings.rate_limits = {"minute": 100, "hour": 3}
    for _ in range(3):
        api.get("/v2/serverless")
    refused = api.get("/v2/serverless")
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "3600")
    clock.advance(3600)
    assert api.get("/v2/serverless").status_code == 200


def test_exempt_keys_get_no_headers_and_no_limit(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.rate_limits = {"minute": 1}
    emulator.settings.rate_limit_exempt_keys = {API_KEY}
    for _ in range(3):
        response = api.get("/v2/serverless")
        assert response.status_code == 200 and "ratelimit" not in response.headers


def test_no_rate_limit_headers_unless_a_limit_is_set(api: httpx.Client) -> None:
    assert "ratelimit" not in api.get("/v2/serverless").headers


def test_graphql_is_not_rate_limited(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.rate_limits = {"minute": 1}
    for _ in range(3):
        assert api.post("/graphql", json={"query": "{ myself { id } }"}).status_code == 200


def test_the_transport_serves_in_process(emulator: Emulator) -> None:
    """No socket: the in-process transport reaches the same app, state and journal."""
    with httpx.Client(transport=emulator.transport(), base_url="http://anything.invalid", headers=AUTH) as client:
        made = create(client, gpu_body())
    assert [endpoint.id for endpoint in emulator.endpoints.store.all()] == [made["id"]]
