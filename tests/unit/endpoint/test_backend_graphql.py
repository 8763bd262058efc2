"""The GraphQL backends against the in-process emulator (which answers as RunPod does, per issue 11's
evidence): not found only for "No AiApi found", whole records on every save, templates re-pointed
with updateEndpointTemplate, CPU without gpuIds, images through the endpoint's own template."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_runpod_endpoint.api import NotFound, Session, Unauthorized, UnexpectedAnswer, ValidationFailed
from pulumi_runpod_endpoint.api.errors import IncompleteList
from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from pulumi_runpod_endpoint.emulator.rooms.templates import Template
from pulumi_runpod_endpoint.endpoint.backend import Change
from pulumi_runpod_endpoint.endpoint.backend_graphql import GraphQLBackend
from pulumi_runpod_endpoint.endpoint.service import EndpointService, Timing
from pulumi_runpod_endpoint.endpoint.spec import EndpointSpec
from tests.conftest import API_KEY, FakeTime

URL = "http://emulator/graphql"


@pytest.fixture
def emulator() -> Emulator:
    emulator = Emulator(flavor="runpod", api_key=API_KEY, clock=ManualClock())
    user = Template(id="tpluser1", name="user", image="user/img:1", env={"U": "1"}, serverless=True)
    emulator.templates.store.add(user)
    emulator.templates.store.add(Template(id="tpluser2", name="user2", image="user/img:2", serverless=True))
    return emulator


@pytest.fixture
def session(emulator: Emulator, fake_time: FakeTime) -> Iterator[Session]:
    with Session(API_KEY, transport=emulator.transport(), sleep=fake_time.sleep, clock=fake_time.clock) as made:
        yield made


@pytest.fixture
def backend(session: Session) -> GraphQLBackend:
    return GraphQLBackend(session, URL, flavor="runpod")


def spec(**values: Any) -> EndpointSpec:
    base: dict[str, Any] = {"name": "svc", "image": "runpod/worker:1", "gpu_pools": ["ADA_24"]}
    return EndpointSpec.model_validate({**base, **values}).defaulted()


def sent(emulator: Emulator, operation: str) -> list[dict[str, Any]]:
    """The variables of every request the client sent for ``operation`` (a root field)."""
    return [e.request.get("variables") or {} for e in emulator.journal.entries() if e.operation == operation]


def calls(emulator: Emulator) -> list[str]:
    return [e.operation for e in emulator.journal.entries()]


def endpoint_of(emulator: Emulator, endpoint_id: str) -> Any:
    return emulator.endpoints.store.get(endpoint_id)


def change(old: Any, new: EndpointSpec, **extra: Any) -> Change:
    fields = dict(old.fields) if hasattr(old, "fields") else dict(old)
    return Change(old=fields, new=new, env_keys=frozenset(new.env or {}), **extra)


# -- create -----------------------------------------------------------------------------------------
def test_an_image_is_created_with_an_inline_template_of_its_own(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(env={"A": "1"}, ports=["8000/http"], container_disk_gb=20))
    (variables,) = sent(emulator, "saveEndpoint")
    assert "templateId" not in variables["input"]
    assert variables["input"]["template"]["imageName"] == "runpod/worker:1"
    assert (made.fields["image"], made.fields["env"], made.fields["ports"]) == (
        "runpod/worker:1",
        {"A": "1"},
        ["8000/http"],
    )
    assert made.fields["template_id"] is None  # its own template is not a template_id the program set
    assert endpoint_of(emulator, made.id).config.container.disk == 20


def test_a_template_endpoint_is_bound_to_the_users_template(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(image=None, template_id="tpluser1"))
    (variables,) = sent(emulator, "saveEndpoint")
    assert variables["input"]["templateId"] == "tpluser1"
    assert "template" not in variables["input"]
    assert (made.fields["template_id"], made.fields["image"], made.fields["env"]) == (
        "tpluser1",
        "user/img:1",
        {"U": "1"},
    )


def test_a_cpu_endpoint_is_created_with_instance_ids_and_no_gpu_field(
    emulator: Emulator, backend: GraphQLBackend
) -> None:
    made = backend.create(spec(gpu_pools=None, cpu_flavor_ids=["cpu3c"], vcpu_count=4))
    (variables,) = sent(emulator, "saveEndpoint")
    assert variables["input"]["instanceIds"] == ["cpu3c-4-8"]
    assert not {"gpuIds", "gpuCount", "allowedCudaVersions", "minCudaVersion"} & set(variables["input"])
    assert (made.fields["cpu_flavor_ids"], made.fields["vcpu_count"], made.fields["gpu_pools"]) == (["cpu3c"], 4, None)
    assert endpoint_of(emulator, made.id).config.compute == "CPU"


def test_a_create_sends_no_nulls_and_the_graphql_names(emulator: Emulator, backend: GraphQLBackend) -> None:
    backend.create(spec(type="LOAD_BALANCER", scaler_type="REQUEST_COUNT", data_center_ids=["EU-RO-1"], flashboot=True))
    (variables,) = sent(emulator, "saveEndpoint")
    data = variables["input"]
    assert None not in data.values()
    assert (data["type"], data["locations"], data["flashBootType"], data["name"]) == (
        "LB",
        "EU-RO-1",
        "FLASHBOOT",
        "svc",
    )


# -- read, not found ---------------------------------------------------------------------------------------
def test_an_unknown_id_is_not_found(backend: GraphQLBackend) -> None:
    with pytest.raises(NotFound):
        backend.get("nope")


def test_refresh_after_an_out_of_band_delete_drops_the_endpoint(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(workers_max=0))
    emulator.endpoints.store.delete(made.id)  # deleted outside Pulumi
    assert EndpointService(backend).read(made.id) is None


def test_a_key_without_user_is_unauthorized_not_gone(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec())
    emulator.settings.keys_without_user = {API_KEY}
    with pytest.raises(Unauthorized):
        backend.get(made.id)


def test_a_full_list_is_an_error_not_an_answer(session: Session) -> None:
    """At the 400-row cap the newest endpoints are missing: a create recovery must not trust it."""
    backend = GraphQLBackend(session, URL, list_cap=2)
    backend.create(spec(name="a"))
    assert [e.name for e in backend.list()] == ["a"]
    backend.create(spec(name="b"))
    with pytest.raises(IncompleteList, match="most it lists"):
        backend.list()


@pytest.mark.parametrize("url", ["http://emulator/v2/graphql", "http://emulator/grapql"])
def test_a_wrong_url_is_never_gone(emulator: Emulator, session: Session, fake_time: FakeTime, url: str) -> None:
    """A 404 from a path that is not the API says nothing about the endpoint (issue 18)."""
    made = GraphQLBackend(session, URL).create(spec(workers_max=0))
    service = EndpointService(GraphQLBackend(session, url), sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(UnexpectedAnswer):
        service.read(made.id)
    with pytest.raises(UnexpectedAnswer):
        service.delete(made.id, made.fields)
    assert endpoint_of(emulator, made.id).id == made.id


# -- update -------------------------------------------------------------------------------------------------
def test_an_update_sends_the_whole_record_so_nothing_resets(emulator: Emulator, backend: GraphQLBackend) -> None:
    wanted = spec(
        idle_timeout=42,
        scaler_value=9,
        workers_max=7,
        workers_min=1,
        gpu_count=2,
        allowed_cuda_versions=["12.4"],
        data_center_ids=["EU-RO-1"],
        network_volume_ids=["v1"],
    )
    made = backend.create(wanted)
    after = backend.update(made.id, change(made, wanted.model_copy(update={"workers_min": 0})))
    assert after is not None
    (_, update) = sent(emulator, "saveEndpoint")
    assert None not in update["input"].values()
    kept = (
        "idle_timeout",
        "scaler_value",
        "workers_max",
        "gpu_count",
        "allowed_cuda_versions",
        "data_center_ids",
        "network_volume_ids",
        "execution_timeout_ms",
        "image",
    )
    assert {k: after.fields[k] for k in kept} == {k: made.fields[k] for k in kept}
    assert after.fields["workers_min"] == 0
    assert endpoint_of(emulator, made.id).version == 1  # nothing workers run changed: no release


def test_an_update_clears_what_the_program_removed(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(allowed_cuda_versions=["12.4"], data_center_ids=["EU-RO-1"], network_volume_ids=["v1"]))
    removed = frozenset({"allowed_cuda_versions", "data_center_ids", "network_volume_ids"})
    after = backend.update(made.id, change(made, spec(), cleared=removed))
    assert after is not None
    assert (
        after.fields["allowed_cuda_versions"],
        after.fields["data_center_ids"],
        after.fields["network_volume_ids"],
    ) == (
        None,
        None,
        None,
    )


def test_an_update_leaves_alone_what_the_program_does_not_manage(emulator: Emulator, backend: GraphQLBackend) -> None:
    """saveEndpoint resets some omitted fields and keeps others: every field the program does not manage
    is restated as observed, so neither kind changes (an adopted console endpoint keeps its placement)."""
    made = backend.create(
        spec(min_cuda_version="12.4", data_center_ids=["EU-RO-1"], network_volume_ids=["v1"], container_args="--x")
    )
    managed = frozenset({"name", "image", "gpu_pools", "workers_max"})
    after = backend.update(made.id, change(made, spec(workers_max=7), managed=managed))
    assert after is not None and after.fields["workers_max"] == 7
    for name in ("min_cuda_version", "data_center_ids", "network_volume_ids", "container_args"):
        assert after.fields[name] == made.fields[name], name


def test_a_template_change_goes_through_update_endpoint_template(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(image=None, template_id="tpluser1"))
    emulator.journal.clear()
    after = backend.update(made.id, change(made, spec(image=None, template_id="tpluser2"), reapply_template=True))
    assert calls(emulator) == ["updateEndpointTemplate", "saveEndpoint"]
    assert sent(emulator, "updateEndpointTemplate") == [{"input": {"endpointId": made.id, "templateId": "tpluser2"}}]
    assert after is not None
    assert (after.fields["template_id"], after.fields["image"]) == ("tpluser2", "user/img:2")


def test_a_missing_template_on_update_is_a_refusal_never_gone(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(image=None, template_id="tpluser1"))
    with pytest.raises(ValidationFailed, match="template not found") as caught:
        backend.update(made.id, change(made, spec(image=None, template_id="tplgone"), reapply_template=True))
    assert not isinstance(caught.value, NotFound)


def test_an_image_change_rewrites_the_endpoints_own_template(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(env={"A": "1"}))
    own = endpoint_of(emulator, made.id).template_id
    emulator.journal.clear()
    after = backend.update(made.id, change(made, spec(image="runpod/worker:2", env={"A": "2"})))
    assert calls(emulator) == ["myself", "saveTemplate", "saveEndpoint"]
    (template,) = sent(emulator, "saveTemplate")
    assert (template["input"]["id"], template["input"]["imageName"]) == (own, "runpod/worker:2")
    assert after is not None
    assert (after.fields["image"], after.fields["env"]) == ("runpod/worker:2", {"A": "2"})
    assert endpoint_of(emulator, made.id).version == 2  # a release, as on RunPod


def test_env_the_platform_added_is_kept_when_the_program_changes_its_own(
    emulator: Emulator, backend: GraphQLBackend
) -> None:
    made = backend.create(spec(env={"A": "1"}))
    platform = {**made.fields, "env": {"A": "1", "PORT": "80"}}  # PORT injected by the platform (flash 69ecac28)
    backend.update(
        made.id,
        Change(old=platform, new=spec(env={"A": "2"}), env_keys=frozenset({"A"}), old_env_keys=frozenset({"A"})),
    )
    (template,) = sent(emulator, "saveTemplate")
    assert template["input"]["env"] == [{"key": "PORT", "value": "80"}, {"key": "A", "value": "2"}]


def test_a_users_template_is_never_written_the_endpoint_gets_its_own(
    emulator: Emulator, backend: GraphQLBackend
) -> None:
    made = backend.create(spec(image=None, template_id="tpluser1"))
    old = {**made.fields, "managed_fields": ["name", "template_id", "gpu_pools"]}
    after = backend.update(made.id, Change(old=old, new=spec(image="mine:1")))
    assert emulator.templates.store.get("tpluser1").image == "user/img:1"  # type: ignore[union-attr]
    (template,) = sent(emulator, "saveTemplate")
    assert "id" not in template["input"]
    assert after is not None
    assert (after.fields["image"], after.fields["template_id"]) == ("mine:1", None)
    assert endpoint_of(emulator, made.id).template_id not in ("tpluser1", made.fields["template_id"])


# -- delete ---------------------------------------------------------------------------------------------------
def test_scale_to_zero_then_delete_then_verify(
    emulator: Emulator, backend: GraphQLBackend, fake_time: FakeTime
) -> None:
    made = backend.create(spec(workers_min=1, workers_max=3, idle_timeout=42))
    emulator.journal.clear()
    service = EndpointService(backend, timing=Timing(), sleep=fake_time.sleep, clock=fake_time.clock)
    service.delete(made.id, made.fields)
    assert calls(emulator) == ["saveEndpoint", "deleteEndpoint", "myself"]
    (scale,) = sent(emulator, "saveEndpoint")
    assert (scale["input"]["workersMin"], scale["input"]["workersMax"], scale["input"]["idleTimeout"]) == (0, 0, 42)
    assert emulator.journal.entries()[-1].status == 200
    with pytest.raises(NotFound):
        backend.get(made.id)


def test_destroy_of_an_endpoint_already_gone_succeeds(
    emulator: Emulator, backend: GraphQLBackend, fake_time: FakeTime
) -> None:
    made = backend.create(spec(workers_max=0))
    emulator.endpoints.store.delete(made.id)
    service = EndpointService(backend, sleep=fake_time.sleep, clock=fake_time.clock)
    service.delete(made.id, made.fields)
    assert calls(emulator)[-1] == "saveEndpoint"  # the scale to zero said "No AiApi found": nothing left to do


def test_scale_to_zero_reads_first_when_nothing_is_known(emulator: Emulator, backend: GraphQLBackend) -> None:
    made = backend.create(spec(idle_timeout=42))
    backend.scale_to_zero(made.id, None)
    (_, scale) = sent(emulator, "saveEndpoint")
    assert (scale["input"]["workersMax"], scale["input"]["idleTimeout"], scale["input"]["gpuIds"]) == (0, 42, "ADA_24")


# -- Tensor One ---------------------------------------------------------------------------------------------------
@pytest.fixture
def t1(fake_time: FakeTime) -> Iterator[tuple[Emulator, GraphQLBackend]]:
    emulator = Emulator(flavor="tensorone", api_key=API_KEY, clock=ManualClock())
    emulator.templates.store.add(Template(id="tplt1", name="t1", image="t1/img:1", serverless=True))
    with Session(API_KEY, transport=emulator.transport(), sleep=fake_time.sleep, clock=fake_time.clock) as session:
        yield emulator, GraphQLBackend(session, URL, flavor="tensorone", list_cap=3)


def test_tensorone_flashboot_is_the_name_suffix(t1: tuple[Emulator, GraphQLBackend]) -> None:
    emulator, backend = t1
    made = backend.create(spec(image=None, template_id="tplt1", flashboot="FLASHBOOT", data_center_ids=["US-KS-2"]))
    (variables,) = sent(emulator, "saveEndpoint")
    assert variables["input"]["name"] == "svc -fb"
    assert "flashBootType" not in variables["input"]
    assert (made.fields["name"], made.fields["flashboot"]) == ("svc", "FLASHBOOT")
    assert backend.get(made.id).fields["name"] == "svc"


def test_tensorone_reads_by_listing_and_knows_when_a_list_cannot_prove_gone(
    t1: tuple[Emulator, GraphQLBackend],
) -> None:
    emulator, backend = t1
    made = backend.create(spec(image=None, template_id="tplt1", workers_max=0))
    assert backend.get(made.id).id == made.id
    assert {e.operation for e in emulator.journal.entries()} == {"saveEndpoint", "myself"}
    with pytest.raises(NotFound):
        backend.get("nope")
    for index in range(2):
        backend.create(spec(name=f"e{index}", image=None, template_id="tplt1"))
    with pytest.raises(UnexpectedAnswer, match="may still exist"):
        backend.get("nope")


def test_tensorone_update_delete_and_verify(t1: tuple[Emulator, GraphQLBackend], fake_time: FakeTime) -> None:
    _, backend = t1
    wanted = spec(image=None, template_id="tplt1", idle_timeout=42, network_volume_ids=["v1"])
    made = backend.create(wanted)
    after = backend.update(made.id, change(made, wanted.model_copy(update={"workers_max": 5})))
    assert after is not None
    assert (after.fields["idle_timeout"], after.fields["workers_max"], after.fields["network_volume_ids"]) == (
        42,
        5,
        ["v1"],
    )
    EndpointService(backend, sleep=fake_time.sleep, clock=fake_time.clock).delete(made.id, after.fields)
    with pytest.raises(NotFound):
        backend.get(made.id)


def test_tensorone_refuses_to_pretend_a_template_changed(t1: tuple[Emulator, GraphQLBackend]) -> None:
    emulator, backend = t1
    emulator.templates.store.add(Template(id="tplt2", name="t2", image="t1/img:2", serverless=True))
    made = backend.create(spec(image=None, template_id="tplt1"))
    with pytest.raises(ValidationFailed, match="Replace the endpoint"):
        backend.update(made.id, change(made, spec(image=None, template_id="tplt2"), reapply_template=True))


def test_tensorone_makes_image_endpoints_but_refuses_to_change_their_container(
    t1: tuple[Emulator, GraphQLBackend],
) -> None:
    emulator, backend = t1
    made = backend.create(spec(image="t1/mine:1"))
    (variables,) = sent(emulator, "saveEndpoint")
    assert variables["input"]["template"]["imageName"] == "t1/mine:1"
    known = {**made.fields, "image": "t1/mine:1"}  # Tensor One reads do not show it: the state keeps it
    with pytest.raises(ValidationFailed, match="in place"):
        backend.update(made.id, change(known, spec(image="t1/mine:2")))
    assert backend.update(made.id, change(known, spec(image="t1/mine:1", workers_max=5))) is not None
