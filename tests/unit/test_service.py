"""The lifecycle rules: transactional create, which API reads, safe delete."""

from __future__ import annotations

import time

import httpx
import pytest

from pulumi_runpod_endpoint.api import EndpointService, EndpointSpec, ValidationFailed
from pulumi_runpod_endpoint.emulator import Emulator, Fault
from tests.conftest import API_KEY, ServiceFactory, SleepRecorder, operations

REST_SPEC = EndpointSpec(name="svc", template_id="tmpl12345", gpu_type_ids=["NVIDIA L4"], workers_min=1)
GQL_SPEC = EndpointSpec(name="svc", template_id="tmpl12345", gpu_ids=["AMPERE_16"], flashboot=True, workers_min=1)


@pytest.mark.parametrize("spec", [REST_SPEC, GQL_SPEC], ids=["rest", "graphql"])
def test_create__response_lost_after_commit_finds_it_without_duplicating(
    service: EndpointService, emulator: Emulator, spec: EndpointSpec
) -> None:
    emulator.faults.set([Fault("lose_response", match="Create", times=1), Fault("lose_response", match="saveEndpoint")])
    created = service.create(spec)
    assert list(emulator.state.endpoints) == [created.id]
    assert created.name == "svc"


def test_create__dropped_before_commit_creates_exactly_once(service: EndpointService, emulator: Emulator) -> None:
    emulator.faults.set([Fault("drop", match="CreateEndpoint", times=1)])
    created = service.create(REST_SPEC)
    assert list(emulator.state.endpoints) == [created.id]
    assert operations(emulator) == [
        "POST CreateEndpoint dropped",
        "GET ListEndpoints 200",
        "POST CreateEndpoint 200",
    ]


def test_create__ambiguous_match_refuses_to_guess(service: EndpointService, emulator: Emulator) -> None:
    service.create(REST_SPEC)
    emulator.faults.set([Fault("lose_response", match="CreateEndpoint", times=1)])
    with pytest.raises(ValidationFailed, match="adopt_existing_id"):
        service.create(REST_SPEC)


def test_create__is_one_call(service: EndpointService, emulator: Emulator) -> None:
    service.create(REST_SPEC)
    service.create(GQL_SPEC)
    assert operations(emulator) == ["POST CreateEndpoint 200", "POST saveEndpoint 200"]


def test_read__graphql_spec_is_one_call(service: EndpointService, emulator: Emulator) -> None:
    created = service.create(GQL_SPEC)
    emulator.journal.clear()
    observed = service.read(created.id, GQL_SPEC)
    assert observed is not None and observed.flashboot is True
    assert operations(emulator) == ["POST myself 200"]


def test_read__rest_spec_adds_flashboot_from_graphql(service: EndpointService, emulator: Emulator) -> None:
    spec = REST_SPEC.model_copy(update={"flashboot": True})
    created = service.create(spec)
    emulator.journal.clear()
    observed = service.read(created.id, spec)
    assert observed is not None
    assert (observed.flashboot, observed.gpu_type_ids) == (True, ["NVIDIA L4"])
    assert operations(emulator) == ["GET GetEndpoint 200", "POST myself 200"]


def test_read__gone_is_none(service: EndpointService) -> None:
    assert service.read("doesnotexist00", REST_SPEC) is None
    assert service.read("doesnotexist00", GQL_SPEC) is None


def test_delete__scales_to_zero_then_deletes_and_verifies(service: EndpointService, emulator: Emulator) -> None:
    created = service.create(REST_SPEC)
    emulator.journal.clear()
    service.delete(created.id, REST_SPEC)
    assert emulator.state.endpoints == {}
    assert operations(emulator) == [
        "PATCH UpdateEndpoint 200",
        "DELETE DeleteEndpoint 204",
        "POST myself 200",
    ]
    assert emulator.journal.entries()[0].request == {"workersMin": 0, "workersMax": 0}


def test_delete__already_gone_is_success(service: EndpointService, emulator: Emulator) -> None:
    service.delete("doesnotexist00", REST_SPEC)
    assert operations(emulator) == ["PATCH UpdateEndpoint 404"]


def test_delete__waits_for_draining_workers(emulator: Emulator, make_service: ServiceFactory) -> None:
    emulator.state.settings.drain_seconds = 0.3
    service = make_service(emulator, sleep=time.sleep, delete_timeout=10)
    created = service.create(REST_SPEC)
    started = time.monotonic()
    service.delete(created.id, REST_SPEC)
    assert emulator.state.endpoints == {}
    assert time.monotonic() - started >= 0.3
    statuses = [e.status for e in emulator.journal.entries() if e.operation == "DeleteEndpoint"]
    assert statuses[0] == 400 and statuses[-1] == 204


def test_delete__gives_up_after_the_timeout_with_advice(emulator: Emulator, make_service: ServiceFactory) -> None:
    emulator.state.settings.drain_seconds = 3600
    clock = iter(range(0, 10_000, 5))
    service = make_service(emulator, delete_timeout=30, clock=lambda: float(next(clock)))
    created = service.create(REST_SPEC)
    with pytest.raises(ValidationFailed, match=r"within 30s.*pulumi destroy.*runpod:deleteTimeout"):
        service.delete(created.id, REST_SPEC)
    assert created.id in emulator.state.endpoints
    assert emulator.state.endpoints[created.id]["workersMax"] == 0


def test_delete__tensorone_scales_with_the_full_record(tensorone_service: EndpointService, tensorone: Emulator) -> None:
    spec = GQL_SPEC.model_copy(update={"idle_timeout": 42})
    created = tensorone_service.create(spec)
    tensorone.journal.clear()
    tensorone_service.delete(created.id, spec)
    assert tensorone.state.endpoints == {}
    save = tensorone.journal.entries()[0].request
    assert save is not None
    sent = save["variables"]["input"]
    assert (sent["workersMin"], sent["workersMax"], sent["idleTimeout"]) == (0, 0, 42)
    assert operations(tensorone) == ["POST saveEndpoint 200", "POST deleteEndpoint 200", "POST myself 200"]


def test_delete__tensorone_without_spec_reads_the_record_first(
    tensorone_service: EndpointService, tensorone: Emulator
) -> None:
    created = tensorone_service.create(GQL_SPEC)
    tensorone_service.delete(created.id)
    assert tensorone.state.endpoints == {}


def _fake_api(delete_status: int, graphql_endpoint: dict[str, object] | None) -> httpx.MockTransport:
    """REST and GraphQL answers for one endpoint 'e1', for cases the emulator cannot stage."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/graphql"):
            return httpx.Response(200, json={"data": {"myself": {"endpoint": graphql_endpoint}}})
        if request.method == "DELETE":
            return httpx.Response(delete_status, json={"error": "endpoint is locked by an active deployment"})
        return httpx.Response(200, json={"id": "e1", "name": "svc", "workersMin": 0, "workersMax": 0})

    return httpx.MockTransport(handler)


def test_delete__refused_for_another_reason_fails_at_once(sleeps: SleepRecorder) -> None:
    idle = {"id": "e1", "name": "svc", "workersMin": 0, "workersMax": 0, "pods": []}
    service = EndpointService(API_KEY, transport=_fake_api(400, idle), sleep=sleeps, rest_url="http://x/v1")
    with pytest.raises(ValidationFailed, match="locked by an active deployment"):
        service.delete("e1", REST_SPEC)
    assert sleeps.delays == []  # nothing to wait for: no workers configured or running


def test_read__lagging_graphql_does_not_make_a_live_endpoint_look_gone() -> None:
    service = EndpointService(API_KEY, transport=_fake_api(204, None), rest_url="http://x/v1")
    observed = service.read("e1", REST_SPEC)
    assert observed is not None and observed.id == "e1"
