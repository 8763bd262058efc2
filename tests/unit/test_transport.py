"""Retries, backoff and error mapping for every injected fault kind, and key redaction."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from pulumi_runpod_endpoint.api import (
    EndpointService,
    EndpointSpec,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Transport,
    TransportError,
    Unauthorized,
    ValidationFailed,
)
from pulumi_runpod_endpoint.emulator import Emulator, Fault
from tests.conftest import API_KEY, ServiceFactory, SleepRecorder, operations

SPEC = EndpointSpec(name="svc", template_id="tmpl12345", gpu_type_ids=["NVIDIA L4"])


@pytest.fixture
def endpoint_id(service: EndpointService, emulator: Emulator) -> str:
    endpoint_id = service.create(SPEC).id
    emulator.journal.clear()
    return endpoint_id


def test_rate_limit_honours_retry_after(
    service: EndpointService, emulator: Emulator, sleeps: SleepRecorder, endpoint_id: str
) -> None:
    emulator.faults.set([Fault("rate_limit", times=2, retry_after=3)])
    assert service.rest is not None
    assert service.rest.get(endpoint_id).id == endpoint_id
    assert sleeps.delays == [3.0, 3.0]
    assert operations(emulator) == ["GET GetEndpoint 429", "GET GetEndpoint 429", "GET GetEndpoint 200"]


def test_rate_limit_without_retry_after_backs_off_exponentially_with_jitter(
    service: EndpointService, emulator: Emulator, sleeps: SleepRecorder, endpoint_id: str
) -> None:
    emulator.faults.set([Fault("rate_limit", times=3, retry_after=None)])
    assert service.rest is not None
    service.rest.get(endpoint_id)
    assert len(sleeps.delays) == 3
    for attempt, delay in enumerate(sleeps.delays):
        assert 0 <= delay <= 0.5 * 2**attempt


def test_rate_limit_is_retried_even_for_a_create(
    service: EndpointService, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    emulator.faults.set([Fault("rate_limit", match="CreateEndpoint", times=1, retry_after=1)])
    service.create(SPEC)
    assert len(emulator.state.endpoints) == 1
    assert sleeps.delays == [1.0]


def test_rate_limit_exhausted_raises_rate_limited(
    service: EndpointService, emulator: Emulator, endpoint_id: str
) -> None:
    emulator.faults.set([Fault("rate_limit", times=-1)])
    assert service.rest is not None
    with pytest.raises(RateLimited, match="HTTP 429"):
        service.rest.get(endpoint_id)
    assert len(emulator.journal.entries()) == 4  # RetryPolicy(attempts=4)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_for_idempotent_requests(
    service: EndpointService, emulator: Emulator, endpoint_id: str, status: int
) -> None:
    emulator.faults.set([Fault("server_error", status=status, times=2)])
    assert service.rest is not None
    service.rest.get(endpoint_id)
    assert [e.status for e in emulator.journal.entries()] == [status, status, 200]


def test_server_error_on_create_is_not_retried_blindly(service: EndpointService, emulator: Emulator) -> None:
    emulator.faults.set([Fault("server_error", match="CreateEndpoint", status=503, times=1)])
    assert service.rest is not None
    with pytest.raises(ServerError) as caught:
        service.rest.create(SPEC)
    assert caught.value.status == 503
    assert len(emulator.journal.entries()) == 1


def test_internal_error_is_not_retried(service: EndpointService, emulator: Emulator, endpoint_id: str) -> None:
    emulator.faults.set([Fault("server_error", status=500, times=1)])
    assert service.rest is not None
    with pytest.raises(ServerError):
        service.rest.get(endpoint_id)
    assert len(emulator.journal.entries()) == 1


def test_dropped_connection_is_retried_for_reads(
    service: EndpointService, emulator: Emulator, endpoint_id: str
) -> None:
    emulator.faults.set([Fault("drop", times=1)])
    assert service.rest is not None
    service.rest.get(endpoint_id)
    assert [e.status for e in emulator.journal.entries()] == ["dropped", 200]


def test_dropped_connection_on_create_is_reported_as_maybe_committed(
    service: EndpointService, emulator: Emulator
) -> None:
    emulator.faults.set([Fault("drop", match="CreateEndpoint", times=1)])
    assert service.rest is not None
    with pytest.raises(TransportError) as caught:
        service.rest.create(SPEC)
    assert caught.value.maybe_committed
    assert len(emulator.state.endpoints) == 0


def test_lost_response_after_commit_on_update_is_retried_idempotently(
    service: EndpointService, emulator: Emulator, endpoint_id: str
) -> None:
    emulator.faults.set([Fault("lose_response", match="UpdateEndpoint", times=1)])
    updated = service.update(endpoint_id, SPEC.model_copy(update={"workers_max": 9}))
    assert updated.workers_max == 9
    assert [e.status for e in emulator.journal.entries()] == ["dropped", 200]
    assert emulator.state.endpoints[endpoint_id]["workersMax"] == 9


def test_latency_fault_delays_but_serves(service: EndpointService, emulator: Emulator, endpoint_id: str) -> None:
    emulator.faults.set([Fault("latency", seconds=0.05, times=1)])
    assert service.rest is not None
    assert service.rest.get(endpoint_id).id == endpoint_id
    assert emulator.journal.entries()[0].status == 200


def test_connection_refused_is_retried_even_for_writes(sleeps: SleepRecorder) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) < 3:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"id": "e1", "name": "svc"})

    transport = Transport(API_KEY, transport=httpx.MockTransport(handler), sleep=sleeps)
    response = transport.request("POST", "http://x/v1/endpoints", json={}, idempotent=False)
    assert response.json()["id"] == "e1"
    assert calls == ["POST", "POST", "POST"]


def test_unknown_endpoint_is_not_found(service: EndpointService) -> None:
    assert service.rest is not None
    with pytest.raises(NotFound):
        service.rest.get("doesnotexist00")


def test_wrong_key_is_unauthorized_with_a_hint(emulator: Emulator, make_service: ServiceFactory) -> None:
    service = make_service(emulator, api_key="wrong-key-123")
    assert service.rest is not None
    with pytest.raises(Unauthorized, match="runpod:apiKey"):
        service.rest.list()


def test_missing_key_is_refused_before_any_request() -> None:
    with pytest.raises(Unauthorized, match="RUNPOD_API_KEY"):
        Transport("")


def test_validation_error_carries_the_api_message(service: EndpointService, endpoint_id: str) -> None:
    assert service.rest is not None
    with pytest.raises(ValidationFailed, match="workersMin"):
        service.rest.patch(endpoint_id, {"workersMin": 5, "workersMax": 1})


def test_key_is_sent_as_bearer_header_and_never_in_the_url() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"myself": {"endpoints": []}}})

    service = EndpointService(API_KEY, transport=httpx.MockTransport(handler), graphql_url="http://x/graphql")
    service.graphql.list()
    assert seen[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in str(seen[0].url)


def test_key_never_appears_in_errors_or_logs(caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder) -> None:
    """A hostile answer echoes the key in every place it can: body, error array, headers."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("graphql"):
            return httpx.Response(200, json={"errors": [{"message": f"bad key {API_KEY}"}]})
        if request.method == "DELETE":
            raise httpx.ReadError(f"reset while sending Bearer {API_KEY}", request=request)
        return httpx.Response(400, json={"error": f"key {API_KEY} may not do this"})

    caplog.set_level(logging.DEBUG)
    retry = RetryPolicy(attempts=2)
    service = EndpointService(
        API_KEY,
        transport=httpx.MockTransport(handler),
        sleep=sleeps,
        retry=retry,
        graphql_url="http://x/graphql",
        rest_url="http://x/v1",
    )
    texts: list[str] = []
    assert service.rest is not None
    for call in (
        lambda: service.rest.get("e1"),  # type: ignore[union-attr]
        lambda: service.rest.delete("e1"),  # type: ignore[union-attr]
        lambda: service.graphql.list(),
    ):
        with pytest.raises(Exception) as caught:  # noqa: PT011 -- any error type; the text is the point
            call()
        texts.append(str(caught.value))
        texts.append(repr(caught.value))
        texts.append("".join(traceback.format_exception(caught.value)))
    texts.append(caplog.text)
    assert texts[0] and "[REDACTED]" in texts[0]
    for text in texts:
        assert API_KEY not in text
