"""Every REST and GraphQL client call against the in-process emulator."""

from __future__ import annotations

import pytest

from pulumi_runpod_endpoint.api import (
    EndpointService,
    EndpointSpec,
    NotFound,
    RestClient,
    Unauthorized,
    ValidationFailed,
)
from pulumi_runpod_endpoint.emulator import Emulator
from tests.conftest import API_KEY

REST_SPEC = EndpointSpec(
    name="rest-svc",
    template_id="tmpl12345",
    gpu_type_ids=["NVIDIA L4", "NVIDIA GeForce RTX 4090"],
    data_center_ids=["EU-RO-1", "US-TX-3"],
    idle_timeout=30,
    workers_max=2,
    execution_timeout_ms=120000,
    network_volume_id="vol12345",
)
GQL_SPEC = EndpointSpec(
    name="gql-svc",
    template_id="tmpl12345",
    gpu_ids=["AMPERE_16", "ADA_24"],
    idle_timeout=30,
    workers_max=2,
    flashboot=True,
    env={"MODEL": "llama"},
    locations=["US"],
    allowed_cuda_versions=["12.8"],
)


def rest(service: EndpointService) -> RestClient:
    assert service.rest is not None
    return service.rest


# -- REST ---------------------------------------------------------------------------------------
def test_rest_create_get_list(service: EndpointService) -> None:
    created = rest(service).create(REST_SPEC)
    fetched = rest(service).get(created.id)
    assert fetched.gpu_type_ids == ["NVIDIA L4", "NVIDIA GeForce RTX 4090"]
    assert fetched.data_center_ids == ["EU-RO-1", "US-TX-3"]  # comma-joined on the wire
    assert (fetched.idle_timeout, fetched.workers_max, fetched.execution_timeout_ms) == (30, 2, 120000)
    assert fetched.network_volume_id == "vol12345"
    assert [e.id for e in rest(service).list()] == [created.id]


def test_rest_get_includes_template_and_workers_when_asked(service: EndpointService) -> None:
    created = rest(service).create(REST_SPEC.model_copy(update={"workers_min": 1}))
    plain = rest(service).get(created.id)
    assert plain.template is None and plain.workers is None
    full = rest(service).get(created.id, include_template=True, include_workers=True)
    assert full.template is not None and full.template["id"] == "tmpl12345"
    assert full.workers is not None and [w.desired_status for w in full.workers] == ["RUNNING"]


def test_rest_update_with_full_spec_keeps_unchanged_fields(service: EndpointService, emulator: Emulator) -> None:
    created = rest(service).create(REST_SPEC)
    updated = rest(service).update(created.id, REST_SPEC.model_copy(update={"workers_max": 5}))
    assert updated.workers_max == 5
    assert (updated.idle_timeout, updated.execution_timeout_ms) == (30, 120000)
    assert updated.data_center_ids == ["EU-RO-1", "US-TX-3"]
    assert updated.version == 1  # an update is a rolling release
    body = emulator.journal.entries()[-1].request
    assert body is not None and body["idleTimeout"] == 30  # the full spec travels, not a delta


def test_rest_update_removing_a_volume_clears_it(service: EndpointService) -> None:
    created = rest(service).create(REST_SPEC)
    updated = rest(service).update(created.id, REST_SPEC.model_copy(update={"network_volume_id": None}))
    assert updated.network_volume_id is None


def test_rest_cpu_endpoint_round_trips_flavors_and_vcpus(service: EndpointService) -> None:
    spec = EndpointSpec(name="cpu", template_id="tmpl12345", cpu_flavor_ids=["cpu3c"], vcpu_count=8)
    created = rest(service).create(spec)
    fetched = rest(service).get(created.id)
    assert (fetched.compute_type, fetched.instance_ids) == ("CPU", ["cpu3c-8-16"])
    assert (fetched.cpu_flavor_ids, fetched.vcpu_count) == (["cpu3c"], 8)


def test_rest_delete_and_not_found(service: EndpointService) -> None:
    created = rest(service).create(REST_SPEC.model_copy(update={"workers_max": 0}))
    rest(service).delete(created.id)
    with pytest.raises(NotFound):
        rest(service).get(created.id)
    with pytest.raises(NotFound):
        rest(service).delete(created.id)


def test_rest_delete_refused_while_workers_configured(service: EndpointService) -> None:
    created = rest(service).create(REST_SPEC)
    with pytest.raises(ValidationFailed, match="workersMin and workersMax must both be 0"):
        rest(service).delete(created.id)


def test_rest_rejects_invalid_ids_before_sending(service: EndpointService) -> None:
    with pytest.raises(ValueError, match="invalid endpoint id"):
        rest(service).get("../templates")


# -- GraphQL ------------------------------------------------------------------------------------
def test_graphql_save_creates_and_reads_back_every_field(service: EndpointService) -> None:
    created = service.graphql.save(GQL_SPEC)
    fetched = service.graphql.get(created.id)
    assert fetched.name == "gql-svc"  # stored as "gql-svc -fb"
    assert fetched.flashboot is True
    assert fetched.gpu_ids == ["AMPERE_16", "ADA_24"]
    assert fetched.env == {"MODEL": "llama"}
    assert fetched.locations == ["US"]
    assert fetched.allowed_cuda_versions == ["12.8"]
    assert (fetched.idle_timeout, fetched.workers_max) == (30, 2)


def test_graphql_save_with_id_replaces_the_record(service: EndpointService) -> None:
    created = service.graphql.save(GQL_SPEC)
    updated = service.graphql.save(GQL_SPEC.model_copy(update={"workers_max": 4, "env": {}}), created.id)
    assert updated.id == created.id
    assert updated.workers_max == 4
    assert updated.env == {}
    assert updated.idle_timeout == 30  # sent again, so not reset to the default


def test_graphql_list_and_delete(service: EndpointService) -> None:
    created = service.graphql.save(GQL_SPEC.model_copy(update={"workers_max": 0}))
    assert [e.id for e in service.graphql.list()] == [created.id]
    service.graphql.delete(created.id)
    assert service.graphql.list() == []
    with pytest.raises(NotFound):
        service.graphql.get(created.id)


def test_graphql_delete_refused_with_the_api_message(service: EndpointService) -> None:
    created = service.graphql.save(GQL_SPEC)
    with pytest.raises(ValidationFailed, match="must both be 0"):
        service.graphql.delete(created.id)


def test_graphql_delete_of_unknown_id_is_not_found(service: EndpointService) -> None:
    with pytest.raises(NotFound):
        service.graphql.delete("doesnotexist00")


def test_graphql_key_without_user_is_unauthorized(service: EndpointService, emulator: Emulator) -> None:
    emulator.state.settings.keys_without_user = {API_KEY}
    with pytest.raises(Unauthorized, match="no user"):
        service.graphql.list()


def test_graphql_cpu_endpoint(service: EndpointService) -> None:
    spec = EndpointSpec(name="cpu", template_id="tmpl12345", instance_ids=["cpu3g-4-16"], env={"A": "1"})
    created = service.graphql.save(spec)
    assert (created.compute_type, created.instance_ids) == ("CPU", ["cpu3g-4-16"])


def test_graphql_network_volume_objects_round_trip(service: EndpointService) -> None:
    spec = GQL_SPEC.model_copy(update={"network_volume_ids": ["vol1abc", "vol2abc"]})
    created = service.graphql.save(spec)
    assert service.graphql.get(created.id).network_volume_ids == ["vol1abc", "vol2abc"]


# -- Tensor One ---------------------------------------------------------------------------------
def test_tensorone_lists_workers_as_clusters(tensorone_service: EndpointService) -> None:
    spec = GQL_SPEC.model_copy(update={"workers_min": 1})
    created = tensorone_service.graphql.save(spec)
    fetched = tensorone_service.graphql.get(created.id)
    assert fetched.workers is not None and [w.desired_status for w in fetched.workers] == ["RUNNING"]
    assert fetched.flashboot is True  # via the " -fb" suffix Tensor One documents
    assert fetched.name == "gql-svc"


def test_tensorone_has_no_rest_api(tensorone_service: EndpointService) -> None:
    assert tensorone_service.rest is None
